# The coverage sweep in the mini-mesh (docs/coverage.md). The naked pod reaches a stand-in Kubernetes API on its
# own loopback (kubeapi.py), which lists the STRICT namespace e2e-server: the PeerAuthentication, httpbin's
# Service and pod (with a sidecar). Scenario 9 then adds a second server workload without a sidecar ("legacy", a
# pod namespace of its own answering plaintext HTTP) and the EndpointSlices of both Services, as the control plane
# would on a rollout; the sweep must report legacy's port as a finding, httpbin's as enforced, and
# MtlsProbeUnprotectedPort must reach the pager. The probes share one configuration: the sidecar probe gets the
# sweep keys too and says once why it does not sweep.
# shellcheck shell=bash

KUBEAPI_PORT=6443
SWEEP_INTERVAL=10s
IP[legacy]=$SUBNET.11

# The sweep's keys, appended to the probe.env both pods get.
sweep_probe_config() {
  printf '%s\n' "# The coverage sweep of the server namespace (the naked probe sweeps; the sidecar probe says why not)." \
    "MTLS_PROBE_SWEEP_NAMESPACES=e2e-server" "MTLS_PROBE_SWEEP_INTERVAL=$SWEEP_INTERVAL" "MTLS_PROBE_SWEEP_RATE=5"
}

# What the naked pod gets from its cluster rather than from the configuration: the API (the stand-in on its own
# loopback, which no sidecar intercepts) and its namespace (the downward API's POD_NAMESPACE).
sweep_naked_env() {
  echo KUBERNETES_MASTER=http://127.0.0.1:$KUBEAPI_PORT KUBERNETES_AUTH_TRYKUBECONFIG=false \
    KUBERNETES_AUTH_TRYSERVICEACCOUNT=false POD_NAMESPACE=mtls-probe
}

# The objects the API serves; with "rollout", also the legacy workload and both Services' EndpointSlices.
kube_objects() {
  local rollout=${1:-}
  cat <<JSON
[
 {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "mtls-probe"}},
 {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}},
 {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "e2e-server", "labels": {"istio-injection": "enabled"}}},
 {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
  "metadata": {"name": "default", "namespace": "e2e-server"}, "spec": {"mtls": {"mode": "STRICT"}}},
 {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "httpbin", "namespace": "e2e-server"},
  "spec": {"selector": {"app": "httpbin"}, "ports": [{"name": "http", "port": 8080, "targetPort": 8080}]}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "httpbin-1", "namespace": "e2e-server",
  "labels": {"app": "httpbin"}, "annotations": {"sidecar.istio.io/status": "{}"}},
  "spec": {"containers": [{"name": "httpbin", "image": "httpbin"}, {"name": "istio-proxy", "image": "proxyv2"}]}}
JSON
  [[ $rollout == rollout ]] && cat <<JSON
 ,{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "httpbin-e2e",
  "namespace": "e2e-server", "labels": {"kubernetes.io/service-name": "httpbin"}}, "addressType": "IPv4",
  "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}], "endpoints": [{"addresses": ["${IP[server]}"],
  "conditions": {"ready": true}, "targetRef": {"kind": "Pod", "name": "httpbin-1", "namespace": "e2e-server"}}]}
 ,{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "legacy", "namespace": "e2e-server"},
  "spec": {"selector": {"app": "legacy"}, "ports": [{"name": "http", "port": 8080, "targetPort": 8080}]}}
 ,{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "legacy-1", "namespace": "e2e-server",
  "labels": {"app": "legacy", "sidecar.istio.io/inject": "false"}},
  "spec": {"containers": [{"name": "legacy", "image": "httpbin"}]}}
 ,{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "legacy-e2e",
  "namespace": "e2e-server", "labels": {"kubernetes.io/service-name": "legacy"}}, "addressType": "IPv4",
  "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}], "endpoints": [{"addresses": ["${IP[legacy]}"],
  "conditions": {"ready": true}, "targetRef": {"kind": "Pod", "name": "legacy-1", "namespace": "e2e-server"}}]}
JSON
  echo "]"
}

# Replaces the served objects at once (the API reads the file whole, after the rename).
serve_objects() {
  kube_objects "$@" >"$WORK/kube-objects.json.new" && mv "$WORK/kube-objects.json.new" "$WORK/kube-objects.json"
}

# Before the naked probe starts: the stand-in API in its namespace.
sweep_setup() {
  serve_objects
  start kubeapi "$(ns naked)" "$PY" "$HERE/kubeapi.py" "$KUBEAPI_PORT" "$WORK/kube-objects.json"
  wait_until 10 "the stand-in Kubernetes API" in_ns naked "$PY" "$HERE/q.py" port 127.0.0.1 "$KUBEAPI_PORT"
}

scenario_sweep() {
  local t0 ok=1 legacy httpbin fired=no at httpbin_alert=no logged=no sidecar=no
  t0=$(now)
  add_pod legacy
  start legacy "$(ns legacy)" /usr/bin/gunicorn --bind "${IP[legacy]}:8080" --workers 1 httpbin:app
  wait_until 30 "the legacy workload on :8080" in_ns naked "$PY" "$HERE/q.py" port "${IP[legacy]}" 8080
  serve_objects rollout
  wait_until 60 "the sweep's finding on legacy" \
    prom_is 'max(mtls_probe_sweep_port_state{service="legacy",state="finding"})' 1
  wait_until 30 "httpbin's port enforced" prom_is 'max(mtls_probe_sweep_port_state{service="httpbin",state="enforced"})' 1
  legacy=$(pq label 'mtls_probe_sweep_port_state{service="legacy"} == 1' state)
  httpbin=$(pq label 'mtls_probe_sweep_port_state{service="httpbin"} == 1' state)
  if wait_until 30 "MtlsProbeUnprotectedPort at $CRITICAL" \
    notified MtlsProbeUnprotectedPort firing "$t0" receiver="$CRITICAL" target_namespace=e2e-server service=legacy; then
    at=$(notified MtlsProbeUnprotectedPort firing "$t0" receiver="$CRITICAL" service=legacy)
    fired="yes, $(seconds_between "$t0" "$at")s after the workload appeared"
  fi
  notified MtlsProbeUnprotectedPort firing "$t0" service=httpbin >/dev/null && httpbin_alert=yes
  grep -q "coverage: port e2e-server/legacy:8080 accepts plaintext although it is expected STRICT .*pod legacy-1" \
    "$LOGS/probe-naked.log" && logged=yes
  grep -q "coverage sweep configured but the sweep sends plaintext, which only the naked role can" \
    "$LOGS/probe-sidecar.log" && sidecar=yes
  [[ $legacy == finding && $httpbin == enforced && $fired == yes* && $httpbin_alert == no && $logged == yes &&
    $sidecar == yes ]] && ok=0
  record "9 coverage sweep" "a workload without a sidecar in the STRICT namespace: finding, httpbin enforced; MtlsProbeUnprotectedPort to $CRITICAL; the pod in the log; the sidecar probe does not sweep" \
    "legacy $legacy, httpbin $httpbin; delivered: $fired; alert for httpbin: $httpbin_alert; logged: $logged; sidecar probe off: $sidecar" \
    "$(since "$t0")" $ok
}
