# bluegreen-operator image.
#
# Build contract
#   context     the repository root AFTER `npm ci` (the installed node_modules is the input;
#               .dockerignore drops tests, docs, the pinned Node binary and everything else)
#   BASE_IMAGE  any Node 24 runtime with `node` on PATH. No npm, no shell needed: dependencies
#               are never installed inside the build, so it works offline and with a bare
#               runtime such as the one test/cluster assembles (bluegreen/node-base:24.21.0).
#
#   local:   npm ci && npm run cluster:load-image -- Dockerfile . bluegreen/operator:dev
#   GitHub:  npm ci && docker build --build-arg BASE_IMAGE=node:24.21.0-bookworm-slim \
#              --build-arg VERSION=0.1.0 --build-arg REVISION=$GITHUB_SHA -t <repo>:<tag> .
#
# No build step: Node 24 strips the TypeScript types of operator/src/*.ts at load time.
ARG BASE_IMAGE=bluegreen/node-base:24.21.0

# Stage 1: keep exactly the packages reachable from operator/package.json "dependencies"
# (the same walk Node's resolver does: <dir>/node_modules/<dep>, then each parent directory),
# minus type declarations and source maps. Why not `npm ci --omit=dev`: the base image has no
# npm, and the workspace's dev dependencies (vitest, typescript, the Node binary) are hoisted
# into the same node_modules, so copying it wholesale would triple the image.
FROM ${BASE_IMAGE} AS deps
WORKDIR /ctx
COPY package.json package-lock.json ./
COPY node_modules ./node_modules
COPY operator ./operator
RUN ["node", "-e", "\
const fs = require('node:fs'), path = require('node:path'); \
const ctx = '/ctx', out = '/app', seen = new Set(); \
const read = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')); \
function resolve(from, dep) { \
  for (let dir = from; ; dir = path.dirname(dir)) { \
    const at = path.join(dir, 'node_modules', dep); \
    if (fs.existsSync(path.join(at, 'package.json'))) return at; \
    if (dir === ctx) return undefined; \
  } \
} \
function visit(dir) { \
  const pkg = read(dir), optional = pkg.optionalDependencies ?? {}; \
  for (const dep of Object.keys({ ...pkg.dependencies, ...optional })) { \
    const at = resolve(dir, dep); \
    if (at === undefined) { if (dep in optional) continue; throw new Error(`${dep} (needed by ${dir}) is not installed: run npm ci first`); } \
    if (!seen.has(at)) { seen.add(at); visit(at); } \
  } \
} \
visit(path.join(ctx, 'operator')); \
const junk = (f) => /\\.(d\\.[cm]?ts|map)$/.test(f) || path.basename(f) === 'node_modules' || path.basename(f) === '.bin'; \
for (const at of seen) { \
  fs.cpSync(at, path.join(out, path.relative(ctx, at)), { recursive: true, filter: (f) => f === at || !junk(f) }); \
} \
fs.cpSync(path.join(ctx, 'operator'), path.join(out, 'operator'), { recursive: true, filter: (f) => path.basename(f) !== 'node_modules' }); \
console.log(`operator image: ${seen.size} production packages`); \
"]

# Stage 2: prove the pruned tree is complete with the very runtime that will run it: every
# module of operator/src (main.ts aside, it would start the operator) must load.
FROM ${BASE_IMAGE} AS verify
COPY --from=deps /app /app
RUN ["node", "--input-type=module", "-e", "\
import { globSync } from 'node:fs'; \
const files = globSync('/app/operator/src/**/*.ts').filter((f) => !f.endsWith('/main.ts')); \
for (const f of files) await import(f); \
console.log(`operator image: ${files.length} modules load`); \
"]

# Stage 3: the runtime. Files belong to root and are read-only to the operator's user, which is
# unprivileged (65532, like distroless "nonroot"); nothing is written to disk, so the pod runs
# with readOnlyRootFilesystem. node is PID 1 and receives SIGTERM directly: main.ts releases the
# leader Lease and exits, so a standby replica takes over at once.
FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/bluegreen-operator/bluegreen-operator
LABEL org.opencontainers.image.title="bluegreen-operator" \
      org.opencontainers.image.description="Zero-downtime blue-green releases for Kubernetes with Prometheus-gated promotion and instant rollback" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
COPY --from=verify /app /app
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8080
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "/app/operator/src/main.ts"]
