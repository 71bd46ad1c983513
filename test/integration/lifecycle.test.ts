// Full lifecycle against a real API server, controller-manager and scheduler, with pods on
// simulated (kwok) nodes: the operator runs as a real process, exactly as in a cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { Steps } from '../support/steps.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let steps: Steps;
const ns = `life-${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  steps = new Steps(kube, ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-a',
    port: 18081,
    env: { LEADER_ELECTION: 'false' },
  });
});

afterAll(async () => {
  await operator?.stop();
  if (operator && process.env['KEEP_LOGS']) console.log(operator.logs.join('\n'));
  await kube?.deleteNamespace(ns);
});

const reconcileLines = (name: string) =>
  operator.logs.filter((l) => l.includes('"msg":"reconciled"') && l.includes(`"bgs":"${ns}/${name}"`)).length;
describe('Given a BlueGreenService with manual promotion', () => {
  const name = 'cycle';
  const base = kwokBgs(ns, name, 'app:v1', { previewReplicas: 1 });

  it('When it is created, Then blue is deployed and the active Service points at it once ready', async () => {
    await steps.given.bgs(base);
    await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    await steps.then.selector(name, 'blue');
    await steps.then.selector(`${name}-preview`, 'blue');
    const dep = await kube.getDeployment(ns, `${name}-blue`);
    expect(dep.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'BlueGreenService', name, controller: true });
  });

  it('When the template changes, Then green gets the release at previewReplicas and waits for promotion', async () => {
    await steps.when.patchSpec(name, { template: templateWithImage(base, 'app:v2') });
    const s = await steps.then.status(
      name,
      'AwaitingPromotion with preview green',
      (s) => s.phase === 'AwaitingPromotion' && s.previewColor === 'green',
    );
    expect(s.activeColor).toBe('blue');
    await steps.then.selector(`${name}-preview`, 'green');
    expect(await steps.then.selectorColor(name)).toBe('blue');
    expect((await kube.getDeployment(ns, `${name}-green`)).spec?.replicas).toBe(1);
    expect((await kube.getDeployment(ns, `${name}-blue`)).spec?.template?.spec?.containers[0]?.image).toBe('app:v1');
  });

  it('When activeColor is edited to green, Then green is scaled up and traffic switches', async () => {
    await steps.when.setActiveColor(name, 'green');
    await steps.then.selector(name, 'green');
    expect((await kube.getDeployment(ns, `${name}-green`)).spec?.replicas).toBe(2);
    await steps.then.status(name, 'Healthy on green', (s) => s.phase === 'Healthy' && s.activeColor === 'green');
  });

  it('When activeColor is edited back to blue within the scale-down delay, Then it rolls back without waiting for pods', async () => {
    const started = Date.now();
    await steps.when.setActiveColor(name, 'blue');
    await steps.then.selector(name, 'blue');
    console.log(`manual rollback: selector switched ${Date.now() - started} ms after the edit`);
    const wanted = ['InitialDeploy', 'ReleaseStarted', 'PreviewReady', 'ManualPromotion', 'ManualRollback'];
    // Events are recorded after the switch and the status write: wait for them, don't race.
    await waitFor(
      async () => {
        const reasons = (await kube.events(ns)).map((e) => e.reason);
        return { done: wanted.every((r) => reasons.includes(r)), seen: reasons };
      },
      { what: `Events ${wanted.join(', ')}`, timeoutMs: 60_000 },
    );
  });

  it('When nothing changes, Then resyncs write nothing (resourceVersion stays)', async () => {
    // Settled means converged, not just a phase: after the rollback green shrinks back to its
    // preview size and each endpoint change is a legitimate status write, so wait for the end state.
    await steps.then.status(
      name,
      'settled: AwaitingPromotion, blue 2/2 and green 1/1 ready',
      (s) =>
        s.phase === 'AwaitingPromotion' &&
        s.colors?.blue?.replicas === 2 &&
        s.colors.blue.readyEndpoints === 2 &&
        s.colors.green?.replicas === 1 &&
        s.colors.green.readyEndpoints === 1,
    );
    const before = (await kube.getBgs(ns, name)).metadata.resourceVersion;
    const svcBefore = (await kube.getService(ns, name)).metadata?.resourceVersion;
    const reconcilesBefore = reconcileLines(name);
    // Touch the object with a no-op label so the operator reconciles it again for sure.
    await kube.req(
      'PATCH',
      `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices/${name}`,
      { metadata: { labels: { touched: 'yes' } } },
      'application/merge-patch+json',
    );
    const touched = (await kube.getBgs(ns, name)).metadata.resourceVersion;
    await waitFor(async () => ({ done: reconcileLines(name) > reconcilesBefore, seen: reconcileLines(name) }), {
      what: 'another reconcile',
    });
    const after = await kube.getBgs(ns, name);
    expect(before).not.toBe(touched);
    expect(after.metadata.resourceVersion).toBe(touched);
    expect((await kube.getService(ns, name)).metadata?.resourceVersion).toBe(svcBefore);
  });
});

describe('Given bad or conflicting input the schema cannot catch', () => {
  it('When a query uses an unknown variable, Then status says Invalid naming the field and nothing is created', async () => {
    const b = kwokBgs(ns, 'badquery', 'app:v1', {
      analysis: {
        prometheus: { address: 'http://127.0.0.1:9' },
        prePromotion: { metrics: [{ name: 'm', query: 'up{c="{{colour}}"}', max: 1 }] },
      },
    });
    await steps.given.bgs(b);
    const s = await steps.then.status('badquery', 'Invalid', (s) => s.phase === 'Invalid');
    expect(s.message).toContain('spec.analysis.prePromotion.metrics[0].query');
    await expect(kube.getDeployment(ns, 'badquery-blue')).rejects.toThrow(/404/);
  });

  it('When the analysis headers Secret does not exist, Then the analysis is inconclusive naming it and traffic stays', async () => {
    const b = kwokBgs(ns, 'nosecret', 'app:v1', {
      analysis: {
        prometheus: { address: 'http://127.0.0.1:9', headersSecretRef: { name: 'prom-auth-missing' } },
        prePromotion: {
          initialDelaySeconds: 0,
          intervalSeconds: 1,
          count: 2,
          inconclusiveLimit: 0,
          metrics: [{ name: 'm', query: 'up', max: 1 }],
        },
      },
    });
    await steps.given.bgs(b);
    await steps.then.status('nosecret', 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    await steps.when.patchSpec('nosecret', { template: templateWithImage(b, 'app:v2') });
    const s = await waitFor(
      async () => {
        const x = await steps.then.statusOf('nosecret');
        return {
          done: x.analysis?.phase === 'Inconclusive',
          seen: { phase: x.phase, analysis: x.analysis, message: x.message },
        };
      },
      { what: 'nosecret: analysis Inconclusive', timeoutMs: 180_000 },
    );
    expect(s.analysis?.message).toContain(`headers Secret ${ns}/prom-auth-missing`);
    expect(await steps.then.selectorColor('nosecret')).toBe('blue');
  });

  it('When the Service is controlled by another object, Then it is a conflict and the Service is untouched', async () => {
    const owner = await kube.req<{ metadata: { uid: string } }>('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'owner' },
    });
    await kube.req('POST', `/api/v1/namespaces/${ns}/services`, {
      metadata: {
        name: 'taken',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid, controller: true },
        ],
      },
      spec: { selector: { app: 'other' }, ports: [{ port: 80 }] },
    });
    await steps.given.bgs(kwokBgs(ns, 'taken', 'app:v1'));
    const s = await steps.then.status('taken', 'Invalid (conflict)', (s) => s.phase === 'Invalid');
    expect(s.message).toContain('ConfigMap/owner');
    expect((await kube.getService(ns, 'taken')).spec?.selector).toEqual({ app: 'other' });
  });

  it('When an unowned Service exists, Then only its selector is taken over', async () => {
    await kube.req('POST', `/api/v1/namespaces/${ns}/services`, {
      metadata: { name: 'adopt', annotations: { keep: 'me' } },
      spec: { selector: { app: 'legacy' }, ports: [{ name: 'web', port: 8080, targetPort: 9090 }] },
    });
    await steps.given.bgs(kwokBgs(ns, 'adopt', 'app:v1'));
    await steps.then.selector('adopt', 'blue');
    const svc = await kube.getService(ns, 'adopt');
    expect(svc.spec?.selector).toEqual({ 'bluegreen.dev/service': 'adopt', 'bluegreen.dev/color': 'blue' });
    expect(svc.spec?.ports?.[0]).toMatchObject({ name: 'web', port: 8080, targetPort: 9090 });
    expect(svc.metadata?.annotations).toMatchObject({ keep: 'me' });
  });
});

describe('Given someone deletes what the operator owns while it runs', () => {
  it('When the preview Service and the blue Deployment are deleted, Then both are recreated and traffic stays on blue', async () => {
    await steps.given.bgs(kwokBgs(ns, 'heal', 'app:v1'));
    await steps.then.status('heal', 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    const oldService = (await kube.getService(ns, 'heal-preview')).metadata?.uid;
    const oldDeployment = (await kube.getDeployment(ns, 'heal-blue')).metadata?.uid;
    await kube.req('DELETE', `/api/v1/namespaces/${ns}/services/heal-preview`);
    await kube.req('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/heal-blue`);
    await waitFor(
      async () => {
        const svc = await kube.getService(ns, 'heal-preview').catch(() => undefined);
        const dep = await kube.getDeployment(ns, 'heal-blue').catch(() => undefined);
        const seen = { service: svc?.metadata?.uid, deployment: dep?.metadata?.uid };
        return {
          done: !!seen.service && seen.service !== oldService && !!seen.deployment && seen.deployment !== oldDeployment,
          seen,
        };
      },
      { what: 'heal-preview and heal-blue recreated', timeoutMs: 120_000 },
    );
    expect(await steps.then.selectorColor('heal')).toBe('blue');
    await steps.then.status('heal', 'Healthy again', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
  });

  it('When the live Deployment is deleted while a release awaits promotion, Then it comes back with the template it ran, from its kept copy', async () => {
    const base = kwokBgs(ns, 'keep', 'app:v1', { previewReplicas: 1 });
    await steps.given.bgs(base);
    await steps.then.status('keep', 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    await steps.when.patchSpec('keep', { template: templateWithImage(base, 'app:v2') });
    await steps.then.status('keep', 'AwaitingPromotion on green', (s) => s.phase === 'AwaitingPromotion');
    const revisions = await kube.req<{ items: { metadata: { name: string } }[] }>(
      'GET',
      `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector=bluegreen.dev/service=keep`,
    );
    expect(revisions.items.map((r) => r.metadata.name)).toHaveLength(2);
    const oldDeployment = (await kube.getDeployment(ns, 'keep-blue')).metadata?.uid;
    await kube.req('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/keep-blue`);
    const back = await waitFor(
      async () => {
        const dep = await kube.getDeployment(ns, 'keep-blue').catch(() => undefined);
        const seen = { uid: dep?.metadata?.uid, image: dep?.spec?.template?.spec?.containers[0]?.image };
        return { done: seen.uid !== undefined && seen.uid !== oldDeployment, seen };
      },
      { what: 'keep-blue re-created', timeoutMs: 120_000 },
    );
    expect(back.image).toBe('app:v1');
    expect(await steps.then.selectorColor('keep')).toBe('blue');
    await steps.then.status(
      'keep',
      'AwaitingPromotion again',
      (s) => s.phase === 'AwaitingPromotion' && s.activeColor === 'blue',
    );
  });
});
