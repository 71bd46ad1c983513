# Shared settings and helpers for the local cluster scripts (sourced, never executed).
# Every address below stays on this machine: the node IP lives on a dummy interface, the
# pod and Service CIDRs are routed into that interface (a sink) unless more specific.
CLUSTER_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER_SRC="$(dirname "$CLUSTER_LIB")"
REPO_ROOT="$(cd "$CLUSTER_SRC/../.." && pwd)"
CLUSTER_DIR="${BLUEGREEN_CLUSTER_DIR:-$REPO_ROOT/.cluster}"
CACHE_DIR="${BLUEGREEN_CACHE_DIR:-/var/cache/bluegreen-operator}"
# Runtime state that must live outside the repo (containerd/kubelet need real paths).
# (Overridable only to run a second, isolated cluster in its own network namespace, which
# is how cluster:down was verified without disturbing the shared cluster.)
STATE_DIR=${BLUEGREEN_STATE_DIR:-/var/lib/bluegreen-operator}
RUN_DIR=${BLUEGREEN_RUN_DIR:-/run/bluegreen-operator}
CGROUP_ROOT=${BLUEGREEN_CGROUP_ROOT:-/}
source "$CLUSTER_SRC/build/versions.sh"

NODE_NAME=bluegreen-node
NODE_IF=bluegreen0
NODE_IP=10.250.0.10         # the real node (kubelet, apiserver, Prometheus)
KWOK_NODE_IP=10.250.0.11    # address reported by kwok nodes; nothing listens there
POD_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SVC_IP=10.96.0.1
DNS_SVC_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
APISERVER_PORT=6443
ETCD_PORT=2379
PROMETHEUS_PORT=9090
CONTAINERD_SOCK=$RUN_DIR/containerd/containerd.sock
KUBE_PROXY_MIN_SYNC="${KUBE_PROXY_MIN_SYNC:-1s}"
KWOK_NODES="${KWOK_NODES:-4}"
NODE_BASE_IMAGE="bluegreen/node-base:${NODE_VERSION:-24.21.0}"
PAUSE_IMAGE=bluegreen/pause:3.10

LOG_DIR=$CLUSTER_DIR/logs
PKI=$CLUSTER_DIR/pki
PID_DIR=$CLUSTER_DIR/pids
UP_LOCK=$CLUSTER_DIR/up.lock

say() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

k8s_bin() { echo "$CACHE_DIR/kubernetes-$KUBERNETES_VERSION/bin/$1"; }
tool_bin() { # tool_bin <tool> <version>
  echo "$CACHE_DIR/$1-$2/bin/$1"
}
kubectl() { "$(k8s_bin kubectl)" --kubeconfig "$CLUSTER_DIR/kubeconfig" --request-timeout=30s "$@"; }

# --- host processes -------------------------------------------------------------------
# Each component runs detached (setsid) with its pid in $PID_DIR/<name>.pid and its output
# in $LOG_DIR/<name>.log, so down.sh can stop exactly what up.sh started.
proc_running() {
  local pid
  pid=$(cat "$PID_DIR/$1.pid" 2>/dev/null) || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}
start_proc() { # start_proc <name> <cmd...>
  local name=$1; shift
  proc_running "$name" && return 0
  mkdir -p "$PID_DIR" "$LOG_DIR"
  # 8>&- 9>&-: daemons must not inherit the up/build locks, or they would hold them forever.
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$PID_DIR/$name.pid"
  say "started $name (pid $!)"
}
stop_proc() { # stop_proc <name> [grace seconds]
  local name=$1 grace=${2:-15} pid i
  pid=$(cat "$PID_DIR/$name.pid" 2>/dev/null) || return 0
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { say "$name did not stop in ${grace}s, killing"; kill -KILL "$pid" 2>/dev/null || true; }
    say "stopped $name"
  fi
  rm -f "$PID_DIR/$name.pid"
}

# write_if_changed <file>: stdin to file, only when the content differs. kube-proxy exits
# when its config file is touched, so an idempotent cluster:up must not rewrite it.
# Sets CONFIG_CHANGED=yes when it wrote, so callers can restart the component.
write_if_changed() {
  local tmp="$1.new"
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; CONFIG_CHANGED=yes; fi
}
CONFIG_CHANGED=no

# restart_if_changed <name>: a running component whose config was rewritten is stopped so
# start_proc starts it again with the new config (kube-proxy would exit on its own anyway).
restart_if_changed() {
  [[ $CONFIG_CHANGED == yes ]] && proc_running "$1" && { say "config of $1 changed, restarting it"; stop_proc "$1"; }
  CONFIG_CHANGED=no
}

# stop_procs <name...>: SIGTERM all at once, wait up to 15 s together, then SIGKILL.
stop_procs() {
  local name pid pids=() i
  for name in "$@"; do
    pid=$(cat "$PID_DIR/$name.pid" 2>/dev/null) || continue
    [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && pids+=("$pid") && say "stopping $name"
    rm -f "$PID_DIR/$name.pid"
  done
  for ((i = 0; i < 150; i++)); do
    local alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [[ ${#alive[@]} -eq 0 ]] && return 0
    sleep 0.1
  done
  for pid in "${alive[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

# wait_for <seconds> <description> <command...>: poll a condition with a deadline.
wait_for() {
  local secs=$1 what=$2; local deadline=$((SECONDS + secs)); shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { say "timed out after ${secs}s waiting for $what"; return 1; }
    sleep 0.3
  done
}
