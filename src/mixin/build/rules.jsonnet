// Both rule files, with every group of the mixin (recording rules first, then alerts):
//   jsonnet -S -m DIR [--tla-code config='{...}'] build/rules.jsonnet
// prometheusrule.yaml: the PrometheusRule (prometheus-operator); mtls-probe.rules.yaml: the same groups as a plain
// Prometheus rule file (rule_files:), for a Prometheus without the operator.
function(config={})
  local mixin = (import '../mixin.libsonnet') + { _config+:: config };
  local yaml = import '../lib/yaml.libsonnet';
  local groups = mixin.prometheusRules.groups + mixin.prometheusAlerts.groups;
  local generated = 'Generated from src/mixin by src/mixin/generate.sh: edit the mixin, not this file.';
  {
    'prometheusrule.yaml': yaml.manifest({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: 'mtls-probe',
        labels: { 'app.kubernetes.io/name': 'mtls-probe', 'app.kubernetes.io/component': 'monitoring' },
      },
      spec: { groups: groups },
    }, [generated, "mtls-probe's recording and alerting rules, installed once per cluster (k8s/monitoring)."]),
    'mtls-probe.rules.yaml': yaml.manifest({ groups: groups }, [
      generated,
      "mtls-probe's recording and alerting rules as a plain Prometheus rule file (rule_files:); the same groups",
      'as prometheusrule.yaml.',
    ]),
  }
