# Shared helpers for the build scripts (sourced, not executed).
# Everything built lands in $CACHE_DIR/<tool>-<version>/ and is reused as long as its
# .complete marker exists, so a warm start never rebuilds.
CACHE_DIR="${BLUEGREEN_CACHE_DIR:-/var/cache/bluegreen-operator}"
# Keep Go's own caches out of the way of other users' GOPATHs but persistent across runs.
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0

log() { printf '[build %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

need_go() {
  command -v go >/dev/null 2>&1 || die "Go toolchain not found: install Go >= 1.24 (e.g. apt-get install golang-go, or /usr/local/go) and put it on PATH"
}

# cached <tool> <version>: prints the cache dir and returns 0 when the build is complete.
cached() {
  local dir="$CACHE_DIR/$1-$2"
  [[ -f "$dir/.complete" ]] && { echo "$dir"; return 0; }
  return 1
}

# finish_cache <tool> <version> <staging dir>: atomically publish a finished build.
finish_cache() {
  local dir="$CACHE_DIR/$1-$2" staging="$3"
  date -u +%FT%TZ > "$staging/.complete"
  rm -rf "$dir"
  mv "$staging" "$dir"
  echo "$dir"
}

# take_lock <tool> <version>: serialise builds of one tool; several test files (or a
# developer and a test) may ask for the same tool at once. Held until the script exits.
take_lock() {
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.$1-$2.lock"
  flock 9
}
