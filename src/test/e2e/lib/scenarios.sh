# The scenarios (the eighth, the one-shot check, is in check.sh; the ninth, the coverage sweep, in sweep.sh). Each acts on the mesh, waits (bounded) for what must follow, and records one row.
# The project's rules set the pace: MtlsProbeMeshedCallFailing needs 2m, MtlsProbeDown 2m,
# MtlsProbeRoleMismatch 1m, and MtlsProbePlaintextAccepted resolves 5m after the last plaintext success
# (its increase() window). To stay near five minutes, scenarios 7 and 9 run inside scenario 4's 2 minutes and
# scenario 3's resolved notification is awaited last; each row's seconds count from its own action.
# shellcheck shell=bash

PROBE_INTERVAL=1s
PROBE_TIMEOUT=500ms
SIDECAR_STATUS='{\\"initContainers\\":[\\"istio-init\\"],\\"containers\\":[\\"istio-proxy\\"],\\"volumes\\":[\\"istio-envoy\\",\\"istio-data\\",\\"istio-podinfo\\",\\"istio-token\\",\\"istiod-ca-cert\\"],\\"imagePullSecrets\\":null,\\"revision\\":\\"default\\"}'
# Downward-API files as the kubelet writes them; the injector adds the status annotation and labels.
SIDECAR_ANNOTATIONS='kubectl.kubernetes.io/default-container="mtls-probe"\nsidecar.istio.io/status="'$SIDECAR_STATUS'"\n'
SIDECAR_LABELS='app="mtls-probe"\nsecurity.istio.io/tlsMode="istio"\nservice.istio.io/canonical-name="mtls-probe"\n'
NAKED_ANNOTATIONS='kubectl.kubernetes.io/default-container="mtls-probe"\n'
NAKED_LABELS='app="mtls-probe"\nsidecar.istio.io/inject="false"\n'

# The one configuration both probe pods get (as the Deployment's env); identical byte for byte.
write_probe_config() {
  cat >"$WORK/probe.env" <<CONF
MTLS_PROBE_INTERVAL=$PROBE_INTERVAL
MTLS_PROBE_TIMEOUT=$PROBE_TIMEOUT
MTLS_PROBE_TARGETS_HTTPBIN_URL=http://$SERVICE:8080/headers
MTLS_PROBE_TARGETS_HTTPBIN_EXPECTED_SERVER_ID=$SERVER_ID
MTLS_PROBE_TARGETS_HTTPBIN_EXPECTED_CLIENT_ID=$CLIENT_ID
# The pod's downward-API volume, relative to the pod's working directory (see start_probe).
MTLS_PROBE_PODINFO_ANNOTATIONS=podinfo/annotations
MTLS_PROBE_PODINFO_LABELS=podinfo/labels
CONF
}

