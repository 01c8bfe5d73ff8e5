#!/usr/bin/env bash
# The benchmark: mtls-probe side by side with blackbox_exporter on this machine, loopback only.
#   bash src/bench/run.sh                      full run: 3 repeats of every phase, about 75 minutes
#   bash src/bench/run.sh --quick              one repeat, short windows, about 12 minutes (development)
#   bash src/bench/run.sh --phases scale,pages --reps 2 --tuned-opts "-Xmx40m ..."   parts, other flags
#   bash src/bench/run.sh --phases floor       the same stack with nothing of mtls-probe (builds it first)
# Prints the tables and writes them to target/bench/results.md (raw figures in target/bench/results.json).
# Method and last results: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

case "${1:-}" in
  -h|--help) sed -n '2,8p' "$0"; /usr/bin/python3 src/bench/bench.py --help; exit 0 ;;
esac
# Bad arguments fail here, before minutes of building.
/usr/bin/python3 src/bench/bench.py --check "$@"

if ! command -v prometheus-blackbox-exporter >/dev/null 2>&1; then
  echo "run.sh: prometheus-blackbox-exporter is missing: installing it with apt-get (Debian package)"
  if [ "$(id -u)" != 0 ]; then
    echo "run.sh: installing packages needs root; run: apt-get install -y --no-install-recommends prometheus-blackbox-exporter" >&2
    exit 1
  fi
  apt-get install -y --no-install-recommends prometheus-blackbox-exporter \
    || { apt-get update -qq && apt-get install -y --no-install-recommends prometheus-blackbox-exporter; }
fi
for tool in java javac jcmd /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: $tool is required (JDK 17 and Debian's python3)" >&2; exit 1; }
done

jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]; then
  echo "run.sh: building the jar (./mvnw -B package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi

mkdir -p target/bench/classes
javac -d target/bench/classes src/bench/BenchTool.java

# bench.py stops every process it started; this trap covers the case where it is itself killed.
/usr/bin/python3 src/bench/bench.py "$@" &
bench=$!
trap 'kill "$bench" 2>/dev/null; wait "$bench" 2>/dev/null' INT TERM HUP
wait "$bench"
