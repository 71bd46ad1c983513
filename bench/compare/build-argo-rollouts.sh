#!/usr/bin/env bash
# build-argo-rollouts.sh: builds (or finds cached) the Argo Rollouts controller and its CRDs
# for the side-by-side benchmark only; `npm test` never runs this. Prints the cache dir.
# Built from its Go module like the cluster's tools (test/cluster/build/gomain.sh), at the
# lowest priority: ~15 min cold on 2 cores, seconds once cached.
set -euo pipefail
build="$(cd "$(dirname "$0")/../../test/cluster/build" && pwd)"
ARGO_ROLLOUTS_VERSION=v1.10.2
# v1.10.2's go.mod says `go 1.26.10`; with an older local Go the go command fetches exactly
# that toolchain (itself a module on the Go module proxy) instead of refusing.
export GOTOOLCHAIN=${ARGO_ROLLOUTS_GOTOOLCHAIN:-go1.26.10}
module=github.com/argoproj/argo-rollouts
# Its k8s.io modules are pinned by replace directives that a wrapper module must copy.
GO_COPY_REPLACES=1 nice -n 19 "$build/gomain.sh" argo-rollouts "$module" "$ARGO_ROLLOUTS_VERSION" \
  rollouts-controller "$module/cmd/rollouts-controller" \
  "-X $module/utils/version.version=${ARGO_ROLLOUTS_VERSION#v} -X $module/utils/version.gitTag=$ARGO_ROLLOUTS_VERSION -X $module/utils/version.gitTreeState=clean" >/dev/null
nice -n 19 "$build/module-files.sh" argo-rollouts "$ARGO_ROLLOUTS_VERSION" "$module" manifests/crds crds
echo "${BLUEGREEN_CACHE_DIR:-/var/cache/bluegreen-operator}/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
