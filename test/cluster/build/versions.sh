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
# k6 is deliberately absent: it is AGPL and the proxy refuses it; load tests use autocannon.
