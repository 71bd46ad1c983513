# Add-ons on the real node: CoreDNS and metrics-server (in-cluster, images built from the
# cached binaries) and Prometheus 3 (cached binary, host process, config under .cluster/).
COREDNS_IMAGE=bluegreen/coredns:$COREDNS_VERSION
METRICS_SERVER_IMAGE=bluegreen/metrics-server:$METRICS_SERVER_VERSION

render() { # render <manifest>: fill the @PLACEHOLDERS@ of a manifest
  sed -e "s|@CLUSTER_DOMAIN@|$CLUSTER_DOMAIN|g" -e "s|@DNS_SVC_IP@|$DNS_SVC_IP|g" \
    -e "s|@NODE_IP@|$NODE_IP|g" -e "s|@COREDNS_IMAGE@|$COREDNS_IMAGE|g" \
    -e "s|@METRICS_SERVER_IMAGE@|$METRICS_SERVER_IMAGE|g" "$CLUSTER_SRC/manifests/$1"
}

deployment_available() { # deployment_available <namespace> <name>
  [[ "$(kubectl -n "$1" get deploy "$2" -o jsonpath='{.status.availableReplicas}' 2>/dev/null)" -ge 1 ]]
}

addon_images() {
  ensure_binary_image coredns "$COREDNS_VERSION" "$COREDNS_IMAGE"
  import_archive "$CACHE_DIR/coredns-image-$COREDNS_VERSION/image.tar" "$COREDNS_IMAGE"
  ensure_binary_image metrics-server "$METRICS_SERVER_VERSION" "$METRICS_SERVER_IMAGE"
  import_archive "$CACHE_DIR/metrics-server-image-$METRICS_SERVER_VERSION/image.tar" "$METRICS_SERVER_IMAGE"
}

PROMETHEUS_BIN=$CACHE_DIR/prometheus-$PROMETHEUS_VERSION/bin/prometheus
PROMTOOL_BIN=$CACHE_DIR/prometheus-$PROMETHEUS_VERSION/bin/promtool

# The configuration users copy (monitoring/prometheus/prometheus.yml, kubernetes_sd_configs)
# with only the host-specific parts changed: see test/cluster/prometheus-config.ts.
write_prometheus_config() {
  local dir=$CLUSTER_DIR/prometheus
  mkdir -p "$dir/data" "$dir/rules"
  cp "$REPO_ROOT"/monitoring/prometheus/rules/*.yml "$dir/rules/"
  "$(node_binary)" "$CLUSTER_SRC/prometheus-config.ts" "$REPO_ROOT/monitoring/prometheus/prometheus.yml" \
    "$dir/prometheus.yml.rendered" "$NODE_IP:$APISERVER_PORT" "$PKI" "$NODE_NAME" "$dir/rules/*.yml" \
    || die "could not render the Prometheus configuration from monitoring/prometheus/prometheus.yml"
  write_if_changed "$dir/prometheus.yml" <"$dir/prometheus.yml.rendered"
  rm -f "$dir/prometheus.yml.rendered"
}

prometheus_ready() { curl -fsS --max-time 2 "http://$NODE_IP:$PROMETHEUS_PORT/-/ready"; }

# Prometheus 3 (test/cluster/build/versions.sh) as a host process. A cluster started by an
# older version of this script runs another binary (Debian's 2.42 and its file_sd writer
# pod-discovery): that one is stopped and ours started on the same address and data directory.
start_prometheus() {
  local dir=$CLUSTER_DIR/prometheus
  [[ -x $PROMETHEUS_BIN ]] || die "Prometheus is not built: run test/cluster/build/all.sh prometheus"
  write_prometheus_config
  "$PROMTOOL_BIN" check config "$dir/prometheus.yml" >"$LOG_DIR/promtool.log" 2>&1 \
    || die "generated Prometheus config is invalid, see $LOG_DIR/promtool.log"
  stop_proc pod-discovery
  if proc_running prometheus && [[ $(cat "$dir/binary" 2>/dev/null) != "$PROMETHEUS_BIN" ]]; then
    say "replacing the running Prometheus with $PROMETHEUS_BIN"
    stop_proc prometheus
  fi
  if proc_running prometheus; then
    curl -fsS -X POST --max-time 5 "http://$NODE_IP:$PROMETHEUS_PORT/-/reload" >/dev/null || true
  else
    echo "$PROMETHEUS_BIN" >"$dir/binary"
    start_proc prometheus "$PROMETHEUS_BIN" --config.file "$dir/prometheus.yml" --storage.tsdb.path "$dir/data" \
      --storage.tsdb.retention.time 2d --web.listen-address "$NODE_IP:$PROMETHEUS_PORT" --web.enable-lifecycle
  fi
  wait_for 60 "Prometheus ready" prometheus_ready || die "Prometheus did not start, see $LOG_DIR/prometheus.log"
}

start_addons() {
  addon_images
  start_prometheus
  # One apply for all in-cluster add-ons: each kubectl start costs about a second here.
  { render coredns.yaml; echo '---'; render metrics-server.yaml; echo '---'; render prometheus-service.yaml; } |
    kubectl apply -f - >/dev/null
  wait_for 120 "CoreDNS available" deployment_available kube-system coredns \
    || { kubectl -n kube-system get pods -o wide >&2; die "CoreDNS did not become available"; }
}
