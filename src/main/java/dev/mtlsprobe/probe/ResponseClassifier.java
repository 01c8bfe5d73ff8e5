package dev.mtlsprobe.probe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** Maps an HTTP response to an outcome of the closed set. Pure: no I/O, no state. */
public final class ResponseClassifier {

    /** What a response means, before the attempt's timing is attached. */
    public record Classified(Outcome outcome, String reason, Optional<PeerIdentity> identity) {
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

    public static Classified classify(HttpResponse response) {
        int status = response.status();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (status == 403 && body.startsWith(RBAC_DENIED)) {
            return new Classified(Outcome.DENIED, "HTTP 403 \"RBAC: access denied\": an AuthorizationPolicy denied the call",
                    Optional.empty());
        }
        if (status == 503 && startsWithAny(body, ENVOY_503)) {
            return new Classified(Outcome.MESH_ERROR,
                    "HTTP 503 from the sidecar: " + Sanitize.text(body.strip(), 160), Optional.empty());
        }
        if (status >= 500) {
            return new Classified(Outcome.HTTP_ERROR, "HTTP " + status + " from the target", Optional.empty());
        }
        if (status >= 200 && status < 300) {
            Optional<Echo> echo = echo(response.body());
            if (echo.isPresent()) {
                return fromEcho(status, echo.get().xfcc());
            }
        }
        return new Classified(Outcome.ACCEPTED,
                "HTTP " + status + "; the target does not echo request headers, so mTLS is not observable",
                Optional.empty());
    }

    private static Classified fromEcho(int status, String xfcc) {
        if (xfcc == null) {
            return new Classified(Outcome.PLAINTEXT,
                    "HTTP " + status + "; the echoed request headers hold no X-Forwarded-Client-Cert", Optional.empty());
        }
        Optional<PeerIdentity> id = Xfcc.identity(xfcc);
        if (id.isEmpty()) {
            return new Classified(Outcome.ERROR, "HTTP " + status
                    + "; the echoed X-Forwarded-Client-Cert is malformed or names no client URI: "
                    + Sanitize.text(xfcc, 120), Optional.empty());
        }
        return new Classified(Outcome.MTLS, "HTTP " + status + " over mutual TLS: client " + id.get().clientId()
                + ", server " + id.get().serverId(), id);
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
