package dev.mtlsprobe.pair;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Status documents as a probe serves them on its management port, for the peer-side tests. */
final class PeerDocs {

    static final ObjectMapper JSON = new ObjectMapper();

    private PeerDocs() {
    }

    /** A sidecar probe's compact status with one passing target, made now. */
    static ObjectNode sidecar() {
        long now = System.currentTimeMillis();
        ObjectNode doc = JSON.createObjectNode().put("version", "5.1").put("generatedAtMillis", now)
                .put("role", "sidecar").put("roleSource", "downward-api").put("intendedRole", "sidecar")
                .put("roleMismatch", false).put("roleReason", "role sidecar (detected from downward-api), as intended")
                .put("interval", "5s").put("intervalSeconds", 5.0).put("timeout", "2s");
        ObjectNode c = doc.putArray("targets").addObject().put("target", "httpbin")
                .put("url", "http://httpbin-svc:8080/headers").put("role", "sidecar").put("echo", true)
                .put("verdictSinceMillis", now - 60_000).put("lastPassMillis", now - 100)
                .put("clientId", "spiffe://cluster.local/ns/team-app/sa/mtls-probe")
                .put("serverId", "spiffe://cluster.local/ns/team-app/sa/httpbin")
                .put("timeline", "-".repeat(58) + "pP");
        c.putObject("latest").put("startedAtMillis", now - 100).put("outcome", "mtls").put("verdict", "pass")
                .put("reason", "HTTP 200 over mutual TLS").put("durationSeconds", 0.002).put("httpStatus", 200)
                .put("clientId", "spiffe://cluster.local/ns/team-app/sa/mtls-probe")
                .put("serverId", "spiffe://cluster.local/ns/team-app/sa/httpbin");
        return doc;
    }

    static ObjectNode cell(ObjectNode doc) {
        return (ObjectNode) doc.get("targets").get(0);
    }
}
