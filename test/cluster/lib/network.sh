# Host networking for the node: a dummy interface holding the node IP, sink routes for
# the pod and Service CIDRs, forwarding + br_netfilter. Every change is recorded in
# $CLUSTER_DIR/host-snapshot so down.sh can put the host back exactly as it was.
# Sysctls that we, kubelet or kube-proxy may change; down.sh restores the saved values.
TOUCHED_SYSCTLS=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.netfilter.nf_conntrack_max
  net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_timeout_close_wait)

check_cidrs() {
  # Refuse to start when our ranges overlap anything the host already routes or resolves via.
  local routes dns msg
  routes=$(ip -4 route show table all | grep -v -e "dev $NODE_IF" -e "dev cni0" -e '^local' -e '^broadcast' \
    -e '^unreachable' -e '^default' | awk '{print $1}' | tr '\n' ' ' || true)
  dns=$(awk '/^nameserver/{print $2}' /etc/resolv.conf 2>/dev/null | tr '\n' ' ')
  msg=$(python3 - "$POD_CIDR $SERVICE_CIDR $NODE_IP/32 $KWOK_NODE_IP/32" "$routes" "$dns" <<'PY'

import ipaddress, sys
ours = [ipaddress.ip_network(x) for x in sys.argv[1].split()]
for kind, items in (("route", sys.argv[2].split()), ("DNS server", sys.argv[3].split())):
    for item in items:
        try:
            net = ipaddress.ip_network(item if "/" in item else item + "/32", strict=False)
        except ValueError:
            continue
        for o in ours:
            if net.version == o.version and net.overlaps(o):
                print(f"host {kind} {item} overlaps {o}; pick other ranges in test/cluster/lib/common.sh")
                sys.exit(1)
PY
) || die "$msg"
}

snapshot_host() {
  local snap=$CLUSTER_DIR/host-snapshot s
  [[ -d $snap ]] && return 0
  mkdir -p "$snap"
  for s in "${TOUCHED_SYSCTLS[@]}"; do
    sysctl -n "$s" >/dev/null 2>&1 && echo "$s=$(sysctl -n "$s")" >>"$snap/sysctls"
  done
  { lsmod 2>/dev/null | awk 'NR>1{print $1}' | sort; } >"$snap/modules" || true
  iptables-save >"$snap/iptables.rules" 2>/dev/null || true
  ip -br link | awk '{print $1}' | sort >"$snap/links"
  ls /run/netns 2>/dev/null >"$snap/netns" || true
  [[ -e /var/lib/cni ]] && touch "$snap/had-var-lib-cni"
  return 0
}

setup_network() {
  snapshot_host
  modprobe br_netfilter 2>/dev/null || true
  modprobe overlay 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  if ! ip link show "$NODE_IF" >/dev/null 2>&1; then
    # A dummy interface when the kernel has one; otherwise a bridge without ports, which
    # behaves the same for us: it holds the address and silently drops what is sent to it.
    ip link add "$NODE_IF" type dummy 2>/dev/null || ip link add "$NODE_IF" type bridge
  fi
  ip link set "$NODE_IF" up
  ip addr replace "$NODE_IP/32" dev "$NODE_IF"
  ip addr replace "$KWOK_NODE_IP/32" dev "$NODE_IF"
  # Packets for pod or Service addresses that nothing more specific claims end in the
  # dummy interface, which drops them: they can never leave through the default route.
  # (An 'unreachable' route would be simpler, but for the Service CIDR it makes connect()
  # on the host fail before kube-proxy's DNAT in OUTPUT gets to rewrite the address.)
  ip route replace "$SERVICE_CIDR" dev "$NODE_IF"
  ip route replace unreachable "$POD_CIDR"
}

teardown_network() {
  local snap=$CLUSTER_DIR/host-snapshot line
  ip route del "$SERVICE_CIDR" dev "$NODE_IF" 2>/dev/null || true
  ip route del unreachable "$POD_CIDR" 2>/dev/null || true
  ip link del cni0 2>/dev/null || true
  ip link del "$NODE_IF" 2>/dev/null || true
  if [[ -f $snap/sysctls ]]; then
    while read -r line; do sysctl -qw "$line" 2>/dev/null || true; done <"$snap/sysctls"
  fi
  # libcni keeps a result cache in /var/lib/cni that containerd 1.6 can't relocate.
  [[ -d $snap && ! -e $snap/had-var-lib-cni ]] && rm -rf /var/lib/cni
  if [[ -f $snap/modules ]]; then
    for m in br_netfilter; do
      grep -qx "$m" "$snap/modules" || modprobe -r "$m" 2>/dev/null || true
    done
  fi
}
