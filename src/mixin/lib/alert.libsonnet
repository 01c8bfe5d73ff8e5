// An alert as the project writes them: severity the only label, a static summary, a templated description and the
// runbook URL from the configured pattern. `for`, severity and the runbook come from _config by alert name.
{
  new(c):: {
    local q = (import 'promql.libsonnet').new(c),
    local clusterLabel = '(index $labels "%s")' % c.clusterLabel,

    alert(name, expr, summary, description):: {
      assert std.member(['critical', 'warning', 'info'], c.severity[name]) : name + ': severity ' + c.severity[name],
      alert: name,
      expr: expr,
      [if std.get(c['for'], name, '') != '' then 'for']: c['for'][name],
      labels: { severity: c.severity[name] },
      annotations: {
        summary: summary,
        description: description,
        runbook_url: c.runbookURLPattern % name,
      },
    },

    // "namespace team-app" and, where the series carry one, " (cluster eu-1)".
    where:: 'namespace {{ $labels.namespace }}{{ with %s }} (cluster {{ . }}){{ end }}' % clusterLabel,

    // The values of `label` among the series of a probe metric that are 1 for this alert's cluster, namespace
    // and target plus `match` ([label, template expression] pairs), e.g. "mtls, reset"; `none` when there is none.
    latest(metric, label, match=[['role', '$labels.role']], none='unknown', lookback='')::
      local pairs = match + [[c.clusterLabel, clusterLabel], ['namespace', '$labels.namespace'],
                             ['target', '$labels.target']];
      local matchers = std.join(', ', [q.probeMatchersForTemplate for _ in [1] if q.probeMatchersForTemplate != '']
                                      + ['%s=%%q' % p[0] for p in pairs]);
      local series = '%s{%s}' % [metric, matchers];
      local selected = if lookback == '' then series else 'last_over_time(%s[%s])' % [series, lookback];
      '{{ with printf "max by (%s) (%s == 1)" %s | query }}' % [label, selected, std.join(' ', [p[1] for p in pairs])]
      + '{{ range $i, $s := . }}{{ if $i }}, {{ end }}{{ $s.Labels.%s }}{{ end }}{{ else }}%s{{ end }}' % [label, none],

    // The value of one probe series matching this alert's cluster and namespace plus `match` ([label, template
    // expression] pairs), e.g. a count; `none` when there is none.
    value(metric, match, none='?')::
      local pairs = match + [[c.clusterLabel, clusterLabel], ['namespace', '$labels.namespace']];
      local matchers = std.join(', ', [q.probeMatchersForTemplate for _ in [1] if q.probeMatchersForTemplate != '']
                                      + ['%s=%%q' % p[0] for p in pairs]);
      '{{ with printf "max(%s{%s})" %s | query }}{{ . | first | value }}{{ else }}%s{{ end }}'
      % [metric, matchers, std.join(' ', [p[1] for p in pairs]), none],

    // '2m' -> '2 minutes', '1h' -> '1 hour', '30s' -> '30 seconds'.
    human(d)::
      local units = { s: 'second', m: 'minute', h: 'hour', d: 'day' };
      local n = std.parseInt(std.substr(d, 0, std.length(d) - 1));
      local unit = units[std.substr(d, std.length(d) - 1, 1)];
      '%d %s%s' % [n, unit, if n == 1 then '' else 's'],
  },
}
