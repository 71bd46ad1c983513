#!/usr/bin/env bash
# gomain.sh <tool> <module> <version> <binary-name> <package> [extra ldflags]
# Builds one main package of a Go module from the module proxy inside its own wrapper
# module (so dependency versions of different tools never collide) and caches the binary
# under $CACHE_DIR/<tool>-<version>/bin/<binary-name>.
# <binary-name> "-" with several space-separated packages builds them in one `go build`
# (shared compilation) into bin/<last path element of each package>.
# GO_TAGS (environment) passes build tags, e.g. to leave out optional plugins.
# GO_COPY_REPLACES=1 (environment) copies the module's own replace directives into the
# wrapper module first: `go install mod@version` and a plain wrapper both ignore them, and a
# module that pins its k8s.io staging modules by replace (Argo Rollouts) does not resolve
# without them.
set -euo pipefail
source "$(dirname "$0")/common.sh"
tool=$1 module=$2 version=$3 bin=$4 pkg=$5 extra=${6:-}
cached "$tool" "$version" && exit 0
take_lock "$tool" "$version"
cached "$tool" "$version" && exit 0
need_go
staging="$CACHE_DIR/.$tool-$version.partial"
work="$CACHE_DIR/.$tool-$version.src"
rm -rf "$staging"; mkdir -p "$staging/bin" "$work"
started=$(date +%s)
log "building $tool $version ($pkg)"
cd "$work"
[[ -f go.mod ]] || go mod init "bluegreen.local/$tool-build" >/dev/null 2>&1
if [[ ${GO_COPY_REPLACES:-} == 1 ]]; then
  gomod=$(go mod download -json "$module@$version" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
  [[ -f $gomod ]] || die "could not download $module@$version's go.mod"
  # Both forms: `replace a => b v` and lines inside `replace ( ... )`; local-path targets
  # (=> ./x) cannot come from the proxy and are left out.
  awk '/^replace \(/{f=1;next} f&&/^\)/{f=0;next} f{print;next} /^replace /{sub(/^replace /,"");print}' "$gomod" |
    awk '$2=="=>" && $3 !~ /^\./ {print $1 "=" $3 "@" $4}' | while read -r r; do go mod edit -replace="$r"; done
  log "copied $(grep -c '=>' go.mod) replace directives from $module@$version"
fi
GOFLAGS="$GOFLAGS -mod=mod" go get "$module@$version" >/dev/null
# A tool whose main package lives in a nested package may need that package's deps too.
read -r -a pkgs <<<"$pkg"
for p in "${pkgs[@]}"; do GOFLAGS="$GOFLAGS -mod=mod" go get "$p@$version" >/dev/null 2>&1 || true; done
out="$staging/bin/$bin"; [[ $bin == - ]] && out="$staging/bin/"
GOFLAGS="$GOFLAGS -mod=mod" nice -n 10 go build -trimpath -tags "${GO_TAGS:-}" -ldflags "-s -w $extra" -o "$out" "${pkgs[@]}"
echo "$(( $(date +%s) - started ))" > "$staging/build-seconds"
log "$tool $version built in $(cat "$staging/build-seconds")s"
finish_cache "$tool" "$version" "$staging"
