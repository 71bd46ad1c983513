# The real node: containerd (Debian package, private root/state/socket so a host
# containerd is never touched), kubelet and kube-proxy as host processes.
write_containerd_config() {
  local cfg=$CLUSTER_DIR/node
  mkdir -p "$cfg" "$STATE_DIR/cni/net.d" "$STATE_DIR/cni/ipam" "$STATE_DIR/containerd" "$RUN_DIR"
  # containerd renders this template with the podCIDR the kubelet reports (the node's
  # /22 from the controller-manager), so real pod IPs never collide with kwok pod IPs.
  # Pods only get routes to cluster-local ranges: nothing they send can leave the host.
  write_if_changed "$cfg/cni-template.json" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "bluegreen",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$STATE_DIR/cni/ipam",
        "ranges": [[{"subnet": "{{.PodCIDR}}"}]],
        "routes": [{"dst": "$POD_CIDR"}, {"dst": "$SERVICE_CIDR"}, {"dst": "${NODE_IP%.*}.0/24"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
  write_if_changed "$cfg/containerd.toml" <<TOML
version = 2
root = "$STATE_DIR/containerd"
state = "$RUN_DIR/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE_DIR/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This host denies lowering oom_score_adj (no CAP_SYS_RESOURCE); the kubelet asks for
  # negative values (-998 for sandboxes), which makes runc fail. Cap them at our own value.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE_DIR/cni/net.d"
    conf_template = "$cfg/cni-template.json"
TOML
}

start_containerd() {
  CONFIG_CHANGED=no
  write_containerd_config
  restart_if_changed containerd
  start_proc containerd containerd --config "$CLUSTER_DIR/node/containerd.toml"
  wait_for 30 "containerd socket" ctr --address "$CONTAINERD_SOCK" version \
    || die "containerd did not start, see $LOG_DIR/containerd.log"
}

ctr_k8s() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

start_kubelet() {
  local cfg=$CLUSTER_DIR/node h
  CONFIG_CHANGED=no
  mkdir -p "$STATE_DIR/kubelet"
  # A non-default cgroup root (isolated test clusters) must exist in every hierarchy.
  if [[ $CGROUP_ROOT != / ]]; then
    for h in /sys/fs/cgroup/*/; do
      [[ -d $h${CGROUP_ROOT#/} ]] && continue
      mkdir "$h${CGROUP_ROOT#/}"
      [[ -f ${h}cpuset.cpus ]] && cat "${h}cpuset.cpus" >"$h${CGROUP_ROOT#/}/cpuset.cpus" && cat "${h}cpuset.mems" >"$h${CGROUP_ROOT#/}/cpuset.mems"
    done
  fi
  write_if_changed "$cfg/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failCgroupV1: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
clusterDNS: [$DNS_SVC_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: ""
failSwapOn: false
# No registry exists: images are imported by hand, so image GC must never delete them.
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: "200Mi", nodefs.available: "1%", imagefs.available: "1%"}
serializeImagePulls: false
maxPods: 250
syncFrequency: 10s
fileCheckFrequency: 0s
YAML
  # --containerd (a cAdvisor flag) points cAdvisor at our socket: without it /metrics/cadvisor
  # has no pod/container labels.
  restart_if_changed kubelet
  start_proc kubelet "$(k8s_bin kubelet)" --config "$cfg/kubelet.yaml" \
    --kubeconfig "$PKI/kubelet.kubeconfig" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
    --root-dir "$STATE_DIR/kubelet" --node-labels "bluegreen.dev/node-tier=real" \
    --containerd "$CONTAINERD_SOCK" --v 1
}

start_kube_proxy() {
  local cfg=$CLUSTER_DIR/node
  CONFIG_CHANGED=no
  write_if_changed "$cfg/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
clientConnection: {kubeconfig: $PKI/kube-proxy.kubeconfig}
bindAddress: $NODE_IP
# NodePorts only on the node IP, never on eth0.
nodePortAddresses: [primary]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
iptables:
  minSyncPeriod: $KUBE_PROXY_MIN_SYNC
  syncPeriod: 30s
  localhostNodePorts: false
# Zero values: leave the host's conntrack sysctls as they are.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
  restart_if_changed kube-proxy
  start_proc kube-proxy "$(k8s_bin kube-proxy)" --config "$cfg/kube-proxy.yaml" --v 1
}

node_ready() {
  [[ "$(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

start_real_node() {
  start_containerd
  import_cluster_images
  start_kubelet
  start_kube_proxy
  wait_for 120 "node $NODE_NAME Ready" node_ready || {
    kubectl get node "$NODE_NAME" -o yaml >&2 || true
    die "node $NODE_NAME not Ready; see $LOG_DIR/kubelet.log and $LOG_DIR/containerd.log"
  }
}
