package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The monitoring files of the repository (generated from the mixin under src/mixin) and the rule file Prometheus
 * reads, extracted from the PrometheusRule.
 */
final class MonitoringFiles {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path PROMETHEUS_RULE = ROOT.resolve("k8s/monitoring/prometheusrule.yaml");
    static final Path PLAIN_RULES = ROOT.resolve("k8s/monitoring/mtls-probe.rules.yaml");
    static final Path ALERTMANAGER = ROOT.resolve("k8s/monitoring/alertmanager.yml");
    static final Path ALERTMANAGER_CONFIG = ROOT.resolve("k8s/monitoring/alertmanagerconfig.yaml");
    static final Path GRAFANA = ROOT.resolve("grafana");
    static final Path RULE_TESTS = ROOT.resolve("src/test/rules");
    static final Path MIXIN = ROOT.resolve("src/mixin");
    static final Path RUNBOOKS = ROOT.resolve("docs/runbooks");
    static final Path MONITORING_DOC = ROOT.resolve("docs/monitoring.md");

    /** The six alerts of the contract. */
    static final Set<String> CONTRACT_ALERTS = Set.of("MtlsProbePlaintextAccepted", "MtlsProbeMeshedCallFailing",
            "MtlsProbeEnforcementUnproven", "MtlsProbeRoleMismatch", "MtlsProbeDown",
            "MtlsProbePeerAuthenticationNotStrict");

    /** The alerts on Istio's telemetry joined with the proof (issue 13). */
    static final Set<String> ISTIO_ALERTS = Set.of("MtlsProbeStrictWorkloadReceivedPlaintext",
            "MtlsProbeNamespaceUnproven");

    /** The coverage sweep's alert (issue 15). */
    static final Set<String> COVERAGE_ALERTS = Set.of("MtlsProbeUnprotectedPort");

    /** The coverage sweep's metrics (docs/coverage.md), beside the contract's. */
    static final Set<String> COVERAGE_METRICS = Set.of("mtls_probe_sweep_port_state",
            "mtls_probe_sweep_endpoints_checked", "mtls_probe_sweep_endpoints_plaintext",
            "mtls_probe_sweep_last_check_timestamp_seconds", "mtls_probe_sweep_attempts_total",
            "mtls_probe_sweep_skipped_total", "mtls_probe_sweep_last_round_timestamp_seconds");

    /** Every metric of the contract, as Prometheus exposes it (histogram series included). */
    static final Set<String> CONTRACT_METRICS = Set.of("mtls_probe_attempts_total", "mtls_probe_last_outcome",
            "mtls_probe_verdict", "mtls_probe_duration_seconds_bucket", "mtls_probe_duration_seconds_count",
            "mtls_probe_duration_seconds_sum", "mtls_probe_last_attempt_timestamp_seconds",
            "mtls_probe_last_pass_timestamp_seconds", "mtls_probe_peer_identity_info", "mtls_probe_role_info",
            "mtls_probe_role_mismatch", "mtls_probe_sidecar_ready", "mtls_probe_peer_authentication_mode",
            "mtls_probe_namespace_injection_enabled", "mtls_probe_kube_api_up", "mtls_probe_build_info",
            "mtls_probe_interval_seconds", "mtls_probe_skipped_attempts_total");

    static final String ENFORCED = "mtls_probe:enforced";

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringFiles() {
    }

    static JsonNode prometheusRule() throws IOException {
        return YAML.readTree(PROMETHEUS_RULE.toFile());
    }

    /** Writes {@code groups:} of the PrometheusRule as a plain Prometheus rule file. */
    static Path extractRules(Path file) throws IOException {
        JsonNode groups = prometheusRule().path("spec").path("groups");
        if (!groups.isArray() || groups.isEmpty()) {
            throw new IllegalStateException(PROMETHEUS_RULE + ": spec.groups is missing or empty");
        }
        ObjectNode out = YAML.createObjectNode();
        out.set("groups", groups);
        Files.createDirectories(file.getParent());
        YAML.writeValue(file.toFile(), out);
        return file;
    }

    /** Every rule (alerting and recording) of every group. */
    static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode g : prometheusRule().path("spec").path("groups")) {
            g.path("rules").forEach(rules::add);
        }
        return rules;
    }

    static List<JsonNode> alertRules() throws IOException {
        return rules().stream().filter(r -> r.has("alert")).toList();
    }

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> s = Files.list(GRAFANA)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    static List<Path> ruleTests() throws IOException {
        try (Stream<Path> s = Files.list(RULE_TESTS)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".test.yaml")).sorted().toList();
        }
    }

    static Path freshDir(String name) throws IOException {
        Path dir = ROOT.resolve("target/monitoring").resolve(name);
        Files.createDirectories(dir.getParent());
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
