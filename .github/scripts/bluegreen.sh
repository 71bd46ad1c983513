# Helpers for .github/workflows/deploy.yml (sourced). Needs NAMESPACE and SERVICE, kubectl
# with a kubeconfig, curl and jq.

field() { # field <jsonpath>: one field of the BlueGreenService
  kubectl -n "$NAMESPACE" get bgs "$SERVICE" -o "jsonpath=$1"
}

other_color() { [[ $1 == blue ]] && echo green || echo blue; }

selector_color() { # the colour the active (or preview) Service sends traffic to
  kubectl -n "$NAMESPACE" get svc "$1" -o 'jsonpath={.spec.selector.bluegreen\.dev/color}'
}

# wait_until <what> <seconds> <command...>: poll the condition every 3 s; fail at once when the
# release turns Degraded or Invalid (unless ALLOW_DEGRADED=true: a rollback starts from a
# Degraded release), and at the deadline, printing what was last seen.
wait_until() {
  local what=$1 deadline=$((SECONDS + $2)) phase
  shift 2
  until "$@"; do
    phase=$(field '{.status.phase}')
    if [[ ${ALLOW_DEGRADED:-false} != true && ($phase == Degraded || $phase == Invalid) ]]; then
      echo "::error::$what: $SERVICE is $phase: $(field '{.status.message}')"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "::error::timed out waiting for $what (phase '$phase': $(field '{.status.message}'))"
      return 1
    fi
    sleep 3
  done
  echo "$what: done (phase $(field '{.status.phase}'))"
}

# A cheap request each service answers without a token (401s are not errors for the analysis).
probe_path() {
  case $SERVICE in
    auth) echo /.well-known/jwks.json ;;
    orders) echo /orders ;;
    payments) echo /payments/none ;;
    notifications) echo /notifications ;;
    *) echo / ;;
  esac
}

# traffic <service> <local port>: steady requests through a port-forward, in the background,
# until the job ends. Analyses need traffic: no data is inconclusive, never a pass.
traffic() {
  local svc=$1 port=$2 path
  path=$(probe_path)
  kubectl -n "$NAMESPACE" port-forward "svc/$svc" "$port:80" >"$RUNNER_TEMP/port-forward-$svc.log" 2>&1 &
  for _ in $(seq 1 30); do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" && break
    sleep 1
  done
  (while true; do curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port$path"; sleep 0.1; done) &
  echo "sending traffic to $svc$path"
}
