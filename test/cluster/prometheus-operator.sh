#!/usr/bin/env bash
# prometheus-operator.sh: everything an e2e scenario needs to run the Prometheus Operator on
# the local cluster, built or found in the cache (idempotent, safe to run concurrently):
#   - the operator binary (it runs as a host process started and stopped by the test),
#   - the monitoring.coreos.com CRDs of that version (from its Go module, cached by the build),
#   - images for the pods it creates, imported into containerd: Prometheus 3 (the same cached
#     build as the host Prometheus) and the prometheus-config-reloader sidecar.
# Prints one line of shell assignments (PROMETHEUS_OPERATOR_BIN=... CRD_DIR=... ...).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$CLUSTER_LIB/node.sh"; source "$CLUSTER_LIB/images.sh"
[[ $(id -u) -eq 0 ]] || die "must run as root (buildah and containerd)"
"$CLUSTER_SRC/build/all.sh" prometheus prometheus-operator
op_dir=$CACHE_DIR/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION
prom_dir=$CACHE_DIR/prometheus-$PROMETHEUS_VERSION
prom_image=bluegreen/prometheus:v$PROMETHEUS_RELEASE
reloader_image=bluegreen/prometheus-config-reloader:$PROMETHEUS_OPERATOR_VERSION

# The CRDs come with the build (all.sh caches the module's example/prometheus-operator-crd
# next to the binary); the build's scratch tree is not kept, so nothing here reads it.
[[ -f $op_dir/crds/.complete ]] || die "$op_dir/crds missing: test/cluster/build/all.sh prometheus-operator did not cache them"

exec 9>"$CACHE_DIR/.prometheus-operator-extras.lock"
flock 9
# image_with_binary <cache key> <image> <binary> <path in image> [buildah config args...]
image_with_binary() {
  local key=$1 name=$2 bin=$3 at=$4 tmp; shift 4
  if [[ ! -f $CACHE_DIR/$key/.complete ]]; then
    tmp=$(mktemp -d)
    mkdir -p "$tmp/rootfs/tmp" "$tmp/rootfs$(dirname "$at")"; chmod 1777 "$tmp/rootfs/tmp"
    cp "$bin" "$tmp/rootfs$at"
    image_from_rootfs "$key" "$name" "$tmp/rootfs" --entrypoint "[\"$at\"]" --user 65534:65534 "$@"
    rm -rf "$tmp"
  fi
  import_archive "$CACHE_DIR/$key/image.tar" "$name"
}
# The operator passes only arguments to Prometheus (the image's entrypoint is the binary) and
# runs the reloader as /bin/prometheus-config-reloader.
image_with_binary "prometheus-image-$PROMETHEUS_VERSION" "$prom_image" "$prom_dir/bin/prometheus" /bin/prometheus >/dev/null
image_with_binary "prometheus-config-reloader-image-$PROMETHEUS_OPERATOR_VERSION" "$reloader_image" \
  "$op_dir/bin/prometheus-config-reloader" /bin/prometheus-config-reloader >/dev/null
echo "PROMETHEUS_OPERATOR_BIN=$op_dir/bin/operator CRD_DIR=$op_dir/crds PROMETHEUS_IMAGE=$prom_image" \
  "PROMETHEUS_VERSION=v$PROMETHEUS_RELEASE RELOADER_IMAGE=$reloader_image"
