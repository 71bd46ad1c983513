# Prerequisite checks: each failure is one line that names the fix.
# Debian packages the real node needs; installed when absent (apt-get update first).
NODE_PACKAGES=(containerd runc buildah containernetworking-plugins iptables conntrack kmod)
BASE_PACKAGES=(openssl curl python3 iproute2 util-linux)

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (it creates interfaces, routes and containers): run 'sudo npm run cluster:up'"
}

ensure_packages() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install them by hand"
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed, see $LOG_DIR/apt.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed, see $LOG_DIR/apt.log"
}

# port_free <port> <component>: a port is fine when free or held by our own component.
port_free() {
  local port=$1 name=$2
  proc_running "$name" && return 0
  if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
    die "port $port (needed by $name) is in use: stop whatever listens there ('ss -tlnp sport = :$port') or run 'npm run cluster:down'"
  fi
}

check_prereqs() { # check_prereqs <want real node?>
  require_root
  mkdir -p "$LOG_DIR"
  ensure_packages "${BASE_PACKAGES[@]}"
  [[ $1 == yes ]] && ensure_packages "${NODE_PACKAGES[@]}"
  command -v go >/dev/null || [[ -f "$CACHE_DIR/kubernetes-$KUBERNETES_VERSION/.complete" ]] \
    || die "Go is needed once to build Kubernetes into $CACHE_DIR: install Go >= 1.24 and put it on PATH"
  port_free "$ETCD_PORT" etcd; port_free 2380 etcd
  port_free "$APISERVER_PORT" kube-apiserver
  port_free 10257 kube-controller-manager; port_free 10259 kube-scheduler
  if [[ $1 == yes ]]; then
    port_free 10250 kubelet; port_free 10256 kube-proxy; port_free "$PROMETHEUS_PORT" prometheus
    [[ $(swapon --noheadings 2>/dev/null | wc -l) -eq 0 ]] || die "swap is on; the kubelet needs it off: run 'swapoff -a'"
  fi
  check_cidrs
}
