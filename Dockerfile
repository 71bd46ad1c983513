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
# What runs is one pre-built ES module, /app/main.mjs: operator/src/main.ts and only the code
# it reaches, bundled by esbuild (from the npm ci tree) inside this build, so the image never
# carries a bundle older than its source. No .ts is type-stripped at start and no unused
# module is loaded; see docs/adr/0005-footprint-prebuilt-bundle.md for what that saves.
ARG BASE_IMAGE=bluegreen/node-base:24.21.0

# Stage 1: bundle. esbuild's native binary comes from its platform package in node_modules,
# and npm ci installed only the one for the build machine; the output is plain JavaScript for
# every architecture. So this stage always runs on the build platform ($BUILDPLATFORM, set by
# BuildKit and by buildah), also in a multi-arch build (release.yml's linux/arm64 under QEMU),
# and the target-platform stages below only copy its output. On a single-platform build
# (the local cluster's buildah) the build platform is the target: nothing changes there.
FROM --platform=$BUILDPLATFORM ${BASE_IMAGE} AS build
WORKDIR /ctx
COPY package.json ./
COPY node_modules ./node_modules
COPY operator ./operator
RUN ["node", "operator/build/bundle.ts", "/app"]

# Stage 2: prove the bundle is complete with the very runtime that will run it. A malformed
# argument makes main.ts exit with status 2 after every module of the bundle has loaded and
# evaluated (all imports are static), so a missing dependency or a load-time error fails here.
FROM ${BASE_IMAGE} AS verify
COPY --from=build /app /app
RUN ["node", "-e", "\
const { spawnSync } = require('node:child_process'); \
const r = spawnSync(process.execPath, ['--enable-source-maps', '/app/main.mjs', 'verify-image'], { encoding: 'utf8' }); \
if (r.status !== 2 || !r.stderr.includes('unknown argument')) { \
  console.error(`operator image: /app/main.mjs did not load: status ${r.status}\\n${r.stderr}`); process.exit(1); \
} \
console.log('operator image: main.mjs loads'); \
"]

# Stage 3: the runtime. Files belong to root and are read-only to the operator's user, which is
# unprivileged (65532, like distroless "nonroot"); nothing is written to disk, so the pod runs
# with readOnlyRootFilesystem. node is PID 1 and receives SIGTERM directly: main.ts releases the
# leader Lease and exits, so a standby replica takes over at once. --enable-source-maps makes
# stack traces name operator/src/*.ts lines (the map has mappings only, no source text);
# --optimize-for-size keeps V8's heap small after the informers' initial lists. The flags are
# operator/build/node-flags.ts (a unit test keeps this line equal to it).
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
COPY --from=verify /app/main.mjs /app/main.mjs.map /app/THIRD_PARTY_LICENSES.txt /app/
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8080
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "--enable-source-maps", "--optimize-for-size", "/app/main.mjs"]
