package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlsprobe.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * amtool validates the example Alertmanager config and routes every alert of the rules by its severity, only
 * mtls-probe's alerts enter its route, and the AlertmanagerConfig resource says the same as the snippet.
 */
class AlertmanagerConfigTest {

    static final Map<String, String> RECEIVER_BY_SEVERITY = Map.of("critical", "pager", "warning", "team",
            "info", "team");

    @Test
    void configIsValid() throws Exception {
        Path amtool = Prerequisites.tool("amtool", "prometheus-alertmanager");
        Exec.Result r = Exec.run(MonitoringFiles.ROOT, List.of(amtool.toString(), "check-config",
                MonitoringFiles.ALERTMANAGER.toString()));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyAlertRoutesToTheReceiverOfItsSeverity() throws Exception {
        Path amtool = Prerequisites.tool("amtool", "prometheus-alertmanager");
        List<JsonNode> alerts = MonitoringFiles.alertRules();
        assertTrue(alerts.size() >= 6);
        for (JsonNode a : alerts) {
            String severity = a.path("labels").path("severity").asText();
            String receiver = RECEIVER_BY_SEVERITY.get(severity);
            Exec.Result r = routesTest(amtool, receiver, a.get("alert").asText(), severity);
            assertEquals(0, r.exitCode(), a.get("alert").asText() + " (" + severity + ") should reach " + receiver
                    + ": " + r.output());
        }
    }

    /** Guards the check above: amtool really fails when the receiver is not the expected one. */
    @Test
    void aWrongReceiverIsReported() throws Exception {
        Path amtool = Prerequisites.tool("amtool", "prometheus-alertmanager");
        assertNotEquals(0, routesTest(amtool, "team", "MtlsProbePlaintextAccepted", "critical").exitCode());
        assertNotEquals(0, routesTest(amtool, "pager", "MtlsProbeMeshedCallFailing", "warning").exitCode());
    }

    /** The part to merge catches mtls-probe's alerts only; anything else stays with the user's root route. */
    @Test
    void onlyMtlsProbeAlertsEnterItsRoute() throws Exception {
        Path amtool = Prerequisites.tool("amtool", "prometheus-alertmanager");
        Exec.Result r = Exec.run(MonitoringFiles.ROOT, List.of(amtool.toString(), "config", "routes", "test",
                "--config.file=" + MonitoringFiles.ALERTMANAGER, "--verify.receivers=default",
                "alertname=KubePodCrashLooping", "severity=critical", "namespace=team-app"));
        assertEquals(0, r.exitCode(), "another alert must not reach the pager: " + r.output());
    }

    @Test
    void groupedByNamespaceAndTargetWithDownInhibitingStaleVerdicts() throws Exception {
        JsonNode cfg = MonitoringFiles.YAML.readTree(MonitoringFiles.ALERTMANAGER.toFile());
        JsonNode mtlsProbe = AlertmanagerConfigResource.mtlsProbeRoute(cfg);
        List<String> groupBy = new ArrayList<>();
        mtlsProbe.path("group_by").forEach(n -> groupBy.add(n.asText()));
        assertEquals(List.of("namespace", "target"), groupBy);
        for (JsonNode route : mtlsProbe.path("routes")) {
            assertTrue(route.path("group_by").isMissingNode(), "sub-routes keep the namespace/target grouping");
        }
        boolean downInhibits = false;
        for (JsonNode rule : cfg.path("inhibit_rules")) {
            String source = rule.path("source_matchers").toString();
            String targets = rule.path("target_matchers").toString();
            assertTrue(!targets.contains("PlaintextAccepted"), "a plaintext success must never be inhibited");
            if (source.contains("alertname=\\\"MtlsProbeDown\\\"")) {
                downInhibits = targets.contains("MtlsProbeMeshedCallFailing")
                        && targets.contains("MtlsProbeEnforcementUnproven")
                        && rule.path("equal").toString().contains("namespace")
                        && rule.path("equal").toString().contains("role");
            }
        }
        assertTrue(downInhibits, "MtlsProbeDown must inhibit the verdict alerts of its namespace and role");
    }

    /** The resource installed once per cluster routes, notifies and inhibits exactly as the snippet. */
    @Test
    void theAlertmanagerConfigResourceSaysWhatTheSnippetSays() throws Exception {
        JsonNode resource = MonitoringFiles.YAML.readTree(MonitoringFiles.ALERTMANAGER_CONFIG.toFile());
        assertEquals("monitoring.coreos.com/v1alpha1", resource.path("apiVersion").asText());
        assertEquals("AlertmanagerConfig", resource.path("kind").asText());
        JsonNode spec = AlertmanagerConfigResource.asAlertmanager(resource.path("spec"));
        JsonNode snippet = MonitoringFiles.YAML.readTree(MonitoringFiles.ALERTMANAGER.toFile());

        assertEquals(AlertmanagerConfigResource.mtlsProbeRoute(snippet), spec.path("route"));
        List<JsonNode> receivers = new ArrayList<>();
        snippet.path("receivers").forEach(r -> {
            if (r.has("webhook_configs")) {
                receivers.add(r);
            }
        });
        assertEquals(receivers, List.copyOf(toList(spec.path("receivers"))));
        assertEquals(snippet.path("inhibit_rules"), spec.path("inhibit_rules"));
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static Exec.Result routesTest(Path amtool, String receiver, String alertname, String severity)
            throws Exception {
        return Exec.run(MonitoringFiles.ROOT, List.of(amtool.toString(), "config", "routes", "test",
                "--config.file=" + MonitoringFiles.ALERTMANAGER, "--verify.receivers=" + receiver,
                "alertname=" + alertname, "severity=" + severity, "namespace=team-app", "target=httpbin"));
    }
}
