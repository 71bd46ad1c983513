// Builds the single executable: Node itself with the plugin's bundle injected (Node's single
// executable applications, https://nodejs.org/api/single-executable-applications.html), so a
// machine without Node runs `kubectl-bluegreen` (or, on PATH, `kubectl bluegreen`).
//
//   npm run -w cli sea [-- OUTDIR]       (default cli/dist/sea) -> OUTDIR/kubectl-bluegreen
//
// Steps, as the Node 24 docs give them: bundle (one CommonJS file: a SEA runs only a CommonJS
// entry and can require() only built-in modules, so everything is in the bundle), write the
// preparation blob with `node --experimental-sea-config` (with V8's code cache, for start-up
// time), copy the running Node binary, inject the blob with postject and flip the fuse. The
// executable is for the OS and CPU of the Node that ran this (linux-x64 here); build it on each
// platform you ship. Node 24.21 has no `--build-sea` (it came later), hence postject.
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, cliDir } from './bundle.ts';

/** The fuse Node's binary carries; the value is fixed by Node (docs: single executable applications). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

interface Postject {
  inject(
    file: string,
    resource: string,
    data: Buffer,
    options: { sentinelFuse: string; overwrite?: boolean },
  ): Promise<void>;
}

export interface SeaResult {
  executable: string;
  bundle: string;
  bytes: number;
  bundleBytes: number;
  ms: number;
}

export async function buildSea(outdir: string = path.join(cliDir, 'dist/sea')): Promise<SeaResult> {
  const started = performance.now();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24)
    throw new Error(
      `the single executable needs Node >= 24 (npm scripts use the pinned one), this is ${process.version}`,
    );
  mkdirSync(outdir, { recursive: true });
  const { file: bundle, bytes: bundleBytes } = await bundleCli(outdir);
  const blob = path.join(outdir, 'sea-prep.blob');
  const config = path.join(outdir, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const executable = path.join(outdir, process.platform === 'win32' ? 'kubectl-bluegreen.exe' : 'kubectl-bluegreen');
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  const postject = createRequire(import.meta.url)('postject') as Postject;
  await postject.inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, overwrite: true });
  return { executable, bundle, bytes: statSync(executable).size, bundleBytes, ms: performance.now() - started };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildSea(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `built ${path.relative(process.cwd(), r.executable)}: ${mib(r.bytes)} MiB (bundle ${mib(r.bundleBytes)} MiB) in ${(r.ms / 1000).toFixed(1)} s\n`,
  );
}
