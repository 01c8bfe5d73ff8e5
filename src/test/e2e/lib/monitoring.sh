# Prometheus, Alertmanager and the webhook receiver, all in the monitoring namespace on its loopback,
# loaded with the project's own rules and routing.
# shellcheck shell=bash

PROM_PORT=9090
AM_PORT=9093
RECEIVER_PORT=8099
EVAL=1s             # scrape and rule evaluation interval
GROUP_WAIT=1s       # Alertmanager grouping timers (the example's routing is otherwise unchanged)
GROUP_INTERVAL=1s

pq() { in_ns monitoring "$PY" "$HERE/q.py" "$@"; }

prepare_monitoring() {
  mkdir -p "$WORK/prometheus" "$WORK/alertmanager"
  "$PY" "$HERE/project_config.py" rules "$RULES_SRC" "$WORK/rules.yml" "$EVAL" || return 1
  promtool check rules "$WORK/rules.yml" >"$LOGS/promtool.log" 2>&1 || { cat "$LOGS/promtool.log" >&2; return 1; }
  "$PY" "$HERE/project_config.py" alertmanager "$ALERTMANAGER_SRC" "$WORK/alertmanager.yml" \
    "http://127.0.0.1:$RECEIVER_PORT" "$GROUP_WAIT" "$GROUP_INTERVAL" || return 1
  amtool check-config "$WORK/alertmanager.yml" >"$LOGS/amtool.log" 2>&1 || { cat "$LOGS/amtool.log" >&2; return 1; }
  sed -e "s|@INTERVAL@|$EVAL|g" -e "s|@RULES@|$WORK/rules.yml|" -e "s|@AM_PORT@|$AM_PORT|" \
    -e "s|@SIDECAR@|${IP[sidecar]}|" -e "s|@NAKED@|${IP[naked]}|" "$HERE/prometheus.yml.in" >"$WORK/prometheus.yml"
  promtool check config "$WORK/prometheus.yml" >>"$LOGS/promtool.log" 2>&1 || { cat "$LOGS/promtool.log" >&2; return 1; }
}

start_monitoring() {
  local m
  m=$(ns monitoring)
  NOTIFICATIONS=$WORK/notifications.jsonl
  start receiver "$m" "$PY" "$HERE/receiver.py" "$RECEIVER_PORT" "$NOTIFICATIONS"
  start alertmanager "$m" prometheus-alertmanager --config.file="$WORK/alertmanager.yml" \
    --storage.path="$WORK/alertmanager" --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address=
  start prometheus "$m" prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
    --web.listen-address="127.0.0.1:$PROM_PORT"
  wait_until 20 "the webhook receiver" in_ns monitoring "$PY" "$HERE/q.py" port 127.0.0.1 "$RECEIVER_PORT" &&
    wait_until 20 "Alertmanager ready" in_ns monitoring "$PY" "$HERE/q.py" http "http://127.0.0.1:$AM_PORT/-/ready" &&
    wait_until 30 "Prometheus ready" in_ns monitoring "$PY" "$HERE/q.py" http "http://127.0.0.1:$PROM_PORT/-/ready"
}
