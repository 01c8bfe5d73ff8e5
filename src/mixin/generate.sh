#!/usr/bin/env bash
# Renders the mixin into the files the repository ships:
#   k8s/monitoring/prometheusrule.yaml   the PrometheusRule (prometheus-operator)
#   k8s/monitoring/mtls-probe.rules.yaml the same groups as a plain Prometheus rule file
#   grafana/*.json                       one file per dashboard
#   grafana/kustomization.yaml           their ConfigMaps
# Usage: src/mixin/generate.sh [OUT]   OUT defaults to the repository root (a test renders into target/ and compares).
# Needs Debian's jsonnet (apt-get install -y jsonnet).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$(cd "$HERE/../.." && pwd)}
command -v jsonnet >/dev/null || { echo "jsonnet not found: apt-get install -y jsonnet" >&2; exit 1; }

mkdir -p "$OUT/k8s/monitoring" "$OUT/grafana"
jsonnet -S -m "$OUT/k8s/monitoring" "$HERE/build/rules.jsonnet" >/dev/null
# Dashboards the mixin no longer has must not linger.
rm -f "$OUT"/grafana/*.json
jsonnet -m "$OUT/grafana" "$HERE/build/dashboards.jsonnet" >/dev/null
jsonnet -S "$HERE/build/grafana-kustomization.jsonnet" >"$OUT/grafana/kustomization.yaml"
