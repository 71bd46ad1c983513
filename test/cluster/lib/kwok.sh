# Simulated-node tier: KWOK_NODES fake nodes driven by the kwok controller.
# They carry the taint kwok.x-k8s.io/node=fake:NoSchedule and the labels type=kwok and
# bluegreen.dev/node-tier=kwok: a workload lands there only with a matching toleration
# and nodeSelector, so real workloads never do.
kwok_node_yaml() { # kwok_node_yaml <name>
  cat <<YAML
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels:
    type: kwok
    bluegreen.dev/node-tier: kwok
    kubernetes.io/hostname: $1
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
spec:
  taints:
  - {key: kwok.x-k8s.io/node, value: fake, effect: NoSchedule}
YAML
}

start_kwok() {
  local i
  start_proc kwok "$(tool_bin kwok "$KWOK_VERSION")" --kubeconfig "$PKI/kwok.kubeconfig" \
    --config "$CLUSTER_SRC/manifests/kwok-stages.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip "$KWOK_NODE_IP" --cidr 10.244.252.0/22 --node-lease-duration-seconds 40
  if [[ $(kubectl get nodes -l type=kwok -o name | wc -l) -lt $KWOK_NODES ]]; then
    for ((i = 0; i < KWOK_NODES; i++)); do kwok_node_yaml "kwok-node-$i"; echo '---'; done | kubectl apply -f - >/dev/null
  fi
  wait_for 60 "$KWOK_NODES kwok nodes Ready" kwok_nodes_ready \
    || { kubectl get nodes -l type=kwok -o wide >&2 || true; die "kwok nodes not Ready, see $LOG_DIR/kwok.log"; }
}

kwok_nodes_ready() {
  local n
  n=$(kubectl get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')
  [[ $n -ge $KWOK_NODES ]]
}
