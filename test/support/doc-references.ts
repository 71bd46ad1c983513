// What README.md, the other root Markdown files and docs/**/*.md name that a reader will look for: repository paths, `npm run`
// scripts, and the numbers README quotes from the bench/results files it cites. Pure functions
// over the text and a small view of the repository, so test/unit/docs-consistency.test.ts can
// run them on the real docs and, on planted text, prove that each one catches a drift.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Doc {
  /** Repository-relative path, e.g. docs/helm.md. */
  file: string;
  text: string;
}

/** A reference and where it was found, for the failure message: "docs/helm.md:12". */
export interface Finding {
  where: string;
  reference: string;
}

export interface RepoView {
  /** Does this repository-relative path (a file or a directory) exist? */
  exists(relPath: string): boolean;
  /** Names in a repository-relative directory ([] when it is absent). */
  list(relDir: string): string[];
  /** Names at the root a written-out path can start with (dot entries left out but .github). */
  topLevel: ReadonlySet<string>;
  /** The layers of operator/src (api, planner, ...): docs name their files as "planner/plan.ts". */
  sourceLayers: ReadonlySet<string>;
  /** Scripts of the root package.json, or of a workspace's. */
  scripts(workspace?: string): ReadonlySet<string>;
}

const SOURCE_ROOT = 'operator/src';
const RESULTS_DIR = 'bench/results/';

// Paths the docs rightly name that exist only after a command ran, never in a checkout.
export const GENERATED_PATHS: ReadonlyArray<readonly [prefix: string, madeBy: string]> = [
  ['operator/dist/', 'npm run build'],
  ['cli/dist/', 'npm run -w cli build (and sea)'],
  ['sample-services/.image-context/', 'sample-services/scripts/image-context.sh'],
  ['demo/report/', 'npm run demo'],
  ['loadtest/results/', 'npm run loadtest'],
];

/** The root's Markdown files (README, CONTRIBUTING, ...) and every one under docs/. */
export function markdownDocs(root: string): Doc[] {
  const atRoot = readdirSync(root).filter((n) => n.endsWith('.md'));
  return [...atRoot, ...markdownUnder(root, 'docs')].map((file) => ({
    file,
    text: readFileSync(path.join(root, file), 'utf8'),
  }));
}

function markdownUnder(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return markdownUnder(root, `${dir}/${e.name}`);
    return e.name.endsWith('.md') ? [`${dir}/${e.name}`] : [];
  });
}

export function repoOnDisk(root: string): RepoView {
  const dirsIn = (rel: string) =>
    readdirSync(path.join(root, rel), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  const scriptsOf = (dir: string) => {
    const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    return new Set(Object.keys(pkg.scripts ?? {}));
  };
  return {
    exists: (rel) => existsSync(path.join(root, rel)),
    list: (rel) => {
      const dir = path.join(root, rel);
      return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : [];
    },
    topLevel: new Set(readdirSync(root).filter((n) => n !== 'node_modules' && (!n.startsWith('.') || n === '.github'))),
    sourceLayers: new Set(dirsIn(SOURCE_ROOT)),
    scripts: (workspace) => scriptsOf(workspace ?? '.'),
  };
}

function numberedLines(doc: Doc): Array<{ where: string; line: string }> {
  return doc.text.split('\n').map((line, i) => ({ where: `${doc.file}:${i + 1}`, line }));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (names: ReadonlySet<string>) => [...names].map(escapeRegExp).join('|');

// ---- paths -------------------------------------------------------------------------------------

/** Relative Markdown link targets, resolved against the doc's directory, without #anchors. */
export function linkTargets(doc: Doc): Finding[] {
  const dir = path.posix.dirname(doc.file);
  return numberedLines(doc).flatMap(({ where, line }) =>
    [...line.matchAll(/\]\(([^)\s]+)\)/g)].flatMap((m) => {
      const target = m[1]!.split('#')[0]!;
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) return []; // an anchor, a URL
      return [{ where, reference: path.posix.normalize(path.posix.join(dir, target)) }];
    }),
  );
}

// A written-out path is not part of a longer one: "/app/main.mjs", ".cluster/logs" or
// "github.com/x/test/y" name nothing in this repository.
const NOT_INSIDE_A_PATH = '(?<![\\w./@:-])';

