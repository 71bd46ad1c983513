#!/usr/bin/env bash
# npm run cluster:load-image -- <Dockerfile> <context-dir> <name:tag>
# Builds an image with buildah (no registry, no pulls; the Dockerfile's FROM may use
# ARG BASE_IMAGE, which is the local Node base image) and imports it into containerd's
# k8s.io namespace. A Pod then runs it with image: <name:tag> and imagePullPolicy: Never.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$CLUSTER_LIB/node.sh"; source "$CLUSTER_LIB/images.sh"
[[ $# -eq 3 ]] || die "usage: npm run cluster:load-image -- <Dockerfile> <context-dir> <name:tag>"
dockerfile=$1 context=$2 name=$3
# npm runs scripts from the repo root; resolve relative paths against the caller's cwd.
if [[ -n ${INIT_CWD:-} ]]; then
  [[ $dockerfile == /* ]] || dockerfile=$INIT_CWD/$dockerfile
  [[ $context == /* ]] || context=$INIT_CWD/$context
fi
[[ -f $dockerfile ]] || die "Dockerfile '$dockerfile' not found"
[[ -d $context ]] || die "context dir '$context' not found"
[[ $name =~ ^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+$ ]] || die "image name '$name' must look like name:tag (short local name, no registry)"
[[ $name == */*.*/* || $name == *.*/* ]] && die "image name '$name' names a registry host; use a short local name like bluegreen/app:dev"
[[ $(id -u) -eq 0 ]] || die "must run as root (buildah and containerd): run it with sudo"
[[ -S $CONTAINERD_SOCK ]] || die "containerd is not running: run 'npm run cluster:up -- --nodes=real' first"
mkdir -p "$LOG_DIR" "$RUN_DIR"
ensure_base_in_buildah
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
started=$SECONDS
bah bud --pull=never --layers=false --build-arg "BASE_IMAGE=$NODE_BASE_IMAGE" -f "$dockerfile" -t "$name" "$context" \
  >"$LOG_DIR/load-image.log" 2>&1 || { tail -20 "$LOG_DIR/load-image.log" >&2; die "buildah bud failed, full log $LOG_DIR/load-image.log"; }
bah push --quiet "$name" "docker-archive:$tmp/image.tar:$name"
import_archive "$tmp/image.tar"
say "loaded $name into the cluster in $((SECONDS - started))s (use imagePullPolicy: Never or IfNotPresent)"
