// `layers/allowed-imports`: an import allow-list as one small local rule (docs/adr/0022).
//
// Why not `no-restricted-imports` with negated patterns: it matches the import's text with
// gitignore patterns, and gitignore cannot re-include a path under an excluded folder (`**`
// then `!../api/**` still bans `../api/types.ts`); its text matching also reads
// `../api/../k8s/writers.ts` as api. This rule resolves each relative import against the
// importing file and compares repository paths, so what is not listed is refused.
//
// Options: { allow: Entry[], governs?: string[], message: string }
//   { path: 'dir/' }      every module under a folder (the trailing slash says folder)
//   { path: 'dir/x.ts' }  one module
//   { module: 'name', typesOnly?: true, names?: string[] }
//                         a package or built-in, by its exact name; `typesOnly`: only
//                         `import type` / `export type` (under verbatimModuleSyntax an inline
//                         `import { type X }` still loads the module); `names`: only these
//                         named imports
//   governs: the repository path prefixes this rule judges; imports resolving elsewhere, and
//            packages, are left to other rules. Unset: every import is judged, packages and
//            built-ins included.
// Judged: `import` and `export ... from` declarations. Where the rule keeps code pure, dynamic
// `import()` and `require` are banned outright by no-restricted-syntax / no-restricted-globals.
import path from 'node:path';

const entrySchema = {
  type: 'object',
  properties: {
    path: { type: 'string' },
    module: { type: 'string' },
    typesOnly: { type: 'boolean' },
    names: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

/** The imported module as a repository path with forward slashes, e.g. `operator/src/api/types.ts`. */
function repositoryPath(context, specifier) {
  const absolute = path.resolve(path.dirname(context.filename), specifier);
  return path.relative(context.cwd, absolute).split(path.sep).join('/');
}

function isRelative(specifier) {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
}

function pathAllows(entry, target) {
  return entry.path.endsWith('/') ? target.startsWith(entry.path) : target === entry.path;
}

function isTypeOnly(node) {
  return node.importKind === 'type' || node.exportKind === 'type';
}

/** The names a declaration takes from its module; `*` for a default, namespace or `export *`. */
function takenNames(node) {
  if (node.type === 'ExportAllDeclaration') return ['*'];
  return node.specifiers.map((s) => {
    if (s.type === 'ImportSpecifier') return s.imported.name ?? s.imported.value;
    if (s.type === 'ExportSpecifier') return s.local.name ?? s.local.value;
    return '*';
  });
}

function moduleAllows(entry, node, specifier) {
  if (entry.module !== specifier) return false;
  if (entry.typesOnly && !isTypeOnly(node)) return false;
  return !entry.names || takenNames(node).every((name) => entry.names.includes(name));
}

/** True when the options let `node` import `specifier`, or when they do not govern it. */
function allowed(context, options, node, specifier) {
  const { allow, governs } = options;
  if (!isRelative(specifier)) {
    // With `governs` the rule judges repository paths only; packages are another rule's concern.
    return governs !== undefined || allow.some((e) => e.module && moduleAllows(e, node, specifier));
  }
  const target = repositoryPath(context, specifier);
  if (governs && !governs.some((prefix) => target.startsWith(prefix))) return true;
  return allow.some((e) => e.path && pathAllows(e, target));
}

const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Allow only the listed modules to be imported (a true allow-list).' },
    schema: [
      {
        type: 'object',
        properties: {
          allow: { type: 'array', items: entrySchema },
          governs: { type: 'array', items: { type: 'string' } },
          message: { type: 'string' },
        },
        required: ['allow', 'message'],
        additionalProperties: false,
      },
    ],
    messages: { notAllowed: "'{{specifier}}' is not on this layer's allow-list: {{message}}" },
  },
  create(context) {
    const [options] = context.options;
    function judge(node) {
      if (!node.source) return; // `export { x }` without `from`
      const specifier = node.source.value;
      if (allowed(context, options, node, specifier)) return;
      context.report({ node: node.source, messageId: 'notAllowed', data: { specifier, message: options.message } });
    }
    return { ImportDeclaration: judge, ExportNamedDeclaration: judge, ExportAllDeclaration: judge };
  },
};

export const layersPlugin = { meta: { name: 'layers' }, rules: { 'allowed-imports': allowedImports } };
