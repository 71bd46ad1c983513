# .cluster/env: shell-sourcable description of the running cluster, read by the
# TypeScript harness (test/cluster/harness.ts) and by people.
tool_version() {
  case "$1" in
    kubernetes) echo "$KUBERNETES_VERSION" ;; etcd) echo "$ETCD_VERSION" ;; kwok) echo "$KWOK_VERSION" ;;
    helm) echo "$HELM_VERSION" ;; coredns) echo "$COREDNS_VERSION" ;;
    metrics-server) echo "$METRICS_SERVER_VERSION" ;; actionlint) echo "$ACTIONLINT_VERSION" ;;
    crictl) echo "$CRICTL_VERSION" ;; prometheus) echo "$PROMETHEUS_VERSION" ;;
    prometheus-operator) echo "$PROMETHEUS_OPERATOR_VERSION" ;;
  esac
}

# The node tiers only grow while the cluster runs: record the union.
merge_nodes() {
  local old="" t out=""
  old=$(cat "$CLUSTER_DIR/nodes" 2>/dev/null || true)
  for t in real kwok; do
    [[ ",$old,$1," == *",$t,"* ]] && out+="${out:+,}$t"
  done
  echo "${out:-none}" >"$CLUSTER_DIR/nodes"
}

write_env() {
  merge_nodes "$1"
  local helm="" prom="" actionlint=""
  [[ -f "$CACHE_DIR/helm-$HELM_VERSION/.complete" ]] && helm=$(tool_bin helm "$HELM_VERSION")
  [[ -f "$CACHE_DIR/actionlint-$ACTIONLINT_VERSION/.complete" ]] && actionlint=$(tool_bin actionlint "$ACTIONLINT_VERSION")
  proc_running prometheus && prom="http://$NODE_IP:$PROMETHEUS_PORT"
  cat >"$CLUSTER_DIR/env.tmp" <<ENV
# Written by test/cluster/up.sh; source it: . .cluster/env
export KUBECONFIG=$CLUSTER_DIR/kubeconfig
export KUBECTL=$(k8s_bin kubectl)
export HELM=$helm
export ACTIONLINT=$actionlint
export CRICTL="$(tool_bin crictl "$CRICTL_VERSION") -r unix://$CONTAINERD_SOCK"
export PROMETHEUS_URL=$prom
export PROMETHEUS_IN_CLUSTER_URL=http://prometheus.monitoring.svc:$PROMETHEUS_PORT
export NODE_IP=$NODE_IP
export NODE_NAME=$NODE_NAME
export CLUSTER_NODES=$(cat "$CLUSTER_DIR/nodes")
export KWOK_NODE_SELECTOR=type=kwok
export KWOK_TAINT=kwok.x-k8s.io/node=fake:NoSchedule
export NODE_BASE_IMAGE=$NODE_BASE_IMAGE
export CLUSTER_BIN_DIR=$CACHE_DIR/kubernetes-$KUBERNETES_VERSION/bin
export CONTAINERD_ADDRESS=$CONTAINERD_SOCK
ENV
  mv "$CLUSTER_DIR/env.tmp" "$CLUSTER_DIR/env"
}

print_usage() {
  cat >&2 <<TXT

Local cluster ready. Use it with:
  . .cluster/env            # KUBECONFIG, KUBECTL, HELM, PROMETHEUS_URL, NODE_IP, ...
  \$KUBECTL get nodes -o wide
  npm run cluster:load-image -- <Dockerfile> <context-dir> <name:tag>   # then imagePullPolicy: Never
  npm run cluster:status    |   npm run cluster:down
Logs: $LOG_DIR/
TXT
}
