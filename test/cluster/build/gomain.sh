#!/usr/bin/env bash
# gomain.sh <tool> <module> <version> <binary-name> <package> [extra ldflags]
# Builds one main package of a Go module from the module proxy inside its own wrapper
# module (so dependency versions of different tools never collide) and caches the binary
# under $CACHE_DIR/<tool>-<version>/bin/<binary-name>.
# <binary-name> "-" with several space-separated packages builds them in one `go build`
# (shared compilation) into bin/<last path element of each package>.
# GO_TAGS (environment) passes build tags, e.g. to leave out optional plugins.
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
GOFLAGS="$GOFLAGS -mod=mod" go get "$module@$version" >/dev/null
# A tool whose main package lives in a nested package may need that package's deps too.
read -r -a pkgs <<<"$pkg"
for p in "${pkgs[@]}"; do GOFLAGS="$GOFLAGS -mod=mod" go get "$p@$version" >/dev/null 2>&1 || true; done
out="$staging/bin/$bin"; [[ $bin == - ]] && out="$staging/bin/"
GOFLAGS="$GOFLAGS -mod=mod" nice -n 10 go build -trimpath -tags "${GO_TAGS:-}" -ldflags "-s -w $extra" -o "$out" "${pkgs[@]}"
echo "$(( $(date +%s) - started ))" > "$staging/build-seconds"
log "$tool $version built in $(cat "$staging/build-seconds")s"
finish_cache "$tool" "$version" "$staging"
