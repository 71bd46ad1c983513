#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and
# kubectl from the k8s.io/kubernetes module served by the Go module proxy.
# k/k's go.mod replaces every staging module with ./staging/..., which the proxy can't
# serve, so we build from a wrapper module that replaces each of them with the published
# k8s.io/<name> v0.<minor>.<patch> instead. The list is derived from k/k's own go.mod.
set -euo pipefail
source "$(dirname "$0")/common.sh"
VERSION="${KUBERNETES_VERSION:-v1.34.4}"
cached kubernetes "$VERSION" && exit 0
take_lock kubernetes "$VERSION"
cached kubernetes "$VERSION" && exit 0
need_go

staging="$CACHE_DIR/.kubernetes-$VERSION.partial"
work="$CACHE_DIR/.kubernetes-$VERSION.src"
mkdir -p "$staging/bin" "$work"
started=$(date +%s)
log "building kubernetes $VERSION in $work (cold build: tens of minutes on 2 cores)"

kk_mod=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
[[ -f "$kk_mod" ]] || die "could not download k8s.io/kubernetes@$VERSION from the Go module proxy"
staging_ver="v0.${VERSION#v1.}"
{
  echo "module bluegreen.local/kubernetes-binaries"
  echo
  echo "go $(sed -n 's/^go //p' "$kk_mod")"
  echo
  echo "require k8s.io/kubernetes $VERSION"
  echo
  # k/k's replace lines look like: k8s.io/api => ./staging/src/k8s.io/api
  grep -E '^\s*k8s\.io/[^ ]+ => \./staging/' "$kk_mod" | awk -v v="$staging_ver" '{print "replace " $1 " => " $1 " " v}'
} > "$work/go.mod"
log "wrapper go.mod has $(grep -c '^replace' "$work/go.mod") staging replaces"
# Copy k/k's own requirements so the dependency versions are exactly the upstream ones.
cp "$kk_mod" "$work/kk.go.mod.txt"
(cd "$work" && awk '/^require \(/{f=1;next} f&&/^\)/{f=0} f&&$2!="v0.0.0" {print "require " $1 " " $2}' kk.go.mod.txt >> go.mod)

cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
pkgs=(); for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
minor=${VERSION#v1.}; minor=${minor%%.*}
ld=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld+=" -X $p.gitVersion=$VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  ld+=" -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.gitTreeState=clean"
  ld+=" -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done
cd "$work"
GOFLAGS="$GOFLAGS -mod=mod" go get "${pkgs[@]/%/@$VERSION}" >/dev/null 2>&1 || GOFLAGS="$GOFLAGS -mod=mod" go mod download
GOFLAGS="$GOFLAGS -mod=mod" nice -n 10 go build -trimpath -ldflags "-s -w $ld" -o "$staging/bin/" "${pkgs[@]}"
log "kubernetes $VERSION built in $(( $(date +%s) - started ))s"
echo "$(( $(date +%s) - started ))" > "$staging/build-seconds"
finish_cache kubernetes "$VERSION" "$staging"
