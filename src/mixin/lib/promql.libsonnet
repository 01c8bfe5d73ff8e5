// PromQL building blocks bound to a _config: selectors with the configured matchers, and aggregation clauses that
// always carry the cluster label.
{
  new(c):: {
    local o = self,
    local join(parts) = std.join(', ', [p for p in parts if p != '']),
    local braces(parts) = if join(parts) == '' then '' else '{' + join(parts) + '}',

    cluster:: c.clusterLabel,
    // "by (cluster, a, b)" and "on (cluster, a, b)"
    by(labels):: 'by (' + join([c.clusterLabel] + labels) + ')',
    on(labels):: 'on (' + join([c.clusterLabel] + labels) + ')',

    // `template` with every %(name)s replaced by vars[name]: std.format is written in jsonnet and scans the format
    // character by character, which makes rendering the rules take seconds; std.strReplace is native.
    fill(template, vars):: std.foldl(function(text, k) std.strReplace(text, '%(' + k + ')s', std.toString(vars[k])),
                                     std.objectFields(vars), template),

    // metric{<probeSelector>, extra}
    probe(metric, extra=''):: metric + braces([c.probeSelector, extra]),
    istio(metric, extra=''):: metric + braces([c.istioSelector, extra]),

    // The probe selector inside a Go template string literal (an alert description's query).
    probeMatchersForTemplate:: std.strReplace(join([c.probeSelector]), '"', '\\"'),

    // How many of its own intervals ago each probe series (per target and role) made its latest attempt. The
    // interval comes from the same scrape target (every label but target and role); a probe that does not export
    // it counts as running at the fallback interval. `series` replaces the selected attempt series (dashboards).
    local attempt = 'mtls_probe_last_attempt_timestamp_seconds',
    attemptAgeInIntervals(extra='', series=null):: o.fill(|||
      (timestamp(%(a)s) - %(a)s)
        / ignoring (target, role) group_left ()
        (
          %(interval)s
          or
          %(fallback)s * group without (target, role) (%(all)s)
        )
    |||, {
      a: if series == null then o.probe(attempt, extra) else series,
      all: o.probe(attempt),
      interval: o.probe('mtls_probe_interval_seconds'),
      fallback: c.fallbackIntervalSeconds,
    }),

    // The recorded Istio series (istio.libsonnet): requests and TCP connections received per second, by source
    // and destination workload and connection_security_policy, over istioRateWindow.
    istioInbound(extra=''):: 'mtls_probe:istio_inbound_calls:rate' + c.istioRateWindow + braces([extra]),
    istioCallers(extra=''):: 'mtls_probe:istio_plaintext_callers:rate' + c.istioRateWindow + braces([extra]),

    // Indents every line but the first of a multi-line expression, to nest it in another.
    indent(expr, n):: std.strReplace(std.rstripChars(expr, '\n'), '\n', '\n' + std.repeat(' ', n)),
  },
}
