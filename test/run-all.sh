#!/usr/bin/env bash
# Runs every test tier in order, cheapest first, so a broken unit fails in seconds rather
# than after a cluster build. No test may skip here: BLUEGREEN_FAIL_ON_SKIP makes
# test/support/no-skip-reporter.ts fail any tier that skips one. Brings the local cluster up (idempotent; the first run on a
# machine builds Kubernetes from source into the cache) and takes it down again at the end
# when it was not running before.
set -euo pipefail
cd "$(dirname "$0")/.."
export BLUEGREEN_FAIL_ON_SKIP=1

step() { printf '\n==> %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

# Tools only some end-to-end files need are built in the background, at the lowest CPU priority,
# from the start: on a fresh machine they then compile in the CPU the other steps leave idle
# (the end-to-end tier mostly waits on pods and timers) instead of adding their whole build to
# the run when their test file asks for them. The test waits for the build through its lock;
# a failed background build is retried by the test that needs it, which then reports it.
# Cached tools cost nothing here.
late_tools=(prometheus-operator traefik)
mkdir -p "${BLUEGREEN_CLUSTER_DIR:-.cluster}/logs"
late_log="${BLUEGREEN_CLUSTER_DIR:-.cluster}/logs/build-late-tools.log"
# Its own process group (setsid), so stopping it stops the Go compilers it started too.
setsid nice -n 19 bash test/cluster/build/all.sh "${late_tools[@]}" >"$late_log" 2>&1 &
late_pid=$!
stop_late_build() { kill -- -"$late_pid" 2>/dev/null || true; }
trap stop_late_build EXIT

step "typecheck"
npm run typecheck

step "format and lint (layer boundaries included)"
npm run -s format:check
npm run -s lint

step "unit tests"
npx vitest run --project unit

# The tool tier needs helm, actionlint, promtool and Chromium; build (or install) them first,
# so a fresh machine runs these tests instead of skipping them, and a broken chart fails before
# the long cluster build.
step "tools for the tool tier (helm, actionlint, promtool built once into the cache; Debian's chromium)"
bash test/tools/tool.sh ensure helm actionlint promtool chromium

step "tool tests (chart render, actionlint, promtool, release report in Chromium)"
npx vitest run --project tools

was_up=false
if [ -f "${BLUEGREEN_CLUSTER_DIR:-.cluster}/env" ] && npm run -s cluster:status >/dev/null 2>&1; then was_up=true; fi
cleanup() {
  # Never leave the background build running past the run (its cache entry stays incomplete).
  stop_late_build
  if [ "$was_up" = false ] && [ "${KEEP_CLUSTER:-}" != "1" ]; then
    step "cluster down (set KEEP_CLUSTER=1 to keep it)"
    npm run -s cluster:down || true
  fi
}
trap cleanup EXIT

step "local cluster up (real node + kwok nodes)"
npm run -s cluster:up -- --nodes=real,kwok

step "integration tests (real control plane, kwok nodes)"
npx vitest run --project integration

step "end-to-end tests (real node, images, Prometheus)"
npx vitest run --project e2e

step "all tests passed"
