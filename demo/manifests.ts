// What the demo needs to know about sample-services/deploy/: the namespace, the BlueGreenService
// names, the image they use, and how to log in to auth for a token.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../test/cluster/harness.ts';
import type { BlueGreenService } from '../operator/src/api/types.ts';
import type { TestKube } from '../clusterkit/kube.ts';

export interface SampleManifests {
  namespace: string;
  names: string[];
  image: string;
  login(kube: TestKube): Promise<string>;
}

export async function readSampleManifests(
  dir = path.join(repoRoot, 'sample-services/deploy'),
): Promise<SampleManifests> {
  const bgs: BlueGreenService[] = [];
  for (const file of (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of parseAllDocuments(await readFile(path.join(dir, file), 'utf8'))) {
      const obj = doc.toJS() as BlueGreenService | null;
      if (obj?.kind === 'BlueGreenService') bgs.push(obj);
    }
  }
  if (bgs.length === 0) throw new Error(`no BlueGreenService in ${dir}`);
  const namespace = bgs[0]!.metadata.namespace ?? 'default';
  const image = bgs[0]!.spec.template.spec!.containers[0]!.image!;
  return {
    namespace,
    names: bgs.map((b) => b.metadata.name!),
    image,
    async login(kube) {
      const ip = (await kube.getService(namespace, 'auth')).spec!.clusterIP!;
      const res = await fetch(`http://${ip}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: process.env['DEMO_USER'] ?? 'demo',
          password: process.env['DEMO_PASSWORD'] ?? 'demo-password',
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (!res.ok || !token) throw new Error(`login to auth failed: ${res.status} ${JSON.stringify(body)}`);
      return token;
    },
  };
}

/** The same template with env VERSION set: a new revision of the same image. */
export function withVersion(
  template: BlueGreenService['spec']['template'],
  version: string,
): BlueGreenService['spec']['template'] {
  const t = structuredClone(template);
  for (const c of t.spec!.containers) {
    const env = (c.env ??= []);
    const v = env.find((e) => e.name === 'VERSION');
    if (v) v.value = version;
    else env.push({ name: 'VERSION', value: version });
  }
  return t;
}