/**
 * Repository paths written out in a doc, in prose or code: from the root ("test/unit/x.test.ts",
 * `bench/results/`, "bench/results/x-<date>.md" as a pattern) or, for files of the operator's
 * layers, from operator/src ("planner/plan.ts": a name with an extension, so "planner/ and api/"
 * or the module "k8s/writers" are prose, not paths).
 */
export function pathMentions(doc: Doc, repo: Pick<RepoView, 'topLevel' | 'sourceLayers'>): Finding[] {
  const fromRoot = new RegExp(`${NOT_INSIDE_A_PATH}(?:${alternatives(repo.topLevel)})/[\\w.@/*<>-]*`, 'g');
  const fromSource = new RegExp(`${NOT_INSIDE_A_PATH}(?:${alternatives(repo.sourceLayers)})/[\\w.@/-]*\\.\\w+`, 'g');
  return numberedLines(doc).flatMap(({ where, line }) => [
    ...[...line.matchAll(fromRoot)].map((m) => ({ where, reference: asPattern(m[0]) })),
    ...[...line.matchAll(fromSource)].map((m) => ({ where, reference: `${SOURCE_ROOT}/${asPattern(m[0])}` })),
  ]);
}

/** A sentence's full stop is not part of the path; a "<placeholder>" stands for any name. */
function asPattern(p: string): string {
  return p.replace(/\.+$/, '').replace(/<[^<>/]*>/g, '*');
}

/**
 * Does the path exist? A "*" matches within one name, as in the shell, and an ADR may be named
 * by its number alone: docs/adr/0018 is docs/adr/0018-*.md.
 */
export function pathExists(relPath: string, repo: RepoView): boolean {
  const p = relPath.replace(/\/+$/, '').replace(/^(docs\/adr\/\d{4})$/, '$1-*.md');
  if (!p.includes('*')) return repo.exists(p);
  let candidates = [''];
  for (const part of p.split('/')) {
    const name = new RegExp(`^${part.split('*').map(escapeRegExp).join('[^/]*')}$`);
    candidates = candidates.flatMap((dir) =>
      part.includes('*')
        ? repo
            .list(dir)
            .filter((n) => name.test(n))
            .map((n) => join(dir, n))
        : [join(dir, part)],
    );
  }
  return candidates.some((c) => repo.exists(c));
}

const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);

export const isGenerated = (relPath: string) => GENERATED_PATHS.some(([prefix]) => relPath.startsWith(prefix));

/** Paths a doc names (links and written-out paths) that do not exist. */
export function missingPaths(doc: Doc, repo: RepoView): Finding[] {
  return [...linkTargets(doc), ...pathMentions(doc, repo)].filter(
    (f) => !isGenerated(f.reference) && !pathExists(f.reference, repo),
  );
}

// ---- npm scripts -------------------------------------------------------------------------------

