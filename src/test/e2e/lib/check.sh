# The one-shot check (`java -jar quarkus-run.jar check`) in the mini-mesh: the same jar and the same configuration
# as the service pods (probe.env, the pod's downward-API files), run once in the naked and in the sidecar pod while
# the policy is STRICT and again while it is PERMISSIVE. Its exit code is the result; its JUnit report (kept with
# the logs, target/e2e/logs/check-*.xml) is read too.
# Hooked into run_scenarios: check_now after scenario 1 and after scenario 2, then scenario_check records the row.
# shellcheck shell=bash

declare -A CHECK_EXIT=() CHECK_REPORT=()
CHECK_SECONDS=0

# check_in_pod POD LABEL: the check in POD's network namespace and working directory, as start_probe runs the
# service there; bounded by `timeout` (the check ends by itself within its attempts' timeouts).
check_in_pod() {
  local pod=$1 name=check-$2-$1 dir=$WORK/pods/$1
  # shellcheck disable=SC2046
  ip netns exec "$(ns "$pod")" timeout 90 env -i -C "$dir" PATH=/usr/bin:/bin HOME="$dir" \
    $(grep -v '^#' "$WORK/probe.env") "$JAVA" -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$JAR" \
    check --attempts 3 --format junit --output "$LOGS/$name.xml" >"$LOGS/$name.log" 2>&1
  echo $? >"$WORK/$name.exit"
}

# "failures=N skipped=N types=T,..." of a JUnit report, or "unreadable".
junit_summary() {
  "$PY" - "$1" <<'PY' 2>/dev/null || echo unreadable
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
types = sorted({f.get("type") for f in root.iter("failure")})
print("failures=%s skipped=%s types=%s" % (root.get("failures"), root.get("skipped"), ",".join(types) or "-"))
PY
}

# check_now LABEL: both pods at once, under the policy in force now.
check_now() {
  local t0 pod naked sidecar
  t0=$(now)
  check_in_pod naked "$1" &
  naked=$!
  check_in_pod sidecar "$1" &
  sidecar=$!
  wait "$naked" "$sidecar" # only these two: the mesh's own processes are background jobs of this shell too
  for pod in naked sidecar; do
    CHECK_EXIT[$1 $pod]=$(cat "$WORK/check-$1-$pod.exit" 2>/dev/null || echo none)
    CHECK_REPORT[$1 $pod]=$(junit_summary "$LOGS/check-$1-$pod.xml")
  done
  CHECK_SECONDS=$(awk -v a="$CHECK_SECONDS" -v b="$(since "$t0")" 'BEGIN { printf "%.1f", a + b }')
  log "check under $1: naked exit ${CHECK_EXIT[$1 naked]} (${CHECK_REPORT[$1 naked]}), sidecar exit ${CHECK_EXIT[$1 sidecar]} (${CHECK_REPORT[$1 sidecar]})"
}

scenario_check() {
  local ok=1
  [[ ${CHECK_EXIT[STRICT naked]:-} == 0 && ${CHECK_EXIT[STRICT sidecar]:-} == 0 &&
    ${CHECK_EXIT[PERMISSIVE naked]:-} == 1 && ${CHECK_EXIT[PERMISSIVE sidecar]:-} == 0 &&
    ${CHECK_REPORT[STRICT naked]:-} == "failures=0 skipped=0 types=-" &&
    ${CHECK_REPORT[PERMISSIVE naked]:-} == "failures=1 skipped=0 types=plaintext" &&
    ${CHECK_REPORT[PERMISSIVE sidecar]:-} == "failures=0 skipped=0 types=-" ]] && ok=0
  record "8 one-shot check" "STRICT: naked exit 0, sidecar exit 0; PERMISSIVE: naked exit 1 (JUnit failure plaintext), sidecar exit 0" \
    "STRICT: naked exit ${CHECK_EXIT[STRICT naked]:-none}, sidecar exit ${CHECK_EXIT[STRICT sidecar]:-none}; PERMISSIVE: naked exit ${CHECK_EXIT[PERMISSIVE naked]:-none} (${CHECK_REPORT[PERMISSIVE naked]:-none}), sidecar exit ${CHECK_EXIT[PERMISSIVE sidecar]:-none}" \
    "$CHECK_SECONDS" $ok
}
