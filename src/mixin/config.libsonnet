// Every knob of the mixin. Override any of them with `mixin + { _config+:: { ... } }` (docs/monitoring.md).
{
  _config+:: {
    // PromQL label matchers, without braces, that pick the probe's series, e.g. 'job="team-app/mtls-probe"'.
    // Empty: every mtls_probe_* series (the names belong to the probe alone). Used by rules and dashboards.
    probeSelector: '',
    // The same for Istio's standard metrics (istio_requests_total, istio_tcp_connections_opened_total),
    // e.g. 'job="envoy-stats"'.
    istioSelector: '',

    // The label that tells clusters apart where one Prometheus, Thanos or Mimir sees several. Every rule keeps it
    // (aggregating by a label that does not exist is harmless), so two clusters' team-app never merge.
    clusterLabel: 'cluster',
    // Dashboards: a cluster variable and the label in every query and legend.
    showMultiCluster: false,

    // A probe is stale, and proves nothing, after this many of its own intervals without an attempt. The interval
    // is the exported mtls_probe_interval_seconds; a probe too old to export it is assumed to run at
    // fallbackIntervalSeconds (the default interval), so staleness is never left undetected.
    staleIntervals: 3,
    fallbackIntervalSeconds: 5,
    // How long a probe that stopped reporting is remembered: MtlsProbeDown's "vanished" case and the 0 that
    // mtls_probe:enforced keeps showing.
    memory: '1h',
    // MtlsProbePlaintextAccepted keeps firing this long after a plaintext success, so it is always delivered.
    plaintextWindow: '5m',

    // Istio telemetry: the rate window of the recording rules, and how long a workload's mode must have been
    // STRICT before plaintext it receives is impossible (Envoy gets a new policy seconds after the API has it;
    // plaintext from before a switch to STRICT must not page).
    istioRateWindow: '5m',
    istioStrictSettledWindow: '10m',
    // Istio's source_workload of the sidecar probe (its Deployment): its calls tell which workloads a probe pair
    // covers. A regex.
    probeWorkloadRegex: 'mtls-probe-sidecar',
    // Namespaces never reported as unproven (a regex; empty for none).
    unprovenIgnoredNamespaces: 'istio-system|kube-system',

    // `for:` of each alert ('' or '0s': fires at the first evaluation).
    'for': {
      MtlsProbePlaintextAccepted: '',
      MtlsProbeMeshedCallFailing: '2m',
      MtlsProbeEnforcementUnproven: '10m',
      MtlsProbeRoleMismatch: '1m',
      MtlsProbeDown: '2m',
      MtlsProbePeerAuthenticationNotStrict: '5m',
      MtlsProbeStrictWorkloadReceivedPlaintext: '1m',
      MtlsProbeNamespaceUnproven: '30m',
      MtlsProbeUnprotectedPort: '',
    },
    // critical, warning or info.
    severity: {
      MtlsProbePlaintextAccepted: 'critical',
      MtlsProbeMeshedCallFailing: 'warning',
      MtlsProbeEnforcementUnproven: 'warning',
      MtlsProbeRoleMismatch: 'critical',
      MtlsProbeDown: 'critical',
      MtlsProbePeerAuthenticationNotStrict: 'warning',
      MtlsProbeStrictWorkloadReceivedPlaintext: 'critical',
      MtlsProbeNamespaceUnproven: 'info',
      MtlsProbeUnprotectedPort: 'critical',
    },
    // %s is the alert name; one page per alert under docs/runbooks/.
    runbookURLPattern: 'https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/%s.md',

    dashboards: {
      overviewUid: 'mtls-probe-overview',
      istioUid: 'mtls-probe-istio-traffic',
      // The Grafana folder: the grafana_folder annotation of the dashboard ConfigMaps (kube-prometheus-stack's
      // sidecar reads it with sidecar.dashboards.folderAnnotation=grafana_folder).
      folder: 'mtls-probe',
      tags: ['mtls-probe', 'istio'],
      refresh: '30s',
      timeFrom: 'now-3h',
    },
    // Istio's own dashboards, linked from ours. Istio names them by the MD5 of their file names; an imported copy
    // has the uid in its URL (/d/<uid>/...).
    istioDashboards: {
      workloadUid: std.md5('istio-workload-dashboard.json'),
      serviceUid: std.md5('istio-service-dashboard.json'),
    },
  },
}
