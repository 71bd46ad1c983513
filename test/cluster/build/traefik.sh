#!/usr/bin/env bash
# traefik.sh: Traefik v3 (a Gateway API implementation; only the canary-gateway e2e scenario
# runs it, as a host process) from its Go module, cached under $CACHE_DIR/traefik-<version>/bin.
# Not gomain.sh: Traefik's go.mod replaces github.com/traefik/traefik/dynamic/ext with its own
# ./pkg/config/dynamic/ext, a nested module the proxy does not serve, and a wrapper module
# cannot honour a local replace of another module. So the module's own tree (as the proxy
# serves it, go.sum included) is copied and built as the main module: its replace directives
# apply as in its release builds. The web UI embeds webui/static, which the module ships with
# a placeholder file only: the dashboard is empty, nothing here needs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
source "$here/versions.sh"
tool=traefik module=github.com/traefik/traefik/v3 version=$TRAEFIK_VERSION
cached "$tool" "$version" && exit 0
take_lock "$tool" "$version"
cached "$tool" "$version" && exit 0
need_go
staging="$CACHE_DIR/.$tool-$version.partial"
work="$CACHE_DIR/.$tool-$version.src"
rm -rf "$staging" "$work"; mkdir -p "$staging/bin"
started=$(date +%s)
log "building $tool $version (its module as the main module)"
# Outside any module, `go mod download` takes module@version and needs no go.mod.
dir=$(cd / && go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[[ -f $dir/go.mod ]] || die "could not download $module@$version (module dir: ${dir:-none})"
cp -r "$dir" "$work"
chmod -R u+w "$work" # the module cache is read-only
cd "$work"
GOFLAGS="$GOFLAGS -mod=mod" nice -n 10 go build -trimpath \
  -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${version#v}" \
  -o "$staging/bin/traefik" ./cmd/traefik
echo "$(( $(date +%s) - started ))" > "$staging/build-seconds"
log "$tool $version built in $(cat "$staging/build-seconds")s"
cd /
rm -rf "$work" # a copy of the module: nothing reads it later
finish_cache "$tool" "$version" "$staging"
