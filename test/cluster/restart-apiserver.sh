#!/usr/bin/env bash
# test/cluster/restart-apiserver.sh [grace-seconds]: stop kube-apiserver (SIGTERM, then SIGKILL
# after grace-seconds, default 5) and start it again with the same flags, waiting for /readyz.
# Why so short a grace and only the API server: the outage must stay under the node
# controller's 40 s grace period, after which it marks every pod of the node NotReady and the
# Services lose their endpoints — an outage of a one-replica control plane, not something an
# operator can prevent. A SIGTERMed kube-apiserver stops accepting requests at once but its
# HTTP server then waits up to 60 s for open connections before exiting, and a restart through
# up.sh re-checks every component (2.5 min under load); both went past 40 s.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
for f in prereq controlplane; do source "$CLUSTER_LIB/$f.sh"; done
require_root
proc_running kube-apiserver || die "kube-apiserver is not running: start the cluster with npm run cluster:up"
# Serialised with up.sh/down.sh, so a concurrent cluster:up never sees it half-way.
exec 8>"$UP_LOCK"
flock 8
stop_proc kube-apiserver "${1:-5}"
start_apiserver
