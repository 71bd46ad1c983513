// Builds the plugin: one CommonJS script, cli/dist/kubectl-bluegreen.cjs, from cli/src/bin.ts
// and what it reaches (operator/src/api, analysis and runtime modules, client-node's KubeConfig).
// CommonJS because Node 24's single executable application runs only a CommonJS entry
// (cli/build/sea.ts injects this same file); `npm install -g kubectl-bluegreen` runs it with
// the user's Node. See docs/adr/0020-kubectl-plugin.md.
//
//   node cli/build/bundle.ts [outdir]      (default cli/dist)
import { mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { generatedCodeIsPure, packageOf } from '../../operator/build/bundle.ts';

export const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(cliDir, '..');
export const defaultOutdir = path.join(cliDir, 'dist');
export const BUNDLE_NAME = 'kubectl-bluegreen.cjs';

export interface CliBundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

export async function bundleCli(outdir: string = defaultOutdir): Promise<CliBundle> {
  const file = path.join(outdir, BUNDLE_NAME);
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [path.join(cliDir, 'src/bin.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    // Smaller text to parse at every start; names stay readable in stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    plugins: [generatedCodeIsPure],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  const contents = result.outputFiles[0]!.contents;
  // Written under a temporary name and renamed: a concurrent test never runs half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents, { mode: 0o755 });
  renameSync(tmp, file);
  writeFileSync(path.join(outdir, 'THIRD_PARTY_LICENSES.txt'), licences(result.metafile));
  return { file, bytes: contents.byteLength, metafile: result.metafile };
}

/** The licence text of every package with code in the bundle, which the npm package and the executable ship. */
function licences(metafile: Metafile): string {
  const output = Object.values(metafile.outputs)[0]!;
  const packages = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOf(input);
    if (pkg && bytesInOutput > 0) packages.add(pkg);
  }
  const sections = [...packages].sort().map((pkg) => {
    const dir = path.resolve(repoRoot, pkg);
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file
      ? readFileSync(path.join(dir, file), 'utf8').trim()
      : `(no licence file; package.json says ${meta.license ?? 'nothing'})`;
    return `${meta.name}@${meta.version} (${meta.license ?? 'unknown'})\n\n${text}`;
  });
  return `Third-party software bundled into ${BUNDLE_NAME}\n\n${sections.join(`\n\n${'-'.repeat(78)}\n\n`)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { file, bytes, metafile } = await bundleCli(path.resolve(process.argv[2] ?? defaultOutdir));
  process.stdout.write(
    `bundled ${path.relative(process.cwd(), file)}: ${(bytes / 1024).toFixed(0)} KiB from ` +
      `${Object.keys(metafile.inputs).length} inputs in ${(performance.now() - started).toFixed(0)} ms\n`,
  );
}