/** `npm run X`, `npm run -s X`, `npm -w W run X`, `npm test`: each script with its workspace. */
export function npmScripts(doc: Doc): Array<Finding & { workspace?: string }> {
  return numberedLines(doc).flatMap(({ where, line }) =>
    [...line.matchAll(/\bnpm\s+([^|;&#`]*)/g)].flatMap((m) => {
      const script = scriptOf(m[1]!.trim().split(/\s+/));
      return script ? [{ where, ...script }] : [];
    }),
  );
}

/** Reads npm's arguments: flags (-w takes a value), the command, and for run the script. */
function scriptOf(args: string[]): { reference: string; workspace?: string } | undefined {
  let workspace: string | undefined;
  let command: string | undefined;
  const found = (reference: string) => ({ reference, ...(workspace ? { workspace } : {}) });
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (arg === '-w' || arg === '--workspace') workspace = args[++i];
    else if (arg.startsWith('--workspace=')) workspace = arg.slice('--workspace='.length);
    else if (arg.startsWith('-')) continue;
    else if (command !== undefined) return found(arg);
    else if (arg === 'test' || arg === 't') return found('test');
    else if (arg === 'run' || arg === 'run-script') command = arg;
    else return undefined; // ci, install, exec, ...: not a script
  }
  return undefined;
}

/** Scripts a doc tells the reader to run that the package.json it runs in does not have. */
export function missingScripts(doc: Doc, repo: RepoView): Finding[] {
  return npmScripts(doc)
    .filter((s) => !repo.scripts(s.workspace).has(s.reference))
    .map(({ where, reference, workspace }) => ({
      where,
      reference: workspace ? `${workspace}: ${reference}` : reference,
    }));
}

// ---- numbers quoted from bench/results ---------------------------------------------------------

/** A passage that cites bench/results files, and the measured numbers it quotes. */
export interface Quote {
  where: string;
  files: string[];
  numbers: string[];
}

/**
 * A doc cut into what one citation covers: a table row, a heading or a list item's first line
 * stands alone; a paragraph (up to a blank line or one of those) is one passage, so a number on
 * the line after its citation still counts. `where` is the passage's first line.
 */
function passages(doc: Doc): Array<{ where: string; lines: string[] }> {
  const out: Array<{ where: string; lines: string[] }> = [];
  let open: { where: string; lines: string[] } | undefined;
  for (const { where, line } of numberedLines(doc)) {
    if (line.trim() === '') open = undefined;
    else if (open && !/^\s*(\||#|[-*+] |\d+\. |```)/.test(line)) open.lines.push(line);
    else {
      open = { where, lines: [line] };
      out.push(open);
      if (/^\s*(\||#|```)/.test(line)) open = undefined;
    }
  }
  return out;
}

/**
 * The passages of a doc that cite bench/results files (a link or a written-out path), with the
 * measured numbers they quote: decimals ("115.7", "0.77×") and numbers with thousands separators
 * ("13,002"). Versions ("v1.10.2", "3.16.0") are not measurements, nor are plain integers (the
 * counts and settings of a run: "N = 100", "60 s"). A table row whose first cell begins "same
 * run" quotes the files of the nearest row above it that cites some.
 */
export function quotes(doc: Doc, repo: Pick<RepoView, 'topLevel' | 'sourceLayers'>): Quote[] {
  let lastCitingRow: string[] = [];
  return passages(doc).flatMap(({ where, lines }) => {
    const passage: Doc = { file: doc.file, text: lines.join('\n') };
    const cited = [...linkTargets(passage), ...pathMentions(passage, repo)].map((f) => f.reference);
    let files = [...new Set(cited.filter((f) => f.startsWith(RESULTS_DIR) && f.length > RESULTS_DIR.length))];
    const row = lines[0]!.startsWith('|');
    if (row && files.length > 0) lastCitingRow = files;
    else if (row && /^\|\s*same runs?\b/i.test(lines[0]!)) files = lastCitingRow;
    const numbers = lines.flatMap(measuredNumbers);
    return files.length > 0 && numbers.length > 0 ? [{ where, files, numbers }] : [];
  });
}

export function measuredNumbers(text: string): string[] {
  const withoutVersions = text.replace(/\bv?\d+(?:\.\d+){2,}\b/g, ' ').replace(/\bv\d+(?:\.\d+)*/g, ' ');
  return [...withoutVersions.matchAll(/(?<![\w.,])(?:\d+\.\d+|\d{1,3}(?:,\d{3})+)(?!\w|[.,]\d)/g)].map((m) => m[0]);
}

/** Is the number written in the text as a whole number, with or without thousands separators? */
export function appearsIn(number: string, text: string): boolean {
  const spellings = [...new Set([number, number.replaceAll(',', '')])].map(escapeRegExp);
  return new RegExp(`(?<![\\d.,])(?:${spellings.join('|')})(?!\\d|[.,]\\d)`).test(text);
}

/** Numbers a doc quotes beside bench/results files that none of those files contains. */
export function unsupportedQuotes(doc: Doc, repo: RepoView, read: (relPath: string) => string): Finding[] {
  return quotes(doc, repo).flatMap((q) => {
    const texts = q.files.filter((f) => repo.exists(f)).map(read);
    return q.numbers
      .filter((n) => !texts.some((t) => appearsIn(n, t)))
      .map((n) => ({ where: q.where, reference: `${n} (not in ${q.files.join(', ')})` }));
  });
}
