#!/usr/bin/env bash
# all.sh [tool...]: build (or find cached) every tool the cluster needs, in priority order.
# With arguments only those tools are built. Prints nothing but progress on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/versions.sh"
build_one() {
  case "$1" in
    kubernetes) KUBERNETES_VERSION=$KUBERNETES_VERSION "$here/kubernetes.sh" ;;
    etcd) "$here/gomain.sh" etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" etcd go.etcd.io/etcd/server/v3 ;;
    kwok) "$here/gomain.sh" kwok sigs.k8s.io/kwok "$KWOK_VERSION" kwok sigs.k8s.io/kwok/cmd/kwok \
            "-X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" ;;
    # Like Helm's release builds, the default Kubernetes version of offline renders (helm template
    # checking a chart's kubeVersion) is the minor of Helm's client-go, not Helm's fallback v1.20.
    helm) "$here/gomain.sh" helm helm.sh/helm/v3 "$HELM_VERSION" helm helm.sh/helm/v3/cmd/helm \
            "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR" ;;
    coredns) "$here/gomain.sh" coredns github.com/coredns/coredns "$COREDNS_VERSION" coredns github.com/coredns/coredns ;;
    metrics-server) "$here/gomain.sh" metrics-server sigs.k8s.io/metrics-server "$METRICS_SERVER_VERSION" \
            metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server ;;
    actionlint) "$here/gomain.sh" actionlint github.com/rhysd/actionlint "$ACTIONLINT_VERSION" actionlint \
            github.com/rhysd/actionlint/cmd/actionlint ;;
    prometheus) GO_TAGS=$PROMETHEUS_TAGS "$here/gomain.sh" prometheus github.com/prometheus/prometheus \
            "$PROMETHEUS_VERSION" - "github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool" \
            "-X github.com/prometheus/common/version.Version=$PROMETHEUS_RELEASE -X github.com/prometheus/common/version.Branch=module" ;;
    prometheus-operator) "$here/gomain.sh" prometheus-operator github.com/prometheus-operator/prometheus-operator \
            "$PROMETHEUS_OPERATOR_VERSION" - "github.com/prometheus-operator/prometheus-operator/cmd/operator github.com/prometheus-operator/prometheus-operator/cmd/prometheus-config-reloader" \
            "-X github.com/prometheus/common/version.Version=${PROMETHEUS_OPERATOR_VERSION#v}"
          # Its monitoring.coreos.com CRDs, from the same module, next to the binary.
          "$here/module-files.sh" prometheus-operator "$PROMETHEUS_OPERATOR_VERSION" \
            github.com/prometheus-operator/prometheus-operator example/prometheus-operator-crd crds ;;
    traefik) "$here/traefik.sh"
          # The Gateway API CRDs (standard channel) next to it, from their own pinned module.
          MODULE_VERSION=$GATEWAY_API_VERSION "$here/module-files.sh" traefik "$TRAEFIK_VERSION" \
            sigs.k8s.io/gateway-api config/crd/standard gateway-api-crds ;;
    crictl) "$here/gomain.sh" crictl sigs.k8s.io/cri-tools "$CRICTL_VERSION" crictl sigs.k8s.io/cri-tools/cmd/crictl ;;
    *) echo "unknown tool $1" >&2; return 1 ;;
  esac >/dev/null
}
tools=("$@")
[[ ${#tools[@]} -gt 0 ]] || tools=(kubernetes etcd kwok crictl coredns metrics-server prometheus helm actionlint prometheus-operator)
for t in "${tools[@]}"; do build_one "$t"; done
