// Probe: what the operator's four informer caches alone cost, without workers, metrics or
// writes. Run it against a namespace filled by scale.ts (while that run sits at idle):
//
//   npx node --expose-gc bench/operator/cache-memory.ts <namespace>
//
// Prints RSS / heap used / V8 heap total / external after a full GC, once after the imports
// and once after the caches synced, so the difference is the live cached data.
import { connectionFromKubeconfigFile } from '../../operator/src/runtime/defaultconnection.ts';
import { Registry } from 'prom-client';
import { repoRoot } from '../../test/cluster/harness.ts';
import { createInformers } from '../../operator/src/controller/informers.ts';
import { silentLogger } from '../../operator/src/runtime/logger.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc: npx node --expose-gc bench/operator/cache-memory.ts <namespace>');
const namespace = process.argv[2];
if (!namespace) throw new Error('usage: npx node --expose-gc bench/operator/cache-memory.ts <namespace>');

function report(label: string): void {
  gc!();
  gc!();
  const m = process.memoryUsage();
  const f = (n: number) => (n / 1048576).toFixed(1);
  console.log(
    `${label}: rss ${f(m.rss)} MiB, heap used ${f(m.heapUsed)} MiB, heap total ${f(m.heapTotal)} MiB, external ${f(m.external)} MiB`,
  );
}

const conn = connectionFromKubeconfigFile(`${repoRoot}/.cluster/kubeconfig`);
report('after imports');
const i = createInformers({ conn, namespace, resyncMs: 3_600_000, logger: silentLogger, registry: new Registry() });
await Promise.all([i.bgs.start(), i.deployments.start(), i.services.start(), i.slices.start()]);
console.log(
  `cached: ${i.bgs.store.size()} BGS, ${i.deployments.store.size()} Deployments, ${i.services.store.size()} Services, ${i.slices.store.size()} EndpointSlices`,
);
report('after sync');
for (const inf of [i.bgs, i.deployments, i.services, i.slices]) inf.stop();
process.exit(0);
