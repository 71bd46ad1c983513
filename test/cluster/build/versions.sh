# Pinned versions of everything built from the Go module proxy (sourced).
# Bumping a version here makes the next cluster:up build it into a new cache dir.
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.34.4}"
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
HELM_VERSION=v3.22.0
# Minor of k8s.io/client-go in Helm v3.22.0's go.mod (v0.37.0), as its release Makefile sets it.
HELM_K8S_MINOR=37
COREDNS_VERSION=v1.14.7
METRICS_SERVER_VERSION=v0.8.0
ACTIONLINT_VERSION=v1.7.12
CRICTL_VERSION=v1.34.0
# Prometheus 3.16.0 (its Go module numbers releases v0.3MM.P for 3.MM.P); prometheus and
# promtool are built together, with only the Kubernetes (plus built-in file/static) service
# discovery compiled in: see PROMETHEUS_TAGS.
PROMETHEUS_VERSION=v0.316.0
PROMETHEUS_TAGS=remove_all_sd,enable_kubernetes_sd
p=${PROMETHEUS_VERSION#v0.}
PROMETHEUS_RELEASE=${p:0:1}.$((10#${p:1:2})).${p#*.} # v0.316.0 -> 3.16.0
unset p
# The Prometheus Operator (newest main-module release the proxy lists; built with Go 1.26).
# Only the e2e scenario that exercises ServiceMonitor/PodMonitor runs it.
PROMETHEUS_OPERATOR_VERSION=v0.85.0
# Gateway API CRDs (standard channel, from the module's config/crd/standard) and Traefik v3, a
# Gateway API implementation (its kubernetesGateway provider), run as a host process only by
# the e2e scenario of exact canary weights (docs/adr/0017). Not Traefik v3.7.x: our module proxy
# refuses some of its dependencies' versions (its go-http-auth fork of 2026-08, and a dozen of
# lego v5's DNS provider SDKs), so v3.7.13 cannot be built here. v3.6.12 builds against
# gateway-api v1.4.0: the CRDs are that minor's newest patch the proxy serves, so Traefik's
# informers meet the versions they were written for.
GATEWAY_API_VERSION=v1.4.1
TRAEFIK_VERSION=v3.6.12
# k6 is deliberately absent: it is AGPL and the proxy refuses it; load tests use autocannon.
