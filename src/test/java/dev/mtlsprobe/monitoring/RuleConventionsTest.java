package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rules follow the contract and the mixin conventions; every alert has a runbook page and unit tests. */
class RuleConventionsTest {

    static final String RUNBOOK_BASE = "https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/";

    /**
     * Severity and 'for' of each alert ("" = fires at once): the contract's six as the contract states them (and
     * RoleMismatch's and Down's 'for' as documented: Down's 2m rides out a pod restart), the Istio-joined two as
     * docs/monitoring.md documents them.
     */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "MtlsProbePlaintextAccepted", List.of("critical", ""),
            "MtlsProbeMeshedCallFailing", List.of("warning", "2m"),
            "MtlsProbeEnforcementUnproven", List.of("warning", "10m"),
            "MtlsProbeRoleMismatch", List.of("critical", "1m"),
            "MtlsProbeDown", List.of("critical", "2m"),
            "MtlsProbePeerAuthenticationNotStrict", List.of("warning", "5m"),
            "MtlsProbeStrictWorkloadReceivedPlaintext", List.of("critical", "1m"),
            "MtlsProbeNamespaceUnproven", List.of("info", "30m"),
            "MtlsProbeUnprotectedPort", List.of("critical", ""));

    static final Set<String> RECORDS = Set.of(MonitoringFiles.ENFORCED, "mtls_probe:istio_inbound_calls:rate5m",
            "mtls_probe:istio_workload_strict", "mtls_probe:istio_plaintext_callers:rate5m",
            "mtls_probe:namespace_probed");

    @Test
    void theContractAlertsTheIstioAlertsAndTheRecordingRules() throws Exception {
        Set<String> alerts = MonitoringFiles.alertRules().stream().map(r -> r.get("alert").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPECTED.keySet()), alerts);
        assertTrue(alerts.containsAll(MonitoringFiles.CONTRACT_ALERTS) && alerts.containsAll(MonitoringFiles.ISTIO_ALERTS)
                && alerts.containsAll(MonitoringFiles.COVERAGE_ALERTS));
        Set<String> records = MonitoringFiles.rules().stream().map(r -> r.path("record").asText())
                .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(RECORDS), records);
        JsonNode rule = MonitoringFiles.prometheusRule();
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        assertEquals("mtls-probe", rule.path("metadata").path("name").asText());
    }

    @Test
    void eachAlertHasOnlySeverityAStaticSummaryATemplatedDescriptionAndItsRunbook() throws Exception {
        for (JsonNode r : MonitoringFiles.alertRules()) {
            String name = r.get("alert").asText();
            assertTrue(name.matches("MtlsProbe[A-Z][A-Za-z]+"), name + ": not a CamelCase MtlsProbe name");
            Set<String> labels = new HashSet<>();
            r.path("labels").fieldNames().forEachRemaining(labels::add);
            assertEquals(Set.of("severity"), labels, name + ": alerts carry only a severity label");
            String severity = r.path("labels").path("severity").asText();
            assertTrue(Set.of("critical", "warning", "info").contains(severity), name + ": severity " + severity);
            assertEquals(EXPECTED.get(name).get(0), severity, name + " severity");
            assertEquals(EXPECTED.get(name).get(1), r.path("for").asText(""), name + " 'for'");

            JsonNode a = r.path("annotations");
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            assertEquals(Set.of("summary", "description", "runbook_url"), keys, name + ": annotations");
            String summary = a.path("summary").asText();
            assertFalse(summary.isBlank() || summary.contains("{{"), name + ": summary must be a static sentence: "
                    + summary);
            String description = a.path("description").asText();
            assertTrue(description.contains("$labels.namespace"), name + ": description must name the namespace");
            if (MonitoringFiles.CONTRACT_ALERTS.contains(name)) {
                assertTrue(description.contains("$labels.target"), name + ": description must name the target");
                assertTrue(description.contains("outcome"), name + ": description must name the outcome");
            } else if (MonitoringFiles.COVERAGE_ALERTS.contains(name)) {
                for (String label : List.of("$labels.target_namespace", "$labels.service", "$labels.port")) {
                    assertTrue(description.contains(label), name + ": description must name the port: " + label);
                }
            } else {
                assertTrue(description.contains("{{ $value"), name + ": description must give Istio's rate");
            }

            String url = a.path("runbook_url").asText();
            assertEquals(RUNBOOK_BASE + name + ".md", url, name + ": runbook_url");
            Path page = MonitoringFiles.RUNBOOKS.resolve(name + ".md");
            assertTrue(Files.isRegularFile(page), name + ": no runbook page " + page);
        }
    }

    /** What it means, how to confirm it by hand (curl with and without a sidecar), how to fix it. */
    @Test
    void everyRunbookPageExplainsConfirmsAndFixesItsAlertAndNoPageIsOrphaned() throws Exception {
        Set<String> alerts = MonitoringFiles.alertRules().stream().map(r -> r.get("alert").asText())
                .collect(Collectors.toSet());
        Set<String> pages;
        try (Stream<Path> s = Files.list(MonitoringFiles.RUNBOOKS)) {
            pages = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md") && !n.equals("README.md"))
                    .map(n -> n.substring(0, n.length() - 3)).collect(Collectors.toSet());
        }
        assertEquals(alerts, pages, "one page per alert under docs/runbooks");
        for (String alert : alerts) {
            String page = Files.readString(MonitoringFiles.RUNBOOKS.resolve(alert + ".md"));
            assertTrue(page.startsWith("# " + alert + "\n"), alert + ": the page's title is the alert name");
            for (String section : List.of("## What it means", "## How to confirm by hand", "## How to fix")) {
                assertTrue(page.contains("\n" + section + "\n"), alert + ": no section '" + section + "'");
            }
            assertTrue(page.contains("sidecar.istio.io/inject=false") && page.contains("curl"),
                    alert + ": the manual check runs curl from a pod without a sidecar");
            assertTrue(page.contains("exit 56") && page.contains("200"),
                    alert + ": the page says what the manual check returns (200 with a sidecar, exit 56 without)");
        }
    }

    @Test
    void everyAlertHasAFiringAndANotFiringUnitTestCaseAndEveryRecordingRuleIsTested() throws Exception {
        Map<String, Set<Boolean>> cases = new HashMap<>();
        StringBuilder exprs = new StringBuilder();
        for (Path file : MonitoringFiles.ruleTests()) {
            for (JsonNode test : MonitoringFiles.YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode c : test.path("alert_rule_test")) {
                    boolean fires = c.path("exp_alerts").size() > 0;
                    cases.computeIfAbsent(c.path("alertname").asText(), k -> new HashSet<>()).add(fires);
                }
                test.path("promql_expr_test").forEach(c -> exprs.append(c.path("expr").asText()).append('\n'));
            }
        }
        for (String alert : EXPECTED.keySet()) {
            assertEquals(Set.of(true, false), cases.getOrDefault(alert, Set.of()),
                    alert + ": needs at least one firing and one not-firing case under src/test/rules");
        }
        for (String record : RECORDS) {
            assertTrue(exprs.toString().contains(record), record + ": no promql_expr_test under src/test/rules");
        }
    }
}
