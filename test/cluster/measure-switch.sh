#!/usr/bin/env bash
# measure-switch.sh [rounds]: how long after a Service's selector moves from blue to green
# does traffic from the host reach green? (EndpointSlice update + kube-proxy iptables sync;
# kube-proxy's minSyncPeriod is KUBE_PROXY_MIN_SYNC in lib/common.sh.) Needs the real tier
# and the echo image from the smoke test (bluegreen/echo:smoke).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
rounds=${1:-5}
ns=switch-$RANDOM
kubectl create namespace "$ns" >/dev/null
trap 'kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true' EXIT
for color in blue green; do
  kubectl -n "$ns" create deployment "$color" --image=bluegreen/echo:smoke --replicas=1 --port=8080 >/dev/null
  kubectl -n "$ns" patch deployment "$color" --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]' >/dev/null
done
kubectl -n "$ns" create service clusterip echo --tcp=80:8080 >/dev/null
kubectl -n "$ns" wait --for=condition=Available deployment/blue deployment/green --timeout=120s >/dev/null
ip=$(kubectl -n "$ns" get svc echo -o jsonpath='{.spec.clusterIP}')
route_to() { kubectl -n "$ns" patch svc echo -p "{\"spec\":{\"selector\":{\"app\":\"$1\"}}}" >/dev/null; }
serves() { curl -s --max-time 1 "http://$ip/" | grep -q "\"$1-"; }
times=()
for ((i = 1; i <= rounds; i++)); do
  route_to blue; wait_for 30 "blue serving" serves blue
  sleep 2 # let kube-proxy's minSyncPeriod window close so each round starts alike
  route_to green
  start=$EPOCHREALTIME # from the moment the API server accepted the new selector
  until serves green; do sleep 0.01; done
  t=$(echo "($EPOCHREALTIME - $start) * 1000 / 1" | bc)
  times+=("$t"); echo "round $i: switched in $t ms"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median " a[int((NR+1)/2)] " ms over " NR " rounds (minSyncPeriod '"$KUBE_PROXY_MIN_SYNC"')"}'
