// Alerts on Istio's telemetry joined with the proof (rules/istio.libsonnet). Each carries `namespace`: the
// namespace of the workload concerned, so Alertmanager groups it with the probe alerts of that namespace.
{
  local c = $._config,
  local q = (import '../lib/promql.libsonnet').new(c),
  local a = (import '../lib/alert.libsonnet').new(c),
  local toNamespace(expr) = 'label_replace(%s, "namespace", "$1", "destination_workload_namespace", "(.*)")' % expr,

  prometheusAlerts+:: {
    groups+: [
      {
        name: 'mtls-probe.istio.alerts',
        rules: [
          // A STRICT sidecar refuses plaintext before any request exists, so Istio can never report one received
          // in plaintext: if it does, the workload is not enforcing what its policy says.
          a.alert('MtlsProbeStrictWorkloadReceivedPlaintext', q.fill(|||
            sum %(by)s (
              %(plaintext)s
            ) > 0
            and %(on)s
            label_replace(mtls_probe:istio_workload_strict == 1, "namespace", "$1", "destination_workload_namespace", "(.*)")
          |||, {
            by: q.by(['namespace', 'destination_workload', 'source_workload_namespace', 'source_workload']),
            on: q.on(['namespace', 'destination_workload']),
            plaintext: toNamespace(q.istioInbound('connection_security_policy="none"')),
          }),
                  'Istio reports plaintext received by a workload whose PeerAuthentication is STRICT.',
                  'Istio reports {{ $value | humanize }} plaintext requests or connections per second received by '
                  + 'workload {{ $labels.destination_workload }} in %s from {{ $labels.source_workload }} ' % a.where
                  + '(namespace {{ $labels.source_workload_namespace }}), while the probes have read its '
                  + 'PeerAuthentication as STRICT for the last %s. A STRICT sidecar cannot accept plaintext: '
                  % a.human(c.istioStrictSettledWindow)
                  + 'this workload does not enforce the policy in force.'),

          // Proof exists only where a pair runs: Istio's mTLS counters say a namespace is in use, not that it
          // refuses plaintext.
          a.alert('MtlsProbeNamespaceUnproven', q.fill(|||
            sum %(by)s (
              %(mtls)s
            ) > 0
            unless %(on)s
            mtls_probe:namespace_probed
          |||, {
            by: q.by(['namespace']),
            on: q.on(['namespace']),
            mtls: toNamespace(q.istioInbound(std.join(', ', ['connection_security_policy="mutual_tls"']
              + (if c.unprovenIgnoredNamespaces == '' then []
                 else ['destination_workload_namespace!~"%s"' % c.unprovenIgnoredNamespaces])))),
          }),
                  'A namespace has Istio mTLS traffic but no probe pair proves that it refuses plaintext.',
                  'Istio reports {{ $value | humanize }} mutual-TLS requests or connections per second into '
                  + '%s, but no mtls-probe pair runs there or targets it: nothing proves that ' % a.where
                  + 'its workloads refuse plaintext.'),
        ],
      },
    ],
  },
}
