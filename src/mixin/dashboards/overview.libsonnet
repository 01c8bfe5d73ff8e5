// The on-call overview: is mTLS enforced, per namespace and target, as the probe pair proves it.
{
  local c = $._config,
  local g = (import 'lib.libsonnet').new(c),
  local q = (import '../lib/promql.libsonnet').new(c),
  local scope = ['namespace=~"$namespace"', 'target=~"$target"'],
  local probe(metric, extra=[]) = g.sel(metric, scope + extra),

  grafanaDashboards+:: {
    'mtls-probe.json': g.dashboard(
      c.dashboards.overviewUid,
      'mtls-probe / mTLS enforcement',
      'Whether the Istio mesh enforces mutual TLS, as proven continuously by the mtls-probe pair (sidecar and naked).',
      [
        g.queryVariable('namespace', 'Namespace', 'label_values(%s, namespace)' % g.sel('mtls_probe_role_info')),
        g.queryVariable('target', 'Target', 'label_values(%s, target)'
                                            % g.sel('mtls_probe_verdict', ['namespace=~"$namespace"'])),
      ],
      [
        g.panel('stat', 'Enforcement verdict',
                "mtls_probe:enforced per namespace and target: ENFORCED while the naked probe's plaintext call is "
                + "reset and the sidecar probe's call succeeds over mTLS, both from fresh attempts.",
                g.grid(0, 0, 8, 7),
                [g.target(g.sel('mtls_probe:enforced', scope, probe=false), instant=true,
                          legend=g.legend('{{namespace}} / {{target}}'))], 'none') + {
          fieldConfig+: { defaults+: {
            thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: 1 }] },
            mappings: [{ type: 'value', options: {
              '0': { text: 'NOT ENFORCED', color: 'red', index: 0 },
              '1': { text: 'ENFORCED', color: 'green', index: 1 },
            } }],
          } },
          options: {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: 'background',
            graphMode: 'none',
            textMode: 'value_and_name',
            orientation: 'auto',
          },
        },

        g.table('Verification matrix',
                'Latest outcome and verdict of each probe role (sidecar, naked) for each target.',
                g.grid(8, 0, 16, 7), [
                  g.target('max %s (%s == 1)' % [g.by(['namespace', 'target', 'role', 'outcome']),
                                                 probe('mtls_probe_last_outcome')],
                           instant=true, format='table'),
                  g.target('max %s (%s == 1)' % [g.by(['namespace', 'target', 'role', 'verdict']),
                                                 probe('mtls_probe_verdict')],
                           refId='B', instant=true, format='table'),
                ], ['namespace', 'target', 'role', 'outcome', 'verdict']),

        g.timeseries('Outcomes over time',
                     'Attempts per second by role and outcome; a naked plaintext or accepted line is a security '
                     + 'incident.',
                     g.grid(0, 7, 12, 8),
                     [g.target('sum %s (rate(%s[$__rate_interval]))'
                               % [g.by(['role', 'outcome']), probe('mtls_probe_attempts_total')],
                               legend=g.legend('{{role}} {{outcome}}'))],
                     'ops', legend={ displayMode: 'table', placement: 'right', calcs: ['max'] }) + {
          fieldConfig+: { defaults+: { custom: { drawStyle: 'line', stacking: { mode: 'none' }, fillOpacity: 10 } } },
        },

        g.timeseries('Latency p50 / p95 by role',
                     'Attempt duration (connect to last byte) quantiles per role, from the '
                     + 'mtls_probe_duration_seconds histogram.',
                     g.grid(12, 7, 12, 8), [
                       g.target('histogram_quantile(%s, sum %s (rate(%s[$__rate_interval])))'
                                % [qr[0], g.by(['le', 'role']), probe('mtls_probe_duration_seconds_bucket')],
                                refId=qr[1], legend=g.legend(qr[2] + ' {{role}}'))
                       for qr in [['0.5', 'A', 'p50'], ['0.95', 'B', 'p95']]
                     ], 's'),

        g.table('Identities seen',
                'SPIFFE identities (client and server) on the latest mTLS result of each role and target.',
                g.grid(0, 15, 12, 6),
                [g.target('max %s (%s)' % [g.by(['namespace', 'target', 'role', 'client_id', 'server_id']),
                                           probe('mtls_probe_peer_identity_info')], instant=true, format='table')],
                ['namespace', 'target', 'role', 'client_id', 'server_id']),

        g.table('Effective PeerAuthentication mode',
                "The PeerAuthentication mode in force for each target's workload (STRICT, PERMISSIVE, DISABLE), as "
                + 'read from the Kubernetes API.',
                g.grid(12, 15, 12, 6),
                [g.target('max %s (%s == 1)' % [g.by(['namespace', 'target', 'target_namespace', 'mode']),
                                                probe('mtls_probe_peer_authentication_mode')],
                          instant=true, format='table')],
                ['namespace', 'target', 'target_namespace', 'mode']),

        g.timeseries('Probe freshness',
                     "Age of each role's latest attempt per target, in the probe's own intervals "
                     + '(mtls_probe_interval_seconds), as MtlsProbeDown computes it; above %d the probe is stale, '
                     % c.staleIntervals + 'proves nothing and MtlsProbeDown is pending.',
                     g.grid(0, 21, 12, 8),
                     [g.target('max %s (\n  %s\n)' % [
                       g.by(['namespace', 'target', 'role']),
                       q.indent(q.attemptAgeInIntervals(series=probe('mtls_probe_last_attempt_timestamp_seconds')), 2),
                     ], legend=g.legend('{{role}} {{target}}'))], 'short') + {
          fieldConfig+: { defaults+: {
            thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null },
                                                    { color: 'red', value: c.staleIntervals }] },
            custom: { thresholdsStyle: { mode: 'line' } },
          } },
        },

        g.table('Firing alerts',
                'mtls-probe alerts firing now (alerts of a role with no namespace, such as a probe that never '
                + 'reported, are shown under every namespace).',
                g.grid(12, 21, 12, 8),
                [g.target('max %s (%s)' % [
                  g.by(['alertname', 'severity', 'namespace', 'target', 'role', 'outcome']),
                  g.sel('ALERTS', ['alertname=~"MtlsProbe.*"', 'alertstate="firing"', 'namespace=~"$namespace|"'],
                        probe=false),
                ], instant=true, format='table')],
                ['alertname', 'severity', 'namespace', 'target', 'role', 'outcome']),

        g.timeseries('Skipped attempts',
                     'Ticks skipped per second because the previous attempt of that target was still running: '
                     + 'the timeout leaves too little of the interval, and the probe checks less often than '
                     + 'configured.',
                     g.grid(0, 29, 24, 6),
                     [g.target('sum %s (rate(%s[$__rate_interval]))'
                               % [g.by(['namespace', 'role', 'target']), probe('mtls_probe_skipped_attempts_total')],
                               legend=g.legend('{{namespace}} {{role}} {{target}}'))], 'ops'),

        // The coverage sweep (docs/coverage.md): every service port of the swept namespaces and its state. Empty where
        // no naked probe sweeps.
        g.table('Coverage: service ports',
                'The state of every service port the naked probe\'s coverage sweep checks: finding (expected STRICT, '
                + 'accepted plaintext: MtlsProbeUnprotectedPort), enforced, unproven, not_strict (by policy) or '
                + 'unknown. The probe\'s /api/coverage names the pods and why.',
                g.grid(0, 35, 24, 8),
                [g.target('max %s (%s == 1)' % [g.by(['namespace', 'target_namespace', 'service', 'port', 'state']),
                                                g.sel('mtls_probe_sweep_port_state', ['namespace=~"$namespace"'])],
                          instant=true, format='table')],
                ['namespace', 'target_namespace', 'service', 'port', 'state']),
      ],
      g.links('mtls-probe / Istio traffic', c.dashboards.istioUid),
    ),
  },
}
