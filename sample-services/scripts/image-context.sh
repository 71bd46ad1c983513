#!/bin/sh
# Assembles the build context for sample-services/Dockerfile (the image contract):
#
#   <context>/Dockerfile      copy of sample-services/Dockerfile
#   <context>/package.json    sample-services/package.json ("type": "module")
#   <context>/src/            sample-services/src without tests (test helpers live in ../testing/)
#   <context>/node_modules/   PRODUCTION dependencies only, installed by `npm ci --omit=dev
#                             -w sample-services` from the repo's package-lock.json
#
# Why outside the Dockerfile: the base image is a bare Node 24 runtime without npm, and builds
# here run with `buildah bud --pull=never` and no network, so dependencies are installed on the
# host (from the lock, in a scratch copy of the workspace so the developer's node_modules is
# untouched) and copied in.
#
# Usage: sh sample-services/scripts/image-context.sh [OUT_DIR]   (default sample-services/.image-context)
set -eu
services=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$services/.." && pwd)
out=${1:-$services/.image-context}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# npm ci checks the lock against every workspace manifest, so copy them all (manifests only).
cp "$root/package.json" "$root/package-lock.json" "$work/"
for ws in $(cd "$root" && node -e 'for (const w of require("./package.json").workspaces) console.log(w)'); do
  mkdir -p "$work/$ws"
  cp "$root/$ws/package.json" "$work/$ws/"
done
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error -w sample-services)

rm -rf "$out"
mkdir -p "$out/node_modules"
cp -R "$work/node_modules/." "$out/node_modules/"
if [ -d "$work/sample-services/node_modules" ]; then
  cp -R "$work/sample-services/node_modules/." "$out/node_modules/"
fi
# Workspace links point back into the repo; the image needs none of them.
find "$out/node_modules" -maxdepth 2 -type l -delete
rm -rf "$out/node_modules/.bin" "$out/node_modules/.package-lock.json"
# Source maps of the Swagger UI bundle are never served (kit/docs.ts serves html/js/css/png).
find "$out/node_modules/swagger-ui-dist" -name "*.map" -delete
cp "$services/package.json" "$services/Dockerfile" "$out/"
cp -R "$services/src" "$out/src"
find "$out/src" -name '*.test.ts' -delete
echo "image context ready: $out ($(du -sh "$out" | cut -f1))"
