package dev.mtlsprobe.probe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Sanitize;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** Maps an HTTP response to an outcome of the closed set. Pure: no I/O, no state. */
public final class ResponseClassifier {

    /**
     * What a response means, before the attempt's timing is attached.
     *
     * @param whole whether the final response arrived whole (or up to the read limit); a sidecar attempt passes
     *              only on what arrived whole
     */
    public record Classified(Outcome outcome, String reason, Optional<PeerIdentity> identity, boolean whole) {
    }

    /** An httpbin-style echo of the request headers; {@code xfcc} is null when it held none. */
    record Echo(String xfcc) {
    }

    static final String XFCC = "x-forwarded-client-cert";
    private static final String RBAC_DENIED = "RBAC: access denied";
    // Envoy's local replies when it cannot reach or keep the upstream.
    private static final String[] ENVOY_503 = {
        "upstream connect error or disconnect/reset before headers", "no healthy upstream"
    };
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);

    private ResponseClassifier() {
    }

    /**
     * @param echoTarget whether the target echoes request headers (httpbin {@code /headers}): only there can mTLS
     *                   be observed, and only a complete echo counts
     */
    public static Classified classify(HttpResponse response, boolean echoTarget) {
        int status = response.status();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        boolean whole = response.framing().whole();
        String note = response.framingNote().isEmpty() ? "" : "; " + response.framingNote();
        if (response.framing() == HttpResponse.Framing.INTERIM_ONLY) {
            return new Classified(Outcome.ACCEPTED, "interim HTTP " + status
                    + " and no final response by the deadline: an HTTP server read the plaintext request",
                    Optional.empty(), false);
        }
        String head = "HTTP " + status + (response.interim() > 0 ? " (after an interim " + response.interim() + ")" : "");
        if (status == 403 && body.startsWith(RBAC_DENIED)) {
            return new Classified(Outcome.DENIED, head + " \"RBAC: access denied\": an AuthorizationPolicy denied the call",
                    Optional.empty(), whole);
        }
        if (status == 503 && startsWithAny(body, ENVOY_503)) {
            return new Classified(Outcome.MESH_ERROR,
                    head + " from the sidecar: " + Sanitize.text(body.strip(), 160), Optional.empty(), whole);
        }
        if (status >= 500) {
            return new Classified(Outcome.HTTP_ERROR, head + " from the target" + note, Optional.empty(), whole);
        }
        if (!echoTarget) {
            return new Classified(Outcome.ACCEPTED, head
                    + "; the target is declared not to echo request headers, so mTLS is not observable" + note,
                    Optional.empty(), whole);
        }
        if (status < 200 || status >= 300 || status == 204) {
            return new Classified(Outcome.ACCEPTED, head + " from an echo target: not an echo of the request headers"
                    + note, Optional.empty(), false);
        }
        if (response.framing() != HttpResponse.Framing.COMPLETE) {
            return new Classified(Outcome.ACCEPTED, head + " from an echo target, but not a complete echo" + note,
                    Optional.empty(), false);
        }
        Optional<Echo> echo = echo(response.body());
        if (echo.isEmpty()) {
            return new Classified(Outcome.ACCEPTED, head
                    + " from an echo target, but the body does not parse as an echo of the request headers",
                    Optional.empty(), false);
        }
        return fromEcho(head, echo.get().xfcc());
    }

    private static Classified fromEcho(String head, String xfcc) {
        if (xfcc == null) {
            return new Classified(Outcome.PLAINTEXT,
                    head + "; the echoed request headers hold no X-Forwarded-Client-Cert", Optional.empty(), true);
        }
        Optional<PeerIdentity> id = Xfcc.identity(xfcc);
        if (id.isEmpty()) {
            return new Classified(Outcome.ERROR, head
                    + "; the echoed X-Forwarded-Client-Cert is malformed or names no client URI: "
                    + Sanitize.text(xfcc, 120), Optional.empty(), true);
        }
        return new Classified(Outcome.MTLS, head + " over mutual TLS: client " + id.get().clientId()
                + ", server " + id.get().serverId(), id, true);
    }

    /**
     * Reads an httpbin-style echo ({@code {"headers": {...}}}; values are strings, or arrays in go-httpbin).
     *
     * @return empty when the body is not such an echo
     */
    static Optional<Echo> echo(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i == body.length || body[i] != '{') {
            return Optional.empty();
        }
        JsonNode headers;
        try {
            headers = JSON.readTree(body).get("headers");
        } catch (Exception e) { // hostile or truncated JSON is simply not an echo
            return Optional.empty();
        }
        if (headers == null || !headers.isObject()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase(XFCC)) {
                return Optional.of(new Echo(text(field.getValue())));
            }
        }
        return Optional.of(new Echo(null));
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode v : value) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(v.asText());
            }
            return sb.toString();
        }
        return value.asText();
    }

    private static boolean startsWithAny(String body, String[] prefixes) {
        for (String p : prefixes) {
            if (body.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
