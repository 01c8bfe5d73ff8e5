// Istio's own telemetry joined with the proof. Istio reports every request and TCP connection a sidecar receives
// (reporter="destination") with the security of the connection it came on (connection_security_policy:
// mutual_tls or none); the probes know each target's effective PeerAuthentication mode and, through Istio's view of
// the sidecar probe's own calls, which workloads those targets are.
{
  local c = $._config,
  local q = (import '../lib/promql.libsonnet').new(c),
  local pair = ['source_workload_namespace', 'source_workload', 'destination_workload_namespace',
                'destination_workload'],
  local destination = ['destination_workload_namespace', 'destination_workload'],
  local attempt = q.probe('mtls_probe_last_attempt_timestamp_seconds'),
  local mode = q.probe('mtls_probe_peer_authentication_mode'),

  // Probe namespaces where both roles report: a pair runs there.
  local pairs = 'count %(by)s (group %(byRole)s (%(attempt)s)) == 2' % {
    by: q.by(['namespace']),
    byRole: q.by(['namespace', 'role']),
    attempt: attempt,
  },
  // Workloads the sidecar probe of a namespace called within the window, with that namespace as `namespace`.
  local calledByProbes = q.fill(|||
    label_replace(
      group %(by)s (
        %(inbound)s > 0
      ),
      "namespace", "$1", "source_workload_namespace", "(.*)"
    )
  |||, {
    by: q.by(['source_workload_namespace'] + destination),
    inbound: q.istioInbound('source_workload=~"%s"' % c.probeWorkloadRegex),
  }),

  prometheusRules+:: {
    groups+: [
      {
        name: 'mtls-probe.istio.records',
        rules: [
          {
            // Requests (HTTP, gRPC) and connections (TCP) per second received by each workload from each source,
            // by the security of the connection. Requests carry response_code and TCP connections do not, so the
            // two never share a label set in `or`.
            record: 'mtls_probe:istio_inbound_calls:rate' + c.istioRateWindow,
            expr: q.fill(|||
              sum %(by)s (
                rate(%(requests)s[%(w)s])
                or
                rate(%(connections)s[%(w)s])
              )
            |||, {
              by: q.by(pair + ['connection_security_policy']),
              requests: q.istio('istio_requests_total', 'reporter="destination"'),
              connections: q.istio('istio_tcp_connections_opened_total', 'reporter="destination"'),
              w: c.istioRateWindow,
            }),
          },
          {
            // Per workload the sidecar probes call: 1 when every target the probes of that namespace have in the
            // workload's namespace has been STRICT for the whole settling window (so STRICT for this workload,
            // whichever target it is); 0 otherwise, or when no probe knows the mode (Kubernetes features off).
            record: 'mtls_probe:istio_workload_strict',
            expr: q.fill(|||
              min %(byDestination)s (
                  %(called)s
                * %(onProbe)s group_left ()
                  min %(byProbe)s (
                    label_replace(
                      min_over_time(%(strict)s[%(settled)s]),
                      "destination_workload_namespace", "$1", "target_namespace", "(.*)"
                    )
                  )
              )
              or %(onDestination)s
                0 * group %(byDestination)s (%(probeCalls)s > 0)
            |||, {
              byDestination: q.by(destination),
              onDestination: q.on(destination),
              onProbe: q.on(['namespace', 'destination_workload_namespace']),
              byProbe: q.by(['namespace', 'destination_workload_namespace']),
              called: q.indent(calledByProbes, 4),
              probeCalls: q.istioInbound('source_workload=~"%s"' % c.probeWorkloadRegex),
              strict: q.probe('mtls_probe_peer_authentication_mode', 'mode="STRICT"'),
              settled: c.istioStrictSettledWindow,
            }),
          },
          {
            // "Ready for STRICT?": who still calls in plaintext, by source workload and namespace, the workloads
            // not proven STRICT. Every row is a caller that STRICT would cut off (source_workload "unknown": a
            // caller without a sidecar).
            record: 'mtls_probe:istio_plaintext_callers:rate' + c.istioRateWindow,
            expr: q.fill(|||
              (
                sum %(by)s (%(plaintext)s) > 0
              )
              unless %(on)s
              (mtls_probe:istio_workload_strict == 1)
            |||, {
              by: q.by(pair),
              on: q.on(destination),
              plaintext: q.istioInbound('connection_security_policy="none"'),
            }),
          },
          {
            // Namespaces whose enforcement a pair proves: the target namespaces of a running pair (its
            // target_namespace label) and, for a pair that does not read the Kubernetes API, its own namespace
            // (the overlays place the pair next to its target).
            record: 'mtls_probe:namespace_probed',
            expr: q.fill(|||
              group %(by)s (
                (
                  %(pairs)s
                  unless %(on)s %(mode)s
                )
                or
                label_replace(
                  group %(byTarget)s (%(mode)s and %(on)s (%(pairs)s)),
                  "namespace", "$1", "target_namespace", "(.*)"
                )
              )
            |||, {
              by: q.by(['namespace']),
              on: q.on(['namespace']),
              byTarget: q.by(['target_namespace']),
              pairs: pairs,
              mode: mode,
            }),
          },
        ],
      },
    ],
  },
}
