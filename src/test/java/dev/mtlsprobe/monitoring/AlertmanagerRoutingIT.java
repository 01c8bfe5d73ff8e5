package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlsprobe.testsupport.Prerequisites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The example Alertmanager configuration in a real Alertmanager: severity routing to the two webhooks, grouping
 * by namespace and target, and inhibition. Timers are shortened to 1s; everything else is the shipped file.
 */
class AlertmanagerRoutingIT {

    static final Map<String, String> SEVERITY_OF_RECEIVER = Map.of("pager", "critical", "team", "warning");

    @Test
    void routesBySeverityGroupsByTargetAndInhibitsStaleVerdicts() throws Exception {
        Path binary = Prerequisites.tool("prometheus-alertmanager", "prometheus-alertmanager");
        Path dir = MonitoringFiles.freshDir("alertmanager-routing");
        try (WebhookReceiver hook = new WebhookReceiver("pager", "team");
                AlertmanagerServer am = AlertmanagerServer.start(binary, dir,
                        AlertmanagerServer.exampleConfig(dir, hook, true))) {
            // Inhibitors first, delivered, so they are active when the alerts they silence arrive.
            am.post(alerts(
                    alert("MtlsProbeDown", "critical", "ns", "inh", "target", "httpbin", "role", "naked"),
                    alert("MtlsProbeRoleMismatch", "critical", "ns", "rm", "pod", "probe-naked-1", "role", "sidecar",
                            "target", "httpbin", "outcome", "mtls")));
            assertTrue(hook.await(Duration.ofSeconds(20), n -> !n.alerts("MtlsProbeDown", "firing").isEmpty()
                    && n.receiver().equals("pager")).isPresent(), "MtlsProbeDown did not reach the pager\n"
                    + am.logTail());
            assertTrue(hook.await(Duration.ofSeconds(20), n -> !n.alerts("MtlsProbeRoleMismatch", "firing")
                    .isEmpty()).isPresent(), "MtlsProbeRoleMismatch not delivered");

            am.post(alerts(
                    alert("MtlsProbePlaintextAccepted", "critical", "ns", "inh", "target", "httpbin", "role", "naked",
                            "outcome", "plaintext"),
                    alert("MtlsProbeEnforcementUnproven", "warning", "ns", "inh", "target", "httpbin", "role",
                            "naked"),
                    alert("MtlsProbeMeshedCallFailing", "warning", "ns", "inh", "target", "httpbin", "role",
                            "sidecar"),
                    alert("MtlsProbeDown", "critical", "ns", "rm", "target", "httpbin", "role", "naked")));

            // A plaintext success pages even while the naked probe is down, in the same group as the Down alert.
            assertTrue(hook.await(Duration.ofSeconds(20), n -> n.receiver().equals("pager")
                    && !n.alerts("MtlsProbePlaintextAccepted", "firing").isEmpty()
                    && !n.alerts("MtlsProbeDown", "firing").isEmpty()).isPresent(),
                    "PlaintextAccepted and Down of one namespace/target should arrive together at the pager: "
                            + hook.received());
            // Another role's verdict is not silenced by the naked probe being down.
            assertTrue(hook.await(Duration.ofSeconds(20), n -> n.receiver().equals("team")
                    && !n.alerts("MtlsProbeMeshedCallFailing", "firing").isEmpty()).isPresent(),
                    "MeshedCallFailing should reach the team receiver");

            assertSuppressed(am, "MtlsProbeEnforcementUnproven", "inh");
            assertSuppressed(am, "MtlsProbeDown", "rm");
            Thread.sleep(3000); // three group intervals: a notification for an inhibited alert would have gone out

            for (WebhookReceiver.Notification n : hook.received()) {
                assertEquals(Set.of("namespace", "target"), fieldNames(n.body().path("groupLabels")),
                        "grouped by namespace and target: " + n.body());
                for (JsonNode a : n.body().path("alerts")) {
                    assertEquals(SEVERITY_OF_RECEIVER.get(n.receiver()), a.path("labels").path("severity").asText(),
                            n.receiver() + " got " + a.path("labels"));
                    assertFalse(a.path("labels").path("alertname").asText().equals("MtlsProbeEnforcementUnproven"),
                            "inhibited alert was delivered: " + a);
                    assertFalse(a.path("labels").path("alertname").asText().equals("MtlsProbeDown")
                            && a.path("labels").path("namespace").asText().equals("rm"),
                            "Down inhibited by RoleMismatch was delivered: " + a);
                }
            }
        }
    }

    private static void assertSuppressed(AlertmanagerServer am, String alertname, String namespace) throws Exception {
        boolean found = false;
        for (JsonNode a : am.alerts(alertname)) {
            if (namespace.equals(a.path("labels").path("namespace").asText())) {
                found = true;
                assertEquals("suppressed", a.path("status").path("state").asText(), alertname + ": " + a);
                assertTrue(a.path("status").path("inhibitedBy").size() > 0, alertname + " not inhibited: " + a);
            }
        }
        assertTrue(found, alertname + " in " + namespace + " is not in Alertmanager");
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An alert with the given alertname, severity and label pairs ("ns" is short for namespace). */
    private static ObjectNode alert(String alertname, String severity, String... pairs) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", alertname);
        labels.put("severity", severity);
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i].equals("ns") ? "namespace" : pairs[i], pairs[i + 1]);
        }
        ObjectNode a = MonitoringFiles.JSON.createObjectNode();
        ObjectNode l = a.putObject("labels");
        labels.forEach(l::put);
        a.putObject("annotations").put("summary", alertname + " (test)");
        return a;
    }

    private static String alerts(ObjectNode... alerts) {
        ArrayNode arr = MonitoringFiles.JSON.createArrayNode();
        for (ObjectNode a : alerts) {
            arr.add(a);
        }
        return arr.toString();
    }
}
