# Removes every iptables/ip6tables chain and rule that kube-proxy, the kubelet or the CNI
# portmap plugin created (all named KUBE-* or CNI-*), table by table, leaving the rest.
clean_iptables() {
  local cmd t
  for cmd in iptables ip6tables; do
    command -v "$cmd-save" >/dev/null || continue
    for t in filter nat mangle raw; do
      "$cmd-save" -t "$t" 2>/dev/null | grep -qE 'KUBE-|CNI-' || continue
      "$cmd-save" -t "$t" | grep -vE '^:(KUBE-|CNI-)|^-A (KUBE-|CNI-)|-j (KUBE-|CNI-)' | "$cmd-restore" \
        || say "could not clean $cmd table $t; inspect with '$cmd-save -t $t'"
    done
  done
}
