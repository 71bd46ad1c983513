#!/usr/bin/env bash
# npm run cluster:up [-- --nodes=real|kwok|real,kwok|none]
# Brings up (or completes) the local cluster; idempotent and additive: running parts are
# left alone, missing ones are started. --nodes=none is the fast control-plane-only mode.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
for f in prereq certs network controlplane node images addons kwok env; do source "$CLUSTER_LIB/$f.sh"; done

nodes=real
for arg in "$@"; do
  case "$arg" in
    --nodes=*) nodes=${arg#--nodes=} ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) die "unknown argument '$arg': use --nodes=real|kwok|real,kwok|none" ;;
  esac
done
want_real=no want_kwok=no
case "$nodes" in
  real) want_real=yes ;; kwok) want_kwok=yes ;; real,kwok|kwok,real) want_real=yes want_kwok=yes ;; none) ;;
  *) die "--nodes must be real, kwok, real,kwok or none (got '$nodes')" ;;
esac

require_root
mkdir -p "$CLUSTER_DIR" "$LOG_DIR"
# Several test files (or a person and a test) may run this at once: one at a time.
exec 8>"$UP_LOCK"
flock 8
started=$SECONDS
check_prereqs "$want_real"

tools=(kubernetes etcd)
[[ $want_kwok == yes ]] && tools+=(kwok)
[[ $want_real == yes ]] && tools+=(crictl coredns metrics-server prometheus)
tools+=(helm)
for t in "${tools[@]}"; do
  [[ -f "$CACHE_DIR/$t-$(tool_version "$t")/.complete" ]] || say "building $t (cached afterwards in $CACHE_DIR; log $LOG_DIR/build-$t.log)"
  "$CLUSTER_SRC/build/all.sh" "$t" 2>"$LOG_DIR/build-$t.log" || die "building $t failed, see $LOG_DIR/build-$t.log"
done

setup_network
make_pki
start_control_plane
write_env "$nodes"   # early, so a kwok-only user can start while the rest comes up
[[ $want_real == yes ]] && { start_real_node; start_addons; }
[[ $want_kwok == yes ]] && start_kwok
write_env "$nodes"
say "cluster up in $((SECONDS - started))s (nodes: $(cat "$CLUSTER_DIR/nodes"))"
print_usage
