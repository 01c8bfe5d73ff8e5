// mtls-probe's monitoring mixin: prometheusRules (recording), prometheusAlerts and grafanaDashboards, configured by
// _config (config.libsonnet). Rendered into k8s/monitoring/ and grafana/ by generate.sh.
(import 'config.libsonnet')
+ (import 'rules/probe.libsonnet')
+ (import 'rules/istio.libsonnet')
+ (import 'alerts/probe.libsonnet')
+ (import 'alerts/istio.libsonnet')
+ (import 'alerts/coverage.libsonnet')
+ (import 'dashboards/overview.libsonnet')
+ (import 'dashboards/istio.libsonnet')
