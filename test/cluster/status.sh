#!/usr/bin/env bash
# npm run cluster:status: which components run, node tiers, and where things are.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
any=no
for p in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy prometheus kwok; do
  if proc_running "$p"; then
    any=yes
    rss=$(awk '/VmRSS/{printf "%d MiB", $2/1024}' "/proc/$(cat "$PID_DIR/$p.pid")/status" 2>/dev/null || true)
    printf '%-24s running  pid %-8s %s\n' "$p" "$(cat "$PID_DIR/$p.pid")" "$rss"
  elif [[ -f $PID_DIR/$p.pid ]]; then
    printf '%-24s DEAD     (see %s)\n' "$p" "$LOG_DIR/$p.log"
  fi
done
if [[ $any == no ]]; then echo "cluster is down (start it with: npm run cluster:up)"; exit 0; fi
echo "node tiers: $(cat "$CLUSTER_DIR/nodes" 2>/dev/null || echo unknown)   env: $CLUSTER_DIR/env"
if [[ -r $CLUSTER_DIR/kubeconfig ]]; then
  kubectl get nodes -o wide 2>&1 || true
  kubectl get pods -A --field-selector spec.nodeName="$NODE_NAME" 2>&1 | head -20 || true
fi
