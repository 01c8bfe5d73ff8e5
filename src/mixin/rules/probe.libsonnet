// Recording rules over the probe's own series. Prometheus adds namespace and pod from the scrape target; every rule
// aggregates by (cluster, namespace, target) so that a restarted pod (a new pod label) is the same probe.
{
  local c = $._config,
  local q = (import '../lib/promql.libsonnet').new(c),

  local freshPass(role) = q.fill(|||
    min %(by)s (
      %(verdict)s
      and ignoring (verdict)
      (
        %(age)s
      ) <= %(n)s
    )
  |||, {
    by: q.by(['namespace', 'target']),
    verdict: q.probe('mtls_probe_verdict', 'role="%s", verdict="pass"' % role),
    age: q.indent(q.attemptAgeInIntervals('role="%s"' % role), 4),
    n: c.staleIntervals,
  }),

  prometheusRules+:: {
    groups+: [
      {
        name: 'mtls-probe.records',
        rules: [
          {
            // 1 while the naked verdict is pass (plaintext rejected) and the sidecar verdict is pass (mTLS call
            // succeeded), both from an attempt at most staleIntervals intervals old; 0 while anything else is true,
            // for `memory` after the last report. Stale data is never 1. The page's headline applies the same rule
            // (dev.mtlsprobe.pair.PairRule; PairRuleTest runs this rule through promtool and compares).
            record: 'mtls_probe:enforced',
            expr: q.fill(|||
              (
                  %(naked)s
                * %(on)s
                  %(sidecar)s
              )
              or %(on)s
                0 * max %(by)s (last_over_time(%(verdict)s[%(memory)s]))
            |||, {
              naked: q.indent(freshPass('naked'), 4),
              sidecar: q.indent(freshPass('sidecar'), 4),
              on: q.on(['namespace', 'target']),
              by: q.by(['namespace', 'target']),
              verdict: q.probe('mtls_probe_verdict'),
              memory: c.memory,
            }),
          },
        ],
      },
    ],
  },
}
