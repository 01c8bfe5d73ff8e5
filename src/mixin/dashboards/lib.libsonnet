// Grafana JSON building blocks bound to a _config: the datasource variable every query uses, selectors with the
// probe selector and (multi-cluster) the cluster variable, and the panel kinds the dashboards need.
{
  new(c):: {
    local g = self,
    local multi = c.showMultiCluster,
    local join(parts) = std.join(', ', [p for p in parts if p != '']),

    datasource:: { type: 'prometheus', uid: '${datasource}' },

    // metric{[probe selector], [cluster=~"$cluster"], extra...}. Recorded series carry no scrape labels, so they
    // take no probe selector.
    sel(metric, extra=[], probe=true)::
      local parts = (if probe then [c.probeSelector] else [])
                    + (if multi then ['%s=~"$cluster"' % c.clusterLabel] else []) + extra;
      if join(parts) == '' then metric else metric + '{' + join(parts) + '}',
    by(labels):: 'by (' + join((if multi then [c.clusterLabel] else []) + labels) + ')',
    on(labels):: 'on (' + join((if multi then [c.clusterLabel] else []) + labels) + ')',
    // A legend or a column prefix naming the cluster where there are several.
    legend(text):: (if multi then '{{%s}} ' % c.clusterLabel else '') + text,

    variables(list):: { list: [{
      name: 'datasource',
      label: 'Data source',
      type: 'datasource',
      query: 'prometheus',
      current: {},
      hide: 0,
      refresh: 1,
      regex: '',
      options: [],
    }] + (if multi then [g.queryVariable('cluster', 'Cluster', 'label_values(mtls_probe_build_info, %s)'
                                          % c.clusterLabel, all=false)] else []) + list },

    queryVariable(name, label, query, all=true):: {
      name: name,
      label: label,
      type: 'query',
      datasource: g.datasource,
      query: query,
      definition: query,
      refresh: 2,
      multi: all,
      includeAll: all,
      [if all then 'allValue']: '.*',
      current: {},
      sort: 1,
      hide: 0,
      regex: '',
      options: [],
    },

    target(expr, refId='A', legend='', instant=false, format='time_series'):: {
      refId: refId,
      datasource: g.datasource,
      expr: expr,
      format: format,
      instant: instant,
      range: !instant,
      [if legend != '' then 'legendFormat']: legend,
    },

    panel(type, title, description, gridPos, targets, unit):: {
      type: type,
      title: title,
      description: description,
      datasource: g.datasource,
      gridPos: gridPos,
      targets: targets,
      fieldConfig: { defaults: { unit: unit }, overrides: [] },
    },

    // An instant table with the value column hidden and the label columns in `columns` order.
    table(title, description, gridPos, targets, columns, unit='none', hideValue=true):: g.panel(
      'table', title, description, gridPos, targets, unit
    ) + {
      options: { showHeader: true, cellHeight: 'sm' },
      transformations: (if std.length(targets) > 1 then [{ id: 'merge', options: {} }] else []) + [{
        id: 'organize',
        options: {
          excludeByName: { Time: true }
                         + (if hideValue then { Value: true } + { ['Value #' + t.refId]: true for t in targets }
                            else {}),
          indexByName: {
            [col]: std.find(col, (if multi then [c.clusterLabel] else []) + columns)[0]
            for col in (if multi then [c.clusterLabel] else []) + columns
          },
          renameByName: {},
        },
      }],
    },

    timeseries(title, description, gridPos, targets, unit, legend={ displayMode: 'list', placement: 'bottom' }):: g.panel(
      'timeseries', title, description, gridPos, targets, unit
    ) + {
      options: { legend: legend, tooltip: { mode: 'multi', sort: 'desc' } },
    },

    // A data link from a table row to Istio's Workload dashboard for the row's destination workload.
    workloadLink:: {
      title: 'Istio Workload Dashboard: ${__data.fields.destination_workload}',
      url: '/d/%s?${datasource:queryparam}&var-namespace=${__data.fields.destination_workload_namespace}'
           % c.istioDashboards.workloadUid + '&var-workload=${__data.fields.destination_workload}',
      targetBlank: true,
    },

    // Links at the top of every dashboard: the other dashboard of the mixin and Istio's Workload and Service
    // dashboards, keeping the time range (and the data source, whose variable has the same name).
    links(otherTitle, otherUid):: [
      { title: otherTitle, type: 'link', url: '/d/' + otherUid, keepTime: true, includeVars: true, icon: 'dashboard' },
      { title: 'Istio Workload Dashboard', type: 'link', url: '/d/' + c.istioDashboards.workloadUid,
        keepTime: true, includeVars: false, icon: 'external link', targetBlank: true },
      { title: 'Istio Service Dashboard', type: 'link', url: '/d/' + c.istioDashboards.serviceUid,
        keepTime: true, includeVars: false, icon: 'external link', targetBlank: true },
    ],

    dashboard(uid, title, description, variables, panels, links):: {
      uid: uid,
      title: title,
      description: description,
      tags: c.dashboards.tags,
      timezone: 'browser',
      editable: true,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      refresh: c.dashboards.refresh,
      time: { from: c.dashboards.timeFrom, to: 'now' },
      annotations: { list: [] },
      links: links,
      templating: g.variables(variables),
      // Panel ids follow the order of the list: stable as long as panels are appended.
      panels: [panels[i] + { id: i + 1 } for i in std.range(0, std.length(panels) - 1)],
    },

    grid(x, y, w, h):: { x: x, y: y, w: w, h: h },
  },
}
