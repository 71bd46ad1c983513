# Control plane as host processes: etcd (plain HTTP on loopback only), kube-apiserver
# (RBAC+Node authz, bound to the node IP), kube-controller-manager and kube-scheduler.
healthz() { curl -fsS --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$1"; }

start_etcd() {
  mkdir -p "$CLUSTER_DIR/etcd"; chmod 700 "$CLUSTER_DIR/etcd"
  start_proc etcd "$(tool_bin etcd "$ETCD_VERSION")" --name bluegreen --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster bluegreen=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --quota-backend-bytes 4294967296 --snapshot-count 50000 --log-level warn
  wait_for 30 "etcd health" curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" || die "etcd did not become healthy, see $LOG_DIR/etcd.log"
}

start_apiserver() {
  start_proc kube-apiserver "$(k8s_bin kube-apiserver)" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$APISERVER_PORT" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true --allow-privileged=true --profiling=false \
    --max-requests-inflight 800 --max-mutating-requests-inflight 400 --v 1
  wait_for 90 "kube-apiserver /readyz" healthz "https://$NODE_IP:$APISERVER_PORT/readyz" \
    || die "kube-apiserver did not become ready, see $LOG_DIR/kube-apiserver.log"
}

start_controller_manager() {
  start_proc kube-controller-manager "$(k8s_bin kube-controller-manager)" \
    --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --root-ca-file "$PKI/ca.crt" --service-account-private-key-file "$PKI/sa.key" \
    --use-service-account-credentials=true --controllers '*,bootstrapsigner,tokencleaner' \
    --allocate-node-cidrs=true --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 22 \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --kube-api-qps 200 --kube-api-burst 400 --concurrent-deployment-syncs 10 \
    --concurrent-replicaset-syncs 10 --concurrent-service-endpoint-syncs 10 --v 1
}

start_scheduler() {
  start_proc kube-scheduler "$(k8s_bin kube-scheduler)" \
    --kubeconfig "$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" \
    --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --kube-api-qps 200 --kube-api-burst 400 --v 1
}

start_control_plane() {
  start_etcd
  start_apiserver
  start_controller_manager
  start_scheduler
  wait_for 60 "default ServiceAccount" kubectl get serviceaccount default -n default \
    || die "controller-manager did not create the default ServiceAccount, see $LOG_DIR/kube-controller-manager.log"
}
