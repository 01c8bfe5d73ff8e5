// Istio's telemetry joined with the proof: who still sends plaintext, to which workloads, and where no probe pair
// proves enforcement. Every query reads the recording rules of rules/istio.libsonnet.
{
  local c = $._config,
  local g = (import 'lib.libsonnet').new(c),
  local q = (import '../lib/promql.libsonnet').new(c),
  local inScope = 'destination_workload_namespace=~"$namespace"',
  local inbound(extra) = g.sel(q.istioInbound(), [inScope] + extra, probe=false),
  local strict = g.sel('mtls_probe:istio_workload_strict', [inScope], probe=false),
  local destination = ['destination_workload_namespace', 'destination_workload'],
  local source = ['source_workload_namespace', 'source_workload'],
  local ignored = if c.unprovenIgnoredNamespaces == '' then []
  else ['destination_workload_namespace!~"%s"' % c.unprovenIgnoredNamespaces],

  grafanaDashboards+:: {
    'mtls-probe-istio.json': g.dashboard(
      c.dashboards.istioUid,
      'mtls-probe / Istio traffic',
      "Istio's own telemetry (connection_security_policy of every request and TCP connection a sidecar receives) "
      + 'joined with the probes: plaintext that STRICT should make impossible, the callers a switch to STRICT would '
      + 'cut off, and namespaces no probe pair proves.',
      [g.queryVariable('namespace', 'Destination namespace',
                       'label_values(%s, destination_workload_namespace)' % g.sel(q.istioInbound(), probe=false))],
      [
        g.table('Plaintext received by STRICT workloads',
                'Requests or connections per second that Istio saw arrive in plaintext at a workload the probes '
                + 'read as STRICT (for at least %s). A STRICT sidecar refuses plaintext: every row is '
                % c.istioStrictSettledWindow + 'MtlsProbeStrictWorkloadReceivedPlaintext.',
                g.grid(0, 0, 12, 8),
                [g.target('sum %s (\n  %s\n) > 0\nand %s\n(%s == 1)' % [
                  g.by(destination + source), inbound(['connection_security_policy="none"']), g.on(destination), strict,
                ], instant=true, format='table')],
                destination + source + ['Value'], unit='ops', hideValue=false) + {
          fieldConfig+: { defaults+: { links: [g.workloadLink] } },
        },

        g.table('Ready for STRICT? Plaintext callers',
                'Who still calls in plaintext, by source workload and namespace, the workloads not proven STRICT '
                + '(PERMISSIVE, DISABLE, or no probe knows): the callers a switch to STRICT would cut off. '
                + 'source_workload "unknown" is a caller without a sidecar. A workload absent here receives no '
                + 'plaintext: ready for STRICT.',
                g.grid(12, 0, 12, 8),
                [g.target(g.sel(q.istioCallers(), [inScope], probe=false), instant=true, format='table')],
                destination + source + ['Value'], unit='ops', hideValue=false) + {
          fieldConfig+: { defaults+: { links: [g.workloadLink] } },
        },

        g.table('Unproven namespaces',
                'Namespaces with mutual-TLS traffic (requests or connections per second) where no probe pair runs '
                + 'or points its targets: Istio says they are in use, nothing proves they refuse plaintext '
                + '(MtlsProbeNamespaceUnproven).',
                g.grid(0, 8, 8, 8),
                [g.target(('sum %s (\n  %s\n) > 0\nunless %s\n'
                           + 'label_replace(%s, "destination_workload_namespace", "$1", "namespace", "(.*)")') % [
                  g.by(['destination_workload_namespace']),
                  inbound(['connection_security_policy="mutual_tls"'] + ignored),
                  g.on(['destination_workload_namespace']),
                  g.sel('mtls_probe:namespace_probed', probe=false),
                ], instant=true, format='table')],
                ['destination_workload_namespace', 'Value'], unit='ops', hideValue=false),

        g.table('Probed workloads',
                'Workloads the sidecar probes call (as Istio reports it), and whether the probes read their '
                + 'PeerAuthentication as STRICT for at least %s.' % c.istioStrictSettledWindow,
                g.grid(8, 8, 8, 8),
                [g.target(strict, instant=true, format='table')],
                destination + ['Value'], hideValue=false) + {
          fieldConfig+: { defaults+: {
            links: [g.workloadLink],
            mappings: [{ type: 'value', options: {
              '0': { text: 'not proven STRICT', color: 'orange', index: 0 },
              '1': { text: 'STRICT', color: 'green', index: 1 },
            } }],
          } },
        },

        g.table('Firing Istio-joined alerts',
                'MtlsProbeStrictWorkloadReceivedPlaintext and MtlsProbeNamespaceUnproven firing now.',
                g.grid(16, 8, 8, 8),
                [g.target('max %s (%s)' % [
                  g.by(['alertname', 'severity', 'namespace', 'destination_workload'] + source),
                  g.sel('ALERTS', ['alertname=~"MtlsProbeStrictWorkloadReceivedPlaintext|MtlsProbeNamespaceUnproven"',
                                   'alertstate="firing"', 'namespace=~"$namespace"'], probe=false),
                ], instant=true, format='table')],
                ['alertname', 'severity', 'namespace', 'destination_workload'] + source),

        g.timeseries('Inbound traffic by connection security',
                     'Requests and connections per second received by the workloads of the selected namespaces, by '
                     + "Istio's connection_security_policy: mutual_tls or none (plaintext).",
                     g.grid(0, 16, 24, 8),
                     [g.target('sum %s (%s)' % [g.by(['connection_security_policy']), inbound([])],
                               legend=g.legend('{{connection_security_policy}}'))], 'ops'),
      ],
      g.links('mtls-probe / mTLS enforcement', c.dashboards.overviewUid),
    ),
  },
}
