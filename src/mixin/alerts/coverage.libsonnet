// The coverage sweep's alert (docs/coverage.md): a service port expected STRICT by policy accepted plaintext from the
// naked probe's sweep. Per (cluster, namespace of the probe, target_namespace, service, port): never per pod.
{
  local c = $._config,
  local q = (import '../lib/promql.libsonnet').new(c),
  local a = (import '../lib/alert.libsonnet').new(c),
  local port = [['target_namespace', '$labels.target_namespace'], ['service', '$labels.service'],
                ['port', '$labels.port']],

  prometheusAlerts+:: {
    groups+: [
      {
        name: 'mtls-probe.coverage.alerts',
        rules: [
          // The state is computed by the probe from fresh checks only (at most three sweep intervals old), so a
          // stalled sweep lets the alert resolve into MtlsProbeDown's territory rather than keep a stale finding.
          a.alert('MtlsProbeUnprotectedPort', q.fill(|||
            max %(by)s (%(state)s) == 1
          |||, {
            by: q.by(['namespace', 'target_namespace', 'service', 'port']),
            state: q.probe('mtls_probe_sweep_port_state', 'state="finding"'),
          }),
                  'A service port expected to be STRICT accepts plaintext: mutual TLS does not protect it.',
                  'Port {{ $labels.port }} of Service {{ $labels.target_namespace }}/{{ $labels.service }} is STRICT '
                  + 'by its PeerAuthentication, but %s of its %s checked endpoint(s) answered plaintext from the '
                  % [a.value('mtls_probe_sweep_endpoints_plaintext', port),
                     a.value('mtls_probe_sweep_endpoints_checked', port)]
                  + 'coverage sweep of the naked probe in %s: no sidecar, a port excluded from capture or a ' % a.where
                  + 'port-level exception lets plaintext reach the application. The probe\'s /api/coverage names '
                  + 'the pods and why.'),
        ],
      },
    ],
  },
}
