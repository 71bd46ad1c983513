import { SimCluster, NS } from './cluster.ts';
import { apply, settle, simBgs, MAIN, RIVAL, SHARED_SERVICE, type UserSpec } from './scenario.ts';
import { SimOperator } from './world.ts';
const [cfg, cmds] = JSON.parse(process.argv[2]!, (_k, v) => (v === null ? undefined : v));
const cluster = new SimCluster();
const user: UserSpec = { image: 'app:v1', activeColor: undefined, replicas: cfg.replicas };
cluster.putBgs(simBgs(MAIN, cfg, user));
if (cfg.rival) {
  cluster.services.set(SHARED_SERVICE, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SHARED_SERVICE, namespace: NS, resourceVersion: cluster.nextRv() },
    spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] },
  });
  cluster.putBgs(simBgs(RIVAL, cfg, { image: 'app:v1', activeColor: undefined, replicas: 1 }));
}
const op = new SimOperator(cluster);
if (cfg.steady) for (let i = 0; i < 30; i++) { settle(cluster, op); await op.reconcile(MAIN); cluster.now += 15000; }
let seen = cluster.writes.length;
for (const c of cmds) {
  cluster.step++;
  await apply(c, cluster, op, user, cfg);
  const ws = cluster.writes.slice(seen);
  seen = cluster.writes.length;
  console.log(
    cluster.step,
    JSON.stringify(c),
    ws
      .map(
        (w) =>
          `${w.by}:${w.kind}/${w.name} ${w.kind === 'Service' ? JSON.stringify((w.after as any).spec?.selector) : w.kind === 'Deployment' ? (w.after as any).metadata.labels['bluegreen.dev/revision'] + ' x' + (w.after as any).spec.replicas : (w.after as any).status?.phase + ' ' + (w.after as any).status?.activeColor + ' ' + (w.after as any).status?.message}`,
      )
      .join(' | '),
    op.errors.slice(-1),
  );
}
