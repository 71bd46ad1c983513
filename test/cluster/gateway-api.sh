#!/usr/bin/env bash
# gateway-api.sh: what the e2e scenario of exact canary weights (test/e2e/canary-gateway.test.ts,
# docs/adr/0017) needs, built or found in the cache (idempotent, safe to run concurrently):
#   - Traefik v3's binary: a Gateway API implementation that runs as a host process, started
#     and stopped by the test with the cluster's kubeconfig (its kubernetesGateway provider);
#   - the Gateway API CRDs (standard channel) of a pinned sigs.k8s.io/gateway-api, cached next
#     to it by the build.
# Prints one line of shell assignments (TRAEFIK_BIN=... GATEWAY_CRD_DIR=... ...).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
"$CLUSTER_SRC/build/all.sh" traefik
dir=$CACHE_DIR/traefik-$TRAEFIK_VERSION
[[ -x $dir/bin/traefik ]] || die "$dir/bin/traefik missing: test/cluster/build/all.sh traefik did not build it"
[[ -f $dir/gateway-api-crds/.complete ]] || die "$dir/gateway-api-crds missing: test/cluster/build/all.sh traefik did not cache them"
echo "TRAEFIK_BIN=$dir/bin/traefik GATEWAY_CRD_DIR=$dir/gateway-api-crds TRAEFIK_VERSION=$TRAEFIK_VERSION" \
  "GATEWAY_API_VERSION=$GATEWAY_API_VERSION TRAEFIK_BUILD_SECONDS=$(cat "$dir/build-seconds" 2>/dev/null || echo cached)"