# "outcome/verdict" of a probe pod as Prometheus has it now, e.g. reset/pass
pod_state() {
  local sel="pod=\"mtls-probe-$1\",target=\"httpbin\""
  echo "$(pq label "mtls_probe_last_outcome{$sel} == 1" outcome)/$(pq label "mtls_probe_verdict{$sel} == 1" verdict)"
}
is_state() { [[ $(pod_state "$1") == "$2" ]]; }
prom_is() { [[ $(pq value "$1") == "$2" ]]; }
# notified ALERT STATUS SINCE [receiver=NAME] [LABEL=VALUE...]: prints the arrival time
notified() { pq notified "$NOTIFICATIONS" "$@"; }
# The receiver the project's routing picks for an alert with these labels.
receiver_for() { amtool config routes test --config.file="$WORK/alertmanager.yml" "$@" 2>/dev/null | tail -1; }
naked_resets() {
  pq scrape "http://${IP[naked]}:9000/q/metrics" mtls_probe_attempts_total role=naked outcome=reset target=httpbin
}
# Connections from the naked pod that the server sidecar logged (one line per connection).
naked_connections() { grep -c "^${IP[naked]}:" "$LOGS/server-sidecar.log"; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

run_scenarios() {
  CRITICAL=$(receiver_for severity=critical alertname=MtlsProbePlaintextAccepted)
  WARNING=$(receiver_for severity=warning alertname=MtlsProbeMeshedCallFailing)
  log "routing: critical -> $CRITICAL, warning -> $WARNING"
  scenario_strict
  check_now STRICT # lib/check.sh
  scenario_permissive
  check_now PERMISSIVE
  scenario_check
  scenario_back_to_strict
  scenario_denied # includes scenario_role_mismatch
  scenario_server_down
  scenario_probe_killed
  scenario_back_to_strict_resolved
}

scenario_strict() {
  local t0 ok=1 naked sidecar client server enforced ready xfcc notes c0 a0 c1 a1
  t0=$(now)
  wait_until 30 "naked reset/pass" is_state naked reset/pass
  wait_until 30 "sidecar mtls/pass" is_state sidecar mtls/pass
  wait_until 20 "mtls_probe:enforced 1" prom_is 'mtls_probe:enforced{target="httpbin"}' 1
  naked=$(pod_state naked) sidecar=$(pod_state sidecar)
  client=$(pq label 'mtls_probe_peer_identity_info{pod="mtls-probe-sidecar",target="httpbin"}' client_id)
  server=$(pq label 'mtls_probe_peer_identity_info{pod="mtls-probe-sidecar",target="httpbin"}' server_id)
  enforced=$(pq value 'mtls_probe:enforced{target="httpbin"}')
  ready=$(pq value 'mtls_probe_sidecar_ready{pod="mtls-probe-sidecar"}')
  # The mesh itself: a client-supplied XFCC never reaches httpbin; the server sidecar's own does.
  xfcc=$(in_ns sidecar "$PY" "$HERE/q.py" xfcc "http://$SERVICE:8080/headers")
  # One attempt is one connection: over a few seconds, the server sidecar saw as many connections
  # from the naked pod as the probe counted resets (an attempt may be in flight at either end).
  c0=$(naked_connections) a0=$(naked_resets)
  sleep 4
  c1=$(naked_connections) a1=$(naked_resets)
  local conns=$((c1 - c0)) attempts=$((${a1%.*} - ${a0%.*}))
  notes=$(pq alerts "$NOTIFICATIONS" 0)
  [[ $naked == reset/pass && $sidecar == mtls/pass && $client == "$CLIENT_ID" && $server == "$SERVER_ID" &&
    $enforced == 1 && $ready == 1 && $xfcc == "By=$SERVER_ID;"*";URI=$CLIENT_ID" && $xfcc != *forged* &&
    $attempts -ge 3 && $conns -le $((attempts + 1)) &&
    $conns -ge $((attempts - 1)) && -z $notes ]] && ok=0
  record "1 STRICT" "naked reset/pass; sidecar mtls/pass, both ids; enforced 1; sidecar ready; forged XFCC replaced; 1 conn per attempt; no alert" \
    "naked $naked; sidecar $sidecar client=$client server=$server; enforced $enforced; sidecar_ready $ready; forged XFCC: $([[ $xfcc == *forged* ]] && echo kept || echo replaced); $conns conns/$attempts attempts; notifications: ${notes:-none}" \
    "$(since "$t0")" $ok
}

scenario_permissive() {
  local t0 ok=1 at naked sidecar xfcc ttd=none
  set_policy PERMISSIVE "$CLIENT_ID"
  t0=$(now)
  reload_server_sidecar
  if wait_until 60 "MtlsProbePlaintextAccepted at $CRITICAL" \
    notified MtlsProbePlaintextAccepted firing "$t0" receiver="$CRITICAL"; then
    at=$(notified MtlsProbePlaintextAccepted firing "$t0" receiver="$CRITICAL")
    ttd=$(seconds_between "$t0" "$at")
  fi
  wait_until 10 "naked plaintext/fail" is_state naked plaintext/fail
  naked=$(pod_state naked) sidecar=$(pod_state sidecar)
  xfcc=$(in_ns naked "$PY" "$HERE/q.py" xfcc "http://$SERVICE:8080/headers")
  [[ $ttd != none && $naked == plaintext/fail && $sidecar == mtls/pass && $xfcc == none ]] &&
    awk -v t="$ttd" 'BEGIN { exit !(t <= 30) }' && ok=0
  TIME_TO_DETECT=$ttd
  record "2 PERMISSIVE" "naked plaintext/fail; sidecar still mtls/pass; forged XFCC stripped; MtlsProbePlaintextAccepted to $CRITICAL <= 30s" \
    "naked $naked; sidecar $sidecar; XFCC seen by httpbin: $xfcc; delivered ${ttd}s after the switch" "$ttd" $ok
}

scenario_back_to_strict() {
  set_policy STRICT "$CLIENT_ID"
  STRICT_AGAIN=$(now)
  reload_server_sidecar
  wait_until 20 "naked reset/pass" is_state naked reset/pass
  STRICT_AGAIN_STATE=$(pod_state naked)
}

# The resolved notification follows the rule's 5m increase() window; the naked probe keeps running
# meanwhile, so the alert resolves because plaintext stopped, not because the series vanished.
scenario_back_to_strict_resolved() {
  local ok=1 at resolved=no limit
  limit=$(awk -v s="$STRICT_AGAIN" -v n="$(now)" 'BEGIN { l = s + 360 - n; printf "%d", l < 1 ? 1 : l }')
  if wait_until "$limit" "MtlsProbePlaintextAccepted resolved" \
    notified MtlsProbePlaintextAccepted resolved "$STRICT_AGAIN" receiver="$CRITICAL"; then
    at=$(notified MtlsProbePlaintextAccepted resolved "$STRICT_AGAIN" receiver="$CRITICAL")
    resolved="yes, $(seconds_between "$STRICT_AGAIN" "$at")s after the switch"
  fi
  [[ $STRICT_AGAIN_STATE == reset/pass && $resolved == yes* ]] && ok=0
  record "3 STRICT again" "naked reset/pass at once; resolved notification to $CRITICAL after the rule's 5m window" \
    "naked $STRICT_AGAIN_STATE; resolved: $resolved" "$(since "$STRICT_AGAIN")" $ok
}

scenario_denied() {
  local t0 ok=1 sidecar fired=no at
  set_policy STRICT "$OTHER_ID"
  t0=$(now)
  reload_server_sidecar
  wait_until 20 "sidecar denied/fail" is_state sidecar denied/fail
  sidecar=$(pod_state sidecar)
  scenario_role_mismatch # while the 2m `for` runs
  scenario_sweep         # likewise (lib/sweep.sh)
  if wait_until 200 "MtlsProbeMeshedCallFailing at $WARNING" \
    notified MtlsProbeMeshedCallFailing firing "$t0" receiver="$WARNING"; then
    at=$(notified MtlsProbeMeshedCallFailing firing "$t0" receiver="$WARNING")
    fired="yes, $(seconds_between "$t0" "$at")s after the change"
  fi
  [[ $sidecar == denied/fail && $(pod_state sidecar) == denied/fail && $fired == yes* ]] && ok=0
  record "4 allow list" "sidecar denied/fail; MtlsProbeMeshedCallFailing to $WARNING after its 2m for" \
    "sidecar $sidecar; delivered: $fired" "$(since "$t0")" $ok
}

# A pod meant to be naked (inject="false") that got a sidecar anyway: it runs in the sidecar pod's
# network namespace, behind that sidecar. Sharing the namespace, it needs its own ports (8081/9001).
scenario_role_mismatch() {
  local t0 ok=1 mismatch role fired=no logged=no resolved=no at
  t0=$(now)
  start_probe probe-mislabelled sidecar "$(pod_dir mislabelled "$SIDECAR_ANNOTATIONS" "$NAKED_LABELS")" \
    QUARKUS_HTTP_PORT=8081 QUARKUS_MANAGEMENT_PORT=9001
  wait_until 60 "mtls_probe_role_mismatch 1" prom_is 'mtls_probe_role_mismatch{pod="mtls-probe-mislabelled"}' 1
  mismatch=$(pq value 'mtls_probe_role_mismatch{pod="mtls-probe-mislabelled"}')
  role=$(pq label 'mtls_probe_role_info{pod="mtls-probe-mislabelled"}' role)
  if wait_until 100 "MtlsProbeRoleMismatch at $CRITICAL" \
    notified MtlsProbeRoleMismatch firing "$t0" receiver="$CRITICAL" pod=mtls-probe-mislabelled; then
    at=$(notified MtlsProbeRoleMismatch firing "$t0" receiver="$CRITICAL" pod=mtls-probe-mislabelled)
    fired="yes, $(seconds_between "$t0" "$at")s after start"
  fi
  grep -q "but intended naked" "$LOGS/probe-mislabelled.log" && logged=yes
  # Remove the pod again: while its alert fires it inhibits MtlsProbeDown, which scenario 6 needs.
  stop probe-mislabelled
  wait_until 30 "MtlsProbeRoleMismatch resolved" \
    notified MtlsProbeRoleMismatch resolved "$t0" receiver="$CRITICAL" pod=mtls-probe-mislabelled && resolved=yes
  [[ $mismatch == 1 && $role == sidecar && $fired == yes* && $logged == yes && $resolved == yes ]] && ok=0
  record "7 naked intent, sidecar" "role_mismatch 1, role sidecar, logged; MtlsProbeRoleMismatch to $CRITICAL after its 1m for" \
    "role_mismatch $mismatch, role $role, logged: $logged; delivered: $fired; resolved once removed: $resolved" \
    "$(since "$t0")" $ok
}

scenario_server_down() {
  local t0 ok=1 naked sidecar passes plaintext=no
  stop_server_pod
  t0=$(now)
  wait_until 20 "naked inconclusive" eval '[[ $(pod_state naked) == */inconclusive ]]'
  wait_until 20 "sidecar mesh_error/fail" is_state sidecar mesh_error/fail
  sleep 5 # hold: the verdict must stay inconclusive, never turn into a pass
  naked=$(pod_state naked) sidecar=$(pod_state sidecar)
  passes=$(pq value 'max_over_time(mtls_probe_verdict{pod="mtls-probe-naked",target="httpbin",verdict="pass"}[5s])')
  notified MtlsProbePlaintextAccepted firing "$t0" >/dev/null && plaintext=yes
  [[ $naked == */inconclusive && $passes == 0 && $sidecar == mesh_error/fail && $plaintext == no ]] && ok=0
  record "5 httpbin down" "naked inconclusive, never pass, no PlaintextAccepted; sidecar mesh_error/fail" \
    "naked $naked (pass in the last 5s: $passes); sidecar $sidecar; PlaintextAccepted: $plaintext" "$(since "$t0")" $ok
}

scenario_probe_killed() {
  local t0 ok=1 fired=no at
  t0=$(now)
  stop probe-sidecar KILL
  if wait_until 200 "MtlsProbeDown for role sidecar" \
    notified MtlsProbeDown firing "$t0" receiver="$CRITICAL" role=sidecar; then
    at=$(notified MtlsProbeDown firing "$t0" receiver="$CRITICAL" role=sidecar)
    fired="yes, $(seconds_between "$t0" "$at")s after the kill"
  fi
  [[ $fired == yes* ]] && ok=0
  record "6 probe killed" "MtlsProbeDown{role=sidecar} to $CRITICAL after its 2m for" "delivered: $fired" \
    "$(since "$t0")" $ok
}
