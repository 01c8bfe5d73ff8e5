#!/usr/bin/env bash
# End-to-end test of mtls-probe on one machine: a real mini-mesh in network namespaces, the same
# packaged jar with the same config in a pod with a sidecar and in a pod without one, the project's
# alert rules in Prometheus and its routing in Alertmanager, notifications caught by a webhook receiver.
#
# Usage (root): src/test/e2e/run.sh          run every scenario; table on stdout and in target/e2e/report.txt
#               src/test/e2e/run.sh --check  only check the prerequisites
# Exit: 0 every scenario passed, 1 a scenario failed, 2 the harness failed, 77 a prerequisite is missing.
# Env: E2E_JAR (default target/quarkus-app/quarkus-run.jar), E2E_JAVA (default: java on PATH),
#      E2E_OUT (default target/e2e), E2E_RULES / E2E_ALERTMANAGER (default k8s/monitoring/...).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
JAR=${E2E_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
JAVA=${E2E_JAVA:-$(command -v java || echo java)}
OUT=${E2E_OUT:-$ROOT/target/e2e}
RULES_SRC=${E2E_RULES:-$ROOT/k8s/monitoring/prometheusrule.yaml}
ALERTMANAGER_SRC=${E2E_ALERTMANAGER:-$ROOT/k8s/monitoring/alertmanager.yml}
PY=/usr/bin/python3 # Debian's: gunicorn's httpbin lives there, and q.py needs only its stdlib
# Nothing here may go through a proxy: all traffic stays in this run's namespaces.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/mesh.sh
. "$HERE/lib/mesh.sh"
# shellcheck source=lib/monitoring.sh
. "$HERE/lib/monitoring.sh"
# shellcheck source=lib/scenarios.sh
. "$HERE/lib/scenarios.sh"
# shellcheck source=lib/check.sh
. "$HERE/lib/check.sh"
# shellcheck source=lib/sweep.sh
. "$HERE/lib/sweep.sh"

# One line naming what is missing and how to get it; exit 77.
check_prerequisites() {
  local missing=()
  [[ $(id -u) == 0 ]] || { echo "e2e needs root (network namespaces, iptables); run it as root"; return 77; }
  local cmd
  for cmd in ip iptables haproxy /usr/bin/gunicorn prometheus prometheus-alertmanager promtool amtool openssl \
    "$PY" "$JAVA"; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [[ -x $PY ]] && ! "$PY" -c 'import httpbin' 2>/dev/null && missing+=("python3-httpbin")
  if ((${#missing[@]})); then
    echo "e2e prerequisites missing: ${missing[*]} (apt-get install -y --no-install-recommends iproute2 iptables" \
      "haproxy gunicorn python3-httpbin prometheus prometheus-alertmanager openssl, and a JDK 17+)"
    return 77
  fi
  [[ -f $JAR ]] || { echo "e2e needs the packaged jar $JAR: run ./mvnw -B package -DskipTests first"; return 77; }
  [[ -f $RULES_SRC && -f $ALERTMANAGER_SRC ]] ||
    { echo "e2e needs the project's monitoring files $RULES_SRC and $ALERTMANAGER_SRC"; return 77; }
  ip netns add "mtlsprobe-e2e-check-$$" 2>/dev/null && ip netns del "mtlsprobe-e2e-check-$$" ||
    { echo "e2e cannot create network namespaces here (ip netns add failed)"; return 77; }
}

# The trap: always runs, also on failure or interrupt. Stops every process by PID, removes the
# namespaces and /etc/netns entries, then proves that nothing of this run is left.
cleanup() {
  local rc=$? name pid n left=()
  trap - EXIT INT TERM
  stop_all
  for n in "${NAMESPACES[@]}"; do
    # Whatever still runs in a namespace of this run was started by it: kill it by PID.
    for pid in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
    rm -rf "/etc/netns/$n"
  done
  [[ -n ${CREATED_ETC_NETNS:-} ]] && rmdir /etc/netns 2>/dev/null
  ip netns list 2>/dev/null | grep -q "^$NS_PREFIX-" && left+=("namespaces: $(ip netns list | grep "^$NS_PREFIX-" | tr '\n' ' ')")
  compgen -G "/etc/netns/$NS_PREFIX-*" >/dev/null && left+=("/etc/netns entries: $(echo /etc/netns/"$NS_PREFIX"-*)")
  if [[ -f $WORK/pids ]]; then
    while read -r pid name started; do
      [[ -n $started && $(start_time "$pid") == "$started" ]] && left+=("process $name (pid $pid)")
    done <"$WORK/pids"
  fi
  if ((${#left[@]})); then
    log "LEFTOVERS: ${left[*]}"
    rc=2
  else
    log "clean: no namespaces, /etc/netns entries or processes of run $NS_PREFIX are left"
  fi
  rm -rf "$WORK"
  exit "$rc"
}

main() {
  local reason
  if ! reason=$(check_prerequisites); then
    echo "SKIP: $reason"
    exit 77
  fi
  [[ ${1:-} == --check ]] && { echo "e2e prerequisites present"; exit 0; }

  NS_PREFIX=mtlsprobe-e2e-$(printf '%04x%04x' $$ $RANDOM)
  NAMESPACES=()
  mkdir -p "$OUT"
  LOGS=$OUT/logs
  rm -rf "$LOGS" && mkdir -p "$LOGS"
  WORK=$(mktemp -d /tmp/mtlsprobe-e2e.XXXXXX)
  chmod 755 "$WORK" # the sidecars' workers run as uid 1337
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  local t0
  t0=$(now)
  log "run $NS_PREFIX: jar $JAR, work dir $WORK, logs $LOGS"

  setup || die "setup failed (see $LOGS)"
  log "mesh up in $(since "$t0")s"
  run_scenarios
  {
    print_table
    echo "time to detect (switch to PERMISSIVE -> MtlsProbePlaintextAccepted delivered): ${TIME_TO_DETECT:-none}s (goal <= 30s)"
    echo "intervals: probe $PROBE_INTERVAL (timeout $PROBE_TIMEOUT), scrape and rule evaluation $EVAL," \
      "Alertmanager group_wait $GROUP_WAIT / group_interval $GROUP_INTERVAL; rules unchanged otherwise"
  } | tee "$OUT/report.txt"
  log "total $(since "$t0")s; $FAILED scenario(s) failed"
  ((FAILED == 0)) || { dump_logs; exit 1; }
}

setup() {
  "$HERE/certs.sh" "$WORK/certs" "$TRUST_DOMAIN" || return 1
  create_namespaces || return 1
  set_policy STRICT "$CLIENT_ID" || return 1
  prepare_monitoring || return 1
  start_server_pod || return 1
  start_client_sidecar || return 1
  write_probe_config
  sweep_probe_config >>"$WORK/probe.env"
  sweep_setup || return 1
  start_probe probe-sidecar sidecar "$(pod_dir sidecar "$SIDECAR_ANNOTATIONS" "$SIDECAR_LABELS")"
  # shellcheck disable=SC2046
  start_probe probe-naked naked "$(pod_dir naked "$NAKED_ANNOTATIONS" "$NAKED_LABELS")" $(sweep_naked_env)
  wait_until 60 "the sidecar probe's metrics" pq http "http://${IP[sidecar]}:9000/q/metrics" &&
    wait_until 30 "the naked probe's metrics" pq http "http://${IP[naked]}:9000/q/metrics" || return 1
  start_monitoring || return 1
  wait_until 30 "Prometheus scraping both probes" \
    eval '[[ $(pq value "count(up{job=\"mtls-probe\"} == 1)") == 2 ]]'
}

main "$@"
