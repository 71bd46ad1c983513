#!/usr/bin/env bash
# verify-down.sh [rounds]: proves that cluster:down leaves the host as found, without
# touching a cluster that may already run here. It brings up a second, complete cluster
# (real + kwok tiers, a pod) inside a fresh network namespace with its own state dirs and
# cgroup root, takes it down, and diffs everything it could have left behind: processes,
# mounts, cgroups, network namespaces, interfaces, routes, iptables/nftables, sysctls,
# state directories. It also times each up (warm start: all builds are cached).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds=${1:-1}
ns=bgverify
export BLUEGREEN_CLUSTER_DIR=/tmp/$ns/.cluster BLUEGREEN_STATE_DIR=/var/lib/$ns BLUEGREEN_RUN_DIR=/run/$ns \
  BLUEGREEN_CGROUP_ROOT=/$ns
empty_builtin='^#|^\*|^COMMIT|^:(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) ACCEPT'
# The namespace is held by a sleeping process, never by `ip netns add`: that re-binds
# /run/netns over itself, after which the running cluster's containerd can no longer
# delete older pod netns (pods hang in Terminating: "unlinkat ...: device or resource busy").
unshare --net sleep infinity &
holder=$!
trap 'kill $holder 2>/dev/null || true' EXIT
sleep 0.2
in_ns() { nsenter --net=/proc/$holder/ns/net "$@"; }

state() { # everything a cluster could leave behind, as comparable text
  echo "## processes"; pgrep -af "$ns" | grep -v -e verify-down -e pgrep | sed 's/^[0-9]* //' | sort || true
  echo "## mounts"; { grep -e "$ns" /proc/self/mounts || true; } | awk '{print $2}' | sort
  echo "## cgroups"; ls -d /sys/fs/cgroup/*/$ns 2>/dev/null || true
  echo "## state dirs"; ls -d /var/lib/$ns/kubelet /var/lib/$ns/cni /run/$ns 2>/dev/null || true
  echo "## links"; in_ns ip -o link 2>/dev/null | awk -F': ' '{print $2}' | sort
  echo "## addresses"; in_ns ip -o addr | awk '{print $2, $4}' | sort
  echo "## routes"; in_ns ip route show table all | sort
  # Built-in tables/chains with ACCEPT policy and no rules are what iptables-nft creates on
  # first use (deleting them would need nft); every rule and custom chain is compared.
  echo "## iptables"; in_ns iptables-save | grep -vE "$empty_builtin" | sed 's/\[[0-9:]*\]//' | sort || true
  echo "## ip6tables"; in_ns ip6tables-save | grep -vE "$empty_builtin" | sed 's/\[[0-9:]*\]//' | sort || true
  echo "## nftables"; in_ns nft list ruleset 2>/dev/null | grep -c . || true
  echo "## sysctls"; in_ns sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables vm.overcommit_memory \
    vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys 2>/dev/null
}

in_ns ip link set lo up
state >/tmp/$ns-before.txt
for ((i = 1; i <= rounds; i++)); do
  start=$EPOCHREALTIME
  in_ns bash "$here/up.sh" --nodes=real,kwok 2>/tmp/$ns-up.log || { tail -20 /tmp/$ns-up.log; exit 1; }
  echo "round $i: up in $(echo "$EPOCHREALTIME - $start" | bc) s"
  kc=(in_ns "$(grep '^export KUBECTL=' "$BLUEGREEN_CLUSTER_DIR/env" | cut -d= -f2)" --kubeconfig "$BLUEGREEN_CLUSTER_DIR/kubeconfig")
  "${kc[@]}" run probe --image=bluegreen/pause:3.10 --image-pull-policy=Never --restart=Never >/dev/null
  "${kc[@]}" wait --for=condition=Ready pod/probe --timeout=120s >/dev/null
  state >/tmp/$ns-during.txt
  start=$EPOCHREALTIME
  in_ns bash "$here/down.sh" 2>/tmp/$ns-down.log || { tail -20 /tmp/$ns-down.log; exit 1; }
  echo "round $i: down in $(echo "$EPOCHREALTIME - $start" | bc) s"
  state >/tmp/$ns-after.txt
  if diff -u /tmp/$ns-before.txt /tmp/$ns-after.txt; then
    echo "round $i: host state after down == before up ($(diff /tmp/$ns-before.txt /tmp/$ns-during.txt | grep -c '^>') lines differed while up)"
  else
    echo "round $i: LEFTOVERS above"; exit 1
  fi
done
rm -rf /tmp/$ns "/var/lib/$ns"
