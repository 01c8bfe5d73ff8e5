// grafana/kustomization.yaml: one ConfigMap per dashboard of the mixin, for Grafana's dashboard sidecar.
function(config={})
  local mixin = (import '../mixin.libsonnet') + { _config+:: config };
  (import '../lib/yaml.libsonnet').manifest({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    generatorOptions: {
      disableNameSuffixHash: true,
      labels: { grafana_dashboard: '1', 'app.kubernetes.io/name': 'mtls-probe' },
      annotations: { grafana_folder: mixin._config.dashboards.folder },
    },
    configMapGenerator: [
      { name: 'grafana-dashboard-' + std.strReplace(file, '.json', ''), files: [file] }
      for file in std.objectFields(mixin.grafanaDashboards)
    ],
  }, [
    'Generated from src/mixin by src/mixin/generate.sh: edit the mixin, not this file.',
    "One ConfigMap per dashboard JSON of this directory, for Grafana's dashboard sidecar (label grafana_dashboard)",
    "and its folder annotation (kube-prometheus-stack: sidecar.dashboards.folderAnnotation=grafana_folder).",
    'Installed once per cluster by k8s/monitoring.',
  ])
