# PKI for the cluster: one CA (made here with openssl) signs every serving and client
# certificate, plus the service-account key pair. Idempotent: existing files are kept.
cert_sign() { # cert_sign <name> <subject> [subjectAltName]
  local name=$1 subj=$2 san=${3:-} ext
  [[ -f "$PKI/$name.crt" ]] && return 0
  ext=$(mktemp)
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ -n "$san" ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$san"
    else echo "extendedKeyUsage=clientAuth"; fi
  } >"$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI/$name.csr"
}

kubeconfig_for() { # kubeconfig_for <file> <cert name> <user>
  local file=$1 cert=$2 user=$3
  [[ -f "$file" ]] && return 0
  cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: bluegreen
  cluster:
    server: https://$NODE_IP:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$cert.crt")
    client-key-data: $(base64 -w0 "$PKI/$cert.key")
contexts:
- name: bluegreen
  context: {cluster: bluegreen, user: $user}
current-context: bluegreen
KC
  chmod 600 "$file"
}

make_pki() {
  mkdir -p "$PKI"; chmod 700 "$PKI"
  if [[ ! -f "$PKI/ca.crt" ]]; then
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -days 3650 -sha256 \
      -subj "/CN=bluegreen-local-ca" -out "$PKI/ca.crt" 2>/dev/null
  fi
  [[ -f "$PKI/sa.key" ]] || { openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null; openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null; }
  local svc=kubernetes.default.svc
  cert_sign apiserver "/CN=kube-apiserver" \
    "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:$svc,DNS:$svc.$CLUSTER_DOMAIN,IP:127.0.0.1,IP:$NODE_IP,IP:$KUBERNETES_SVC_IP"
  cert_sign admin "/O=system:masters/CN=bluegreen-admin"
  cert_sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  cert_sign front-proxy-client "/CN=front-proxy-client"
  cert_sign controller-manager "/CN=system:kube-controller-manager"
  cert_sign scheduler "/CN=system:kube-scheduler"
  cert_sign kube-proxy "/CN=system:kube-proxy"
  cert_sign kwok "/O=system:masters/CN=kwok-controller"
  cert_sign node-client "/O=system:nodes/CN=system:node:$NODE_NAME"
  cert_sign kubelet-serving "/CN=$NODE_NAME" "DNS:$NODE_NAME,DNS:localhost,IP:$NODE_IP,IP:127.0.0.1"
  cert_sign prometheus "/O=system:masters/CN=prometheus"
  kubeconfig_for "$CLUSTER_DIR/kubeconfig" admin bluegreen-admin
  kubeconfig_for "$PKI/controller-manager.kubeconfig" controller-manager system:kube-controller-manager
  kubeconfig_for "$PKI/scheduler.kubeconfig" scheduler system:kube-scheduler
  kubeconfig_for "$PKI/kube-proxy.kubeconfig" kube-proxy system:kube-proxy
  kubeconfig_for "$PKI/kubelet.kubeconfig" node-client "system:node:$NODE_NAME"
  kubeconfig_for "$PKI/kwok.kubeconfig" kwok kwok-controller
}
