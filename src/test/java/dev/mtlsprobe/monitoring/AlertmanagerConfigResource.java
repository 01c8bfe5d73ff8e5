package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Translates prometheus-operator's AlertmanagerConfig spec into Alertmanager's own configuration format, the way the
 * operator does (camelCase to snake_case, {name, matchType, value} matchers to "name=value" strings), so that the
 * resource can be compared with the example configuration.
 */
final class AlertmanagerConfigResource {

    private static final Map<String, String> KEYS = Map.of("groupBy", "group_by", "groupWait", "group_wait",
            "groupInterval", "group_interval", "repeatInterval", "repeat_interval", "webhookConfigs",
            "webhook_configs", "sendResolved", "send_resolved", "sourceMatch", "source_matchers", "targetMatch",
            "target_matchers", "inhibitRules", "inhibit_rules");

    private AlertmanagerConfigResource() {
    }

    /** The route of the example configuration that holds mtls-probe's alerts (matcher alertname=~"MtlsProbe.*"). */
    static JsonNode mtlsProbeRoute(JsonNode config) {
        for (JsonNode r : config.path("route").path("routes")) {
            for (JsonNode m : r.path("matchers")) {
                if (m.asText().equals("alertname=~\"MtlsProbe.*\"")) {
                    return r;
                }
            }
        }
        throw new AssertionError("no route matching alertname=~\"MtlsProbe.*\" under route.routes: " + config);
    }

    /** The resource's spec in Alertmanager's format. */
    static JsonNode asAlertmanager(JsonNode spec) {
        return convert(spec);
    }

    private static JsonNode convert(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = MonitoringFiles.JSON.createArrayNode();
            for (JsonNode n : node) {
                out.add(isMatcher(n) ? MonitoringFiles.JSON.getNodeFactory().textNode(matcher(n)) : convert(n));
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = MonitoringFiles.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(KEYS.getOrDefault(e.getKey(), e.getKey()), convert(e.getValue()));
        }
        return out;
    }

    private static boolean isMatcher(JsonNode n) {
        return n.isObject() && n.has("name") && n.has("value") && n.has("matchType");
    }

    private static String matcher(JsonNode n) {
        return n.path("name").asText() + n.path("matchType").asText() + "\"" + n.path("value").asText() + "\"";
    }
}
