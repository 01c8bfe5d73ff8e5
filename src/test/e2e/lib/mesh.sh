# The mini-mesh: network namespaces joined by a bridge that lives in its own namespace (nothing is
# created in the host's namespace), the httpbin "pod" with its inbound sidecar, the probe "pods" and
# the monitoring namespace. Every port below is inside a namespace of this run, so fixed numbers
# cannot collide with anything else on the machine.
# shellcheck shell=bash

SUBNET=10.77.0
declare -A IP=([server]=$SUBNET.10 [sidecar]=$SUBNET.20 [naked]=$SUBNET.30 [monitoring]=$SUBNET.40)
TRUST_DOMAIN=cluster.local
SERVER_ID=spiffe://$TRUST_DOMAIN/ns/e2e-server/sa/httpbin
CLIENT_ID=spiffe://$TRUST_DOMAIN/ns/e2e-client/sa/mtls-probe
OTHER_ID=spiffe://$TRUST_DOMAIN/ns/e2e-client/sa/someone-else
SERVICE=httpbin.e2e-server.svc.cluster.local
HTTPBIN_PORT=8000 # gunicorn, loopback of the server namespace
PROXY_UID=1337    # Istio's proxy uid

ns() { echo "$NS_PREFIX-$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

create_namespaces() {
  local bridge pod
  bridge=$(ns bridge)
  ip netns add "$bridge"
  NAMESPACES+=("$bridge")
  ip -n "$bridge" link set lo up
  ip -n "$bridge" link add br0 type bridge
  ip -n "$bridge" link set br0 up
  [[ -d /etc/netns ]] || { mkdir /etc/netns && CREATED_ETC_NETNS=1; }
  for pod in server sidecar naked monitoring; do
    add_pod "$pod"
  done
}

# add_pod NAME: a "pod" namespace on the bridge with address ${IP[NAME]} (the bridge must exist).
add_pod() {
  local pod=$1 bridge n
  bridge=$(ns bridge)
  n=$(ns "$pod")
  ip netns add "$n"
  NAMESPACES+=("$n")
  ip -n "$bridge" link add "v-$pod" type veth peer name eth0 netns "$n"
  ip -n "$bridge" link set "v-$pod" master br0 up
  ip -n "$n" link set lo up
  ip -n "$n" addr add "${IP[$pod]}/24" dev eth0
  ip -n "$n" link set eth0 up
  # `ip netns exec` bind-mounts these over /etc: the cluster DNS of this mesh. No route leaves the
  # namespaces, and unknown names are asked of the namespace's own loopback, which refuses at once.
  mkdir -p "/etc/netns/$n"
  printf '%s\n' "127.0.0.1 localhost" "::1 localhost ip6-localhost" "127.0.1.1 $(cat /proc/sys/kernel/hostname)" \
    "${IP[server]} $SERVICE httpbin.e2e-server httpbin" >"/etc/netns/$n/hosts"
  printf '%s\n' "nameserver 127.0.0.1" "options timeout:1 attempts:1" >"/etc/netns/$n/resolv.conf"
}

# istio-init's rules: every outbound TCP connection of the pod goes to the sidecar's port 15001,
# except the sidecar's own (uid 1337) and loopback (the probe's readiness poll of 127.0.0.1:15021).
capture_outbound() {
  local n
  n=$(ns sidecar)
  ip netns exec "$n" iptables -t nat -N MESH_OUTPUT
  ip netns exec "$n" iptables -t nat -A OUTPUT -p tcp -j MESH_OUTPUT
  ip netns exec "$n" iptables -t nat -A MESH_OUTPUT -m owner --uid-owner "$PROXY_UID" -j RETURN
  ip netns exec "$n" iptables -t nat -A MESH_OUTPUT -o lo -j RETURN
  ip netns exec "$n" iptables -t nat -A MESH_OUTPUT -d 127.0.0.1/32 -j RETURN
  ip netns exec "$n" iptables -t nat -A MESH_OUTPUT -p tcp -j REDIRECT --to-ports 15001
}

haproxy_env() {
  echo env E2E_HOME="$HERE" E2E_RUN="$WORK" E2E_RUN_ID="$NS_PREFIX" HTTPBIN_PORT="$HTTPBIN_PORT"
}

# set_policy MODE ALLOWED_ID...: the server sidecar's PeerAuthentication mode and AuthorizationPolicy.
set_policy() {
  local mode=$1
  shift
  printf '%s\n' "global" "  setenv MESH_MODE $mode" "  setenv MESH_SELF $SERVER_ID" >"$WORK/policy.cfg"
  printf '%s\n' "$@" >"$WORK/allow.lst"
  # shellcheck disable=SC2046
  $(haproxy_env) haproxy -c -q -f "$WORK/policy.cfg" -f "$HERE/haproxy/server-sidecar.cfg"
}

# Hot reload of the server sidecar with the policy files as they are now.
reload_server_sidecar() { kill -USR2 "${PID[server-sidecar]}"; }

start_server_pod() {
  start httpbin "$(ns server)" /usr/bin/gunicorn --bind "127.0.0.1:$HTTPBIN_PORT" --workers 1 httpbin:app
  # shellcheck disable=SC2046
  start server-sidecar "$(ns server)" $(haproxy_env) haproxy -W -f "$WORK/policy.cfg" \
    -f "$HERE/haproxy/server-sidecar.cfg"
  wait_until 30 "httpbin on the server's loopback" in_ns server "$PY" "$HERE/q.py" http "http://127.0.0.1:$HTTPBIN_PORT/get" &&
    wait_until 10 "the server sidecar on :8080" in_ns naked "$PY" "$HERE/q.py" port "${IP[server]}" 8080
}

stop_server_pod() {
  stop server-sidecar
  stop httpbin
}

start_client_sidecar() {
  capture_outbound
  # shellcheck disable=SC2046
  start client-sidecar "$(ns sidecar)" $(haproxy_env) haproxy -W -f "$HERE/haproxy/client-sidecar.cfg"
  wait_until 10 "the client sidecar's readiness endpoint" \
    in_ns sidecar "$PY" "$HERE/q.py" http http://127.0.0.1:15021/healthz/ready
}

# A probe "pod": POD_DIR holds its downward-API files (podinfo/annotations, podinfo/labels); the probe
# runs with that directory as its working directory, which is this harness's stand-in for the pod's
# volume mount. Everything else comes from the one probe.env both probes share.
# start_probe NAME NAMESPACE POD_DIR [VAR=VALUE...]
start_probe() {
  local name=$1 n=$2 dir=$3
  shift 3
  # shellcheck disable=SC2046
  start "$name" "$(ns "$n")" env -i -C "$dir" PATH=/usr/bin:/bin HOME="$dir" $(grep -v '^#' "$WORK/probe.env") "$@" \
    "$JAVA" -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$JAR"
}

# pod_dir NAME ANNOTATIONS LABELS: a downward-API directory as the kubelet writes it.
pod_dir() {
  local dir=$WORK/pods/$1
  mkdir -p "$dir/podinfo"
  printf '%b' "$2" >"$dir/podinfo/annotations"
  printf '%b' "$3" >"$dir/podinfo/labels"
  echo "$dir"
}
