#!/usr/bin/env bash
# module-files.sh <tool> <version> <module> <dir in module> <dest>
# Copies the files of one directory of a Go module (as the module proxy serves it) next to a
# cached build: $CACHE_DIR/<tool>-<version>/<dest>/. Used for what a binary needs besides
# itself, e.g. the CRDs of the same release, so a fresh machine gets them from the same
# pinned module the binary was built from, and nothing reads a build's scratch tree later.
# Published with its own .complete marker, so a cache built before this step gains it.
# MODULE_VERSION (environment) takes the files from another version of <module> than the tool's
# (the Gateway API CRDs next to Traefik come from sigs.k8s.io/gateway-api's own release).
set -euo pipefail
source "$(dirname "$0")/common.sh"
tool=$1 version=$2 module=$3 subdir=$4 dest=$5
out="$CACHE_DIR/$tool-$version/$dest"
[[ -f $out/.complete ]] && exit 0
[[ -d $CACHE_DIR/$tool-$version ]] || die "$tool $version is not built yet"
take_lock "$tool-$dest" "$version"
[[ -f $out/.complete ]] && exit 0
need_go
# Outside any module, `go mod download` takes module@version and needs no go.mod.
mversion=${MODULE_VERSION:-$version}
dir=$(cd / && go mod download -json "$module@$mversion" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[[ -d $dir/$subdir ]] || die "$subdir not found in $module@$mversion (module dir: ${dir:-none})"
rm -rf "$out.partial"; mkdir -p "$out.partial"
cp "$dir/$subdir"/* "$out.partial/"
chmod -R u+w "$out.partial" # the module cache is read-only
date -u +%FT%TZ >"$out.partial/.complete"
rm -rf "$out"; mv "$out.partial" "$out"
log "$tool $version: $(ls "$out" | wc -l) files of $module@$mversion/$subdir in $out"
