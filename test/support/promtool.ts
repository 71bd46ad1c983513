// The one place tests look up promtool: the binary built with Prometheus 3 into the cluster
// build cache (test/cluster/build/all.sh prometheus), or $PROMTOOL, or PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where test/cluster/build/all.sh puts promtool for the pinned PROMETHEUS_VERSION. */
export function cachedPromtoolPath(): string {
  const version = /^PROMETHEUS_VERSION=(\S+)$/m.exec(
    readFileSync(path.join(root, 'test/cluster/build/versions.sh'), 'utf8'),
  )?.[1];
  if (!version) throw new Error('PROMETHEUS_VERSION not found in test/cluster/build/versions.sh');
  const cache = process.env['BLUEGREEN_CACHE_DIR'] ?? '/var/cache/bluegreen-operator';
  return path.join(cache, `prometheus-${version}`, 'bin', 'promtool');
}

/** promtool from $PROMTOOL, the build cache or PATH; undefined when none runs. */
export function findPromtool(): string | undefined {
  const candidates = [process.env['PROMTOOL'], cachedPromtoolPath()].filter(
    (c): c is string => c !== undefined && c !== '' && existsSync(c),
  );
  if (candidates[0]) return candidates[0];
  return spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0 ? 'promtool' : undefined;
}
