// Builds what the operator runs: one tree-shaken ES module, operator/dist/main.mjs, from
// operator/src/main.ts and the parts of its dependencies that main.ts reaches. Why: a process
// that strips .ts types at load time and imports @kubernetes/client-node's root module sits at
// ~148 MiB RSS before caching anything (bench/README.md); most of that is source text V8 keeps
// for modules the operator never calls. See docs/adr/ (footprint: pre-built bundle).
//
//   node operator/build/bundle.ts [outdir]     (default operator/dist)
//
// Needs only the npm ci tree (esbuild's native binary comes from its platform package), never
// the network. The image build (Dockerfile) and the test/bench helpers that start the operator
// as a process run it, so nothing runs a stale bundle. Outputs:
//   main.mjs            the operator (node --enable-source-maps main.mjs)
//   main.mjs.map        source map of operator/src only, without source text: stack traces
//                       name operator/src/*.ts lines (dependencies keep their main.mjs lines)
//   meta.json           esbuild's metafile: which input contributed how many bytes
//   THIRD_PARTY_LICENSES.txt  licence texts of every package bundled, which the image ships
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { keepSources, type SourceMapV3 } from './sourcemap.ts';

export const operatorDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultOutdir = path.join(operatorDir, 'dist');
const repoRoot = path.resolve(operatorDir, '..');

/**
 * True when outdir holds a bundle built after the last change to any file it was built from
 * (the metafile lists them: our sources and every dependency module), so callers that start
 * the operator many times need not rebuild it each time.
 */
export function bundleIsFresh(outdir: string = defaultOutdir): boolean {
  try {
    const built = statSync(path.join(outdir, 'main.mjs')).mtimeMs;
    const meta = JSON.parse(readFileSync(path.join(outdir, 'meta.json'), 'utf8')) as Metafile;
    return Object.keys(meta.inputs).every((input) => statSync(path.join(repoRoot, input)).mtimeMs <= built);
  } catch {
    return false; // missing bundle, metafile or input: build
  }
}

export interface BundleResult {
  outdir: string;
  /** Absolute path of main.mjs. */
  main: string;
  metafile: Metafile;
}

/**
 * Bundles operator/src/main.ts into outdir. Files are written under a temporary name and
 * renamed, so a concurrent reader (another test worker starting the operator) never sees a
 * half-written bundle.
 */
export async function bundleOperator(outdir: string = defaultOutdir): Promise<BundleResult> {
  const result = await build({
    // Metafile input paths relative to the repository root, wherever this runs from.
    absWorkingDir: repoRoot,
    entryPoints: [path.join(operatorDir, 'src/main.ts')],
    outfile: path.join(outdir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // CommonJS dependencies (prom-client) call require() for Node built-ins; an ES module has
    // no require, so give the bundle one.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);",
    },
    // Mappings only: a stack trace needs file, line and column, not the source text, and the
    // map is loaded into the heap by --enable-source-maps.
    sourcemap: 'linked',
    sourcesContent: false,
    // Licence headers go to one file next to the bundle instead of being scattered in it.
    legalComments: 'none',
    plugins: [generatedCodeIsPure],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  const files = new Map<string, string | Uint8Array>(
    result.outputFiles.map((f) => [
      f.path,
      // Map our own code only: see sourcemap.ts for what mapping the dependencies would cost.
      f.path.endsWith('.map')
        ? JSON.stringify(keepSources(JSON.parse(f.text) as SourceMapV3, (source) => !source.includes('node_modules/')))
        : f.contents,
    ]),
  );
  files.set(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  files.set(path.join(outdir, 'THIRD_PARTY_LICENSES.txt'), thirdPartyLicenses(result.metafile));
  for (const [file, contents] of files) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, file);
  }
  return { outdir, main: path.join(outdir, 'main.mjs'), metafile: result.metafile };
}

/**
 * client-node's KubeConfig module imports its generated index (every API class and ~750 model
 * classes) for two small helpers. Each generated model ends in statements such as
 * `V1PodSpec.discriminator = undefined`, which a bundler must keep as side effects unless
 * told otherwise, so the whole generated API would be bundled and parsed at start. Those
 * statements only set up each module's own exports, so a generated module whose exports
 * nothing uses can go: mark dist/gen/** side-effect free (as package.json "sideEffects": false
 * would). Guarded by test/unit/bundle.test.ts.
 */
export const generatedCodeIsPure: Plugin = {
  name: 'client-node-generated-code-is-pure',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (!args.importer.includes('/@kubernetes/client-node/dist/') || args.pluginData === generatedCodeIsPure)
        return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: generatedCodeIsPure,
      });
      if (resolved.errors.length > 0 || !resolved.path.includes('/@kubernetes/client-node/dist/gen/')) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** Bytes each input contributes to main.mjs, keyed by its path relative to the repository root. */
export function bytesByInput(metafile: Metafile): Map<string, number> {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('main.mjs'));
  if (!output) throw new Error('metafile has no main.mjs output');
  return new Map(Object.entries(output[1].inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]));
}

/** The package directory (…/node_modules/<name> or …/node_modules/@scope/<name>) of an input. */
export function packageOf(input: string): string | undefined {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m?.[1];
}

/**
 * The licence file of every package with code in the bundle. The image used to carry each
 * package's own directory (and so its LICENSE); a bundle must carry the notices itself.
 */
function thirdPartyLicenses(metafile: Metafile): string {
  const root = repoRoot;
  const packages = new Set<string>();
  for (const [input, bytes] of bytesByInput(metafile)) {
    const pkg = packageOf(input);
    if (pkg && bytes > 0) packages.add(pkg);
  }
  const sections: string[] = [];
  for (const pkg of [...packages].sort()) {
    const dir = path.resolve(root, pkg);
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = licenceFile
      ? readFileSync(path.join(dir, licenceFile), 'utf8').trim()
      : `(no licence file in the package; package.json says ${meta.license ?? 'nothing'})`;
    sections.push(`${meta.name}@${meta.version} (${meta.license ?? 'unknown'})\n\n${text}`);
  }
  return `Third-party software bundled into main.mjs\n\n${sections.join(`\n\n${'-'.repeat(78)}\n\n`)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] ?? defaultOutdir);
  rmSync(path.join(outdir, 'main.mjs.map'), { force: true });
  const started = performance.now();
  const { main, metafile } = await bundleOperator(outdir);
  const bytes = [...bytesByInput(metafile).values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `bundled ${path.relative(process.cwd(), main)}: ${(bytes / 1024).toFixed(0)} KiB from ` +
      `${Object.keys(metafile.inputs).length} inputs in ${(performance.now() - started).toFixed(0)} ms\n`,
  );
}
