#!/usr/bin/env bash
# npm run cluster:down: stop everything up.sh started and put the host back as found:
# no processes, mounts, iptables chains, interfaces, routes, CNI state or changed sysctls.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
for f in network node; do source "$CLUSTER_LIB/$f.sh"; done
[[ $(id -u) -eq 0 ]] || die "must run as root: run 'sudo npm run cluster:down'"
mkdir -p "$CLUSTER_DIR"
exec 8>"$UP_LOCK"
flock 8

crictl_bin=$(tool_bin crictl "$CRICTL_VERSION")
crictl() { "$crictl_bin" -r "unix://$CONTAINERD_SOCK" --timeout 30s "$@"; }
netns_paths=()
if [[ -S $CONTAINERD_SOCK && -x $crictl_bin ]]; then
  stop_proc kubelet 20
  # Remember each sandbox's network namespace in case the CRI fails to remove one.
  for id in $(crictl pods -q 2>/dev/null); do
    netns_paths+=($(crictl inspectp "$id" 2>/dev/null | grep -o '"path": *"[^"]*netns[^"]*"' | cut -d'"' -f4 || true))
  done
  # Through the CRI so every sandbox gets its CNI DEL (veth, IPAM lease, portmap rules).
  ids=$(crictl pods -q 2>/dev/null || true)
  [[ -n $ids ]] && { crictl stopp $ids >/dev/null 2>&1 || true; crictl rmp -f $ids >/dev/null 2>&1 || true; }
fi
stop_proc kubelet
# Clients of the API server first, then the API server, then its store and the runtime.
# pod-discovery: the file_sd writer of clusters started before Prometheus 3 (gone since).
stop_procs kwok pod-discovery kube-proxy prometheus kube-scheduler kube-controller-manager
stop_procs kube-apiserver
stop_procs etcd containerd
# Shims outlive containerd by design; ours are the ones pointing at our socket.
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" || true); do
  kill -KILL "$pid" 2>/dev/null || true
done

# Unmount whatever the kubelet/containerd left under our own directories (overlay rootfs,
# tmpfs volumes, shm), deepest first, and any network namespace of ours still mounted.
{ grep -E " ($STATE_DIR|$RUN_DIR)/" /proc/self/mounts || true; } | awk '{print $2}' | sort -r |
  while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
for ns in "${netns_paths[@]}"; do
  [[ -e $ns ]] || continue
  umount "$ns" 2>/dev/null || true
  rm -f "$ns"
done

# kube-proxy knows its own chains; then drop any KUBE-*/CNI-* leftovers (kubelet, portmap).
kp=$(k8s_bin kube-proxy)
[[ -x $kp ]] && "$kp" --cleanup >"$LOG_DIR/kube-proxy-cleanup.log" 2>&1 || true
source "$CLUSTER_LIB/iptables-clean.sh"
clean_iptables

teardown_network
# cgroups the kubelet created (cgroup v1: one hierarchy per controller).
cg=${CGROUP_ROOT#/}; cg=${cg:+$cg/}
for h in /sys/fs/cgroup/*/; do
  [[ -d ${h}${cg}kubepods ]] && find "${h}${cg}kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [[ -n $cg && -d ${h}${cg} ]] && rmdir "${h}${cg}" 2>/dev/null || true
done
rm -rf "$RUN_DIR" "$STATE_DIR/kubelet" "$STATE_DIR/cni" "$STATE_DIR/containerd-opt"
rm -rf "$CLUSTER_DIR/etcd" "$CLUSTER_DIR/pids" "$CLUSTER_DIR/prometheus/data" "$CLUSTER_DIR/nodes" "$CLUSTER_DIR/env" \
  "$CLUSTER_DIR/host-snapshot"
say "cluster down"
