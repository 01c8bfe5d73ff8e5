# Shared helpers of the e2e harness: logging, bounded waits, processes started by PID, the result table.
# shellcheck shell=bash

log() { printf '%s e2e: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "HARNESS FAILURE: $*"; dump_logs; exit 2; }
# The last lines of every component's log, for a CI run whose files are gone afterwards.
dump_logs() {
  local f
  for f in "$LOGS"/*.log; do
    [[ -s $f ]] || continue
    echo "----- $(basename "$f") (last 15 lines)"
    tail -n 15 "$f"
  done >&2
}
now() { date +%s.%N | cut -c1-14; }
# seconds since $1, one decimal
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# wait_until SECONDS WHAT CMD...: poll CMD every 0.2 s until it succeeds; never waits longer than asked.
wait_until() {
  local limit=$1 what=$2 start
  shift 2
  start=$(now)
  while ! "$@" >/dev/null 2>&1; do
    if awk -v s="$start" -v n="$(now)" -v l="$limit" 'BEGIN { exit !(n - s >= l) }'; then
      log "gave up after ${limit}s waiting for: $what"
      return 1
    fi
    sleep 0.2
  done
}

# start NAME NS CMD...: run CMD in network namespace NS in the background, log to $LOGS/NAME.log.
# `ip netns exec` and `env` exec in place, so $! is the process itself (for HAProxy -W: the master).
start() {
  local name=$1 ns=$2
  shift 2
  ip netns exec "$ns" "$@" >>"$LOGS/$name.log" 2>&1 &
  PID[$name]=$!
  echo "${PID[$name]} $name $(start_time "${PID[$name]}")" >>"$WORK/pids"
}

# A process's start time (clock ticks since boot): with the PID, it names that process even if the
# PID is later reused by another one.
start_time() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }

# stop NAME [SIGNAL]: signal the process by PID and wait up to 5 s for it to exit, then SIGKILL.
stop() {
  local name=$1 sig=${2:-TERM} pid=${PID[$1]:-}
  [[ -n $pid ]] || return 0
  disown "$pid" 2>/dev/null # no "Killed" notice from the shell; it still reaps the process
  kill -"$sig" "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  unset "PID[$name]"
}

# stop_all: TERM to every process at once, then stop each (bounded by 5 s each, usually instant).
stop_all() {
  local name
  for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2>/dev/null; done
  for name in "${!PID[@]}"; do stop "$name"; done
}

declare -A PID=()
ROWS=()
FAILED=0

# record SCENARIO EXPECTED OBSERVED SECONDS OK(0/1)
record() {
  local verdict=PASS
  if [[ $5 != 0 ]]; then verdict=FAIL; FAILED=$((FAILED + 1)); fi
  ROWS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"$verdict")
  log "scenario $1: $verdict (expected: $2; observed: $3; ${4}s)"
}

print_table() {
  {
    printf 'scenario\texpected\tobserved\tseconds\tresult\n'
    printf '%s\n' "${ROWS[@]}" | sort -t $'\t' -k1,1n
  } | awk -F'\t' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; f = NF }
      END { for (r = 1; r <= n; r++) { line = ""; for (i = 1; i <= f; i++) line = line sprintf(i < f ? "%-" w[i] "s  " : "%s", cell[r, i]); print line } }'
}
