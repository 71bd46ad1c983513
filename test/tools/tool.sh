#!/usr/bin/env bash
# tool.sh path <helm|actionlint|promtool|chromium>   prints the binary the tool-tier tests run
# tool.sh ensure <tool>...                   builds (or installs) what is missing, then prints the paths
#
# The one place that knows where the tools of test/tools/*.test.ts come from (the TypeScript
# side, test/support/tools.ts, asks this script). Order: an explicit $HELM / $ACTIONLINT /
# $PROMTOOL / $CHROMIUM, then our pinned build in the cache (test/cluster/build/versions.sh), then
# PATH (the GitHub unit job installs them there). Chromium (the release report's browser test)
# is Debian's package, never a test tool's own browser download. `npm test` runs `ensure` before
# the tool tier, so on a fresh machine the tests find the tools instead of skipping.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../cluster/build"
source "$build/versions.sh"
CACHE_DIR="${BLUEGREEN_CACHE_DIR:-/var/cache/bluegreen-operator}"

# pinned <tool>: where our own pinned build of the tool lives (may not exist yet).
pinned() {
  case "$1" in
    helm) echo "$CACHE_DIR/helm-$HELM_VERSION/bin/helm" ;;
    actionlint) echo "$CACHE_DIR/actionlint-$ACTIONLINT_VERSION/bin/actionlint" ;;
    # The cluster build's Prometheus 3 (all.sh prometheus) once versions.sh pins PROMETHEUS_VERSION;
    # before that, Debian's prometheus package.
    promtool)
      if [[ -n ${PROMETHEUS_VERSION:-} ]]; then echo "$CACHE_DIR/prometheus-$PROMETHEUS_VERSION/bin/promtool"
      else echo /usr/bin/promtool; fi ;;
    chromium) echo /usr/bin/chromium ;;
    *) echo "tool.sh: unknown tool '$1' (helm, actionlint, promtool or chromium)" >&2; return 2 ;;
  esac
}

# apt_install <package>: Debian's package, with one `apt-get update` retry for a stale index.
apt_install() {
  [[ $(id -u) -eq 0 ]] || { echo "installing $1 (Debian package $1) needs root" >&2; return 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null; }
}

# provide <tool>: build or install the pinned tool.
provide() {
  case "$1" in
    helm | actionlint) "$build/all.sh" "$1" ;;
    promtool)
      if [[ -n ${PROMETHEUS_VERSION:-} ]]; then "$build/all.sh" prometheus; return; fi
      apt_install prometheus
      ;;
    chromium) apt_install chromium ;;
  esac
}

# path_of <tool>: the binary to use, or a one-line reason on stderr and status 1.
path_of() {
  local tool=$1 env_name p
  env_name=$(tr '[:lower:]' '[:upper:]' <<<"$tool")
  p=$(pinned "$tool") || return 2
  if [[ -n ${!env_name:-} ]]; then
    [[ -x ${!env_name} ]] || command -v "${!env_name}" >/dev/null || { echo "\$$env_name=${!env_name} is not an executable" >&2; return 1; }
    echo "${!env_name}"
  elif [[ -x $p ]]; then
    echo "$p"
  elif command -v "$tool" >/dev/null; then
    command -v "$tool"
  else
    echo "$tool not found (\$$env_name, $p, PATH): run 'bash test/tools/tool.sh ensure $tool'" >&2
    return 1
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  path) [[ $# -eq 1 ]] || { echo "usage: tool.sh path <tool>" >&2; exit 2; }; path_of "$1" ;;
  ensure)
    [[ $# -gt 0 ]] || set -- helm actionlint promtool chromium
    for t in "$@"; do path_of "$t" >/dev/null 2>&1 || provide "$t"; done
    for t in "$@"; do path_of "$t"; done
    ;;
  *) sed -n '2,3p' "$0" >&2; exit 2 ;;
esac
