package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The alert rules follow the contract and the project's alert conventions; every alert has a runbook. */
class RuleConventionsTest {

    static final String RUNBOOK_BASE = "https://github.com/mtls-probe/mtls-probe/blob/main/README.md#";

    /**
     * Severity and 'for' of each alert ("" = fires at once): as the contract states them, and for RoleMismatch
     * and Down as the README documents them (Down's 2m rides out a pod restart).
     */
    static final Map<String, List<String>> CONTRACT = Map.of(
            "MtlsProbePlaintextAccepted", List.of("critical", ""),
            "MtlsProbeMeshedCallFailing", List.of("warning", "2m"),
            "MtlsProbeEnforcementUnproven", List.of("warning", "10m"),
            "MtlsProbeRoleMismatch", List.of("critical", "1m"),
            "MtlsProbeDown", List.of("critical", "2m"),
            "MtlsProbePeerAuthenticationNotStrict", List.of("warning", "5m"));

    @Test
    void exactlyTheContractAlertsAndTheRecordingRule() throws Exception {
        Set<String> alerts = MonitoringFiles.alertRules().stream().map(r -> r.get("alert").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(MonitoringFiles.CONTRACT_ALERTS), alerts);
        assertTrue(MonitoringFiles.rules().stream().anyMatch(r -> MonitoringFiles.ENFORCED.equals(
                r.path("record").asText())), "recording rule " + MonitoringFiles.ENFORCED + " is missing");
        JsonNode rule = MonitoringFiles.prometheusRule();
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        assertEquals("mtls-probe", rule.path("metadata").path("name").asText());
    }

    @Test
    void eachAlertHasOnlySeverityATemplatedDescriptionAndARunbook() throws Exception {
        Set<String> anchors = readmeAnchors();
        for (JsonNode r : MonitoringFiles.alertRules()) {
            String name = r.get("alert").asText();
            assertTrue(name.matches("MtlsProbe[A-Z][A-Za-z]+"), name + ": not a CamelCase MtlsProbe name");
            Set<String> labels = new HashSet<>();
            r.path("labels").fieldNames().forEachRemaining(labels::add);
            assertEquals(Set.of("severity"), labels, name + ": alerts carry only a severity label");
            assertEquals(CONTRACT.get(name).get(0), r.path("labels").path("severity").asText(), name + " severity");
            assertEquals(CONTRACT.get(name).get(1), r.path("for").asText(""), name + " 'for'");

            JsonNode a = r.path("annotations");
            assertTrue(!a.path("summary").asText().isBlank(), name + ": summary");
            String description = a.path("description").asText();
            assertTrue(description.contains("$labels.namespace"), name + ": description must name the namespace");
            assertTrue(description.contains("$labels.target"), name + ": description must name the target");
            assertTrue(description.contains("outcome"), name + ": description must name the outcome");

            String url = a.path("runbook_url").asText();
            assertTrue(url.startsWith(RUNBOOK_BASE), name + ": runbook_url " + url);
            String anchor = url.substring(RUNBOOK_BASE.length());
            assertEquals(name.toLowerCase(Locale.ROOT), anchor, name + ": runbook anchor");
            assertTrue(anchors.contains(anchor), name + ": README has no heading with anchor #" + anchor);
        }
    }

    @Test
    void everyAlertHasAFiringAndANotFiringUnitTestCase() throws Exception {
        Map<String, Set<Boolean>> cases = new HashMap<>();
        for (Path file : MonitoringFiles.ruleTests()) {
            for (JsonNode test : MonitoringFiles.YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode c : test.path("alert_rule_test")) {
                    boolean fires = c.path("exp_alerts").size() > 0;
                    cases.computeIfAbsent(c.path("alertname").asText(), k -> new HashSet<>()).add(fires);
                }
            }
        }
        for (String alert : MonitoringFiles.CONTRACT_ALERTS) {
            assertEquals(Set.of(true, false), cases.getOrDefault(alert, Set.of()),
                    alert + ": needs at least one firing and one not-firing case under src/test/rules");
        }
    }

    /** The anchors GitHub generates for the README's headings. */
    static Set<String> readmeAnchors() throws Exception {
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(MonitoringFiles.README)) {
            if (line.matches("#{1,6} .*")) {
                String text = line.replaceFirst("#{1,6} ", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
