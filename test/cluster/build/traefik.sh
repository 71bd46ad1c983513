#!/usr/bin/env bash
# traefik.sh: Traefik v3 (a Gateway API implementation; only the canary-gateway e2e scenario
# runs it, as a host process) from its Go module, cached under $CACHE_DIR/traefik-<version>/bin.
# Not gomain.sh: Traefik's go.mod replaces github.com/traefik/traefik/dynamic/ext with its own
# ./pkg/config/dynamic/ext, a nested module the proxy does not serve, and a wrapper module
# cannot honour a local replace of another module. So the module's own tree (as the proxy
# serves it, go.sum included) is copied and built as the main module: its replace directives
# apply as in its release builds. A module zip leaves out nested modules, so that directory is
# missing from the copy: it is written here. Upstream it declares two empty extension points
# (`type HTTP struct{}`, `type Router struct{}`, nothing else in v3.7); if a later version adds
# to it the build fails on the missing names, and this stand-in must follow. The web UI embeds
# webui/static, which the module ships with a placeholder file only: the dashboard is empty,
# nothing here needs it.
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
ext=pkg/config/dynamic/ext
if [[ ! -f $ext/go.mod ]]; then
  mkdir -p "$ext"
  printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n' >"$ext/go.mod"
  printf '%s\n' '// Stand-in written by test/cluster/build/traefik.sh (a module zip omits nested modules).' \
    'package ext' '' '// HTTP extends dynamic.HTTP (empty upstream).' 'type HTTP struct{}' '' \
    '// Router extends dynamic.Router (empty upstream).' 'type Router struct{}' >"$ext/ext.go"
  log "wrote a stand-in for the nested module github.com/traefik/traefik/dynamic/ext"
fi
GOFLAGS="$GOFLAGS -mod=mod" nice -n 10 go build -trimpath \
  -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${version#v}" \
  -o "$staging/bin/traefik" ./cmd/traefik
echo "$(( $(date +%s) - started ))" > "$staging/build-seconds"
log "$tool $version built in $(cat "$staging/build-seconds")s"
cd /
rm -rf "$work" # a copy of the module: nothing reads it later
finish_cache "$tool" "$version" "$staging"
