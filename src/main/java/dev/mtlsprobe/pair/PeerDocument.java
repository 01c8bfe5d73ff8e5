package dev.mtlsprobe.pair;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Sanitize;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.status.AttemptRecord;
import dev.mtlsprobe.status.CellView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the peer's status document. It comes from the network, so nothing is taken on trust: the size is bounded
 * before this is called, every field is checked against what the probe itself would write (closed sets for role,
 * outcome and verdict, the timeline's alphabet, sane numbers), every text is cut to printable ASCII of bounded
 * length, and a document that fails any check is refused whole, never half read.
 */
public final class PeerDocument {

    /** More cells than any configuration has targets: a document claiming more is not a probe's. */
    static final int MAX_CELLS = 20_000;
    /** The probe's own bound on reasons (300, then "..."), with room to spare. */
    private static final int MAX_REASON = 310;
    private static final Pattern TARGET = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TIMELINE = Pattern.compile("[-pifPIF]{60}");
    private static final Set<String> ROLES = Set.of("naked", "sidecar");
    private static final Set<String> OUTCOMES = Arrays.stream(Outcome.values()).map(Outcome::label)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> VERDICTS = Arrays.stream(Verdict.values()).map(Verdict::label)
            .collect(Collectors.toUnmodifiableSet());

    /** The document is not a probe's status; the message says which field, sanitised. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private PeerDocument() {
    }

    public static PeerStatus parse(byte[] body, ObjectMapper json) throws Invalid {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new Invalid("not JSON (" + Sanitize.text(e.getOriginalMessage(), 80) + ")");
        } catch (java.io.IOException | RuntimeException e) {
            throw new Invalid("not JSON (" + Sanitize.text(String.valueOf(e.getMessage()), 80) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("not a JSON object");
        }
        String role = text(root, "role", 20, true);
        if (!ROLES.contains(role)) {
            throw new Invalid("role " + role + " is neither naked nor sidecar"
                    + (role.equals("demo") ? " (the peer runs the demo mesh)" : ""));
        }
        double interval = number(root, "intervalSeconds", 0.001, 3600);
        JsonNode cells = root.get("targets");
        if (cells == null || !cells.isArray()) {
            throw new Invalid("targets is not a list");
        }
        if (cells.size() > MAX_CELLS) {
            throw new Invalid("more than " + MAX_CELLS + " targets");
        }
        List<CellView> targets = new ArrayList<>(cells.size());
        for (JsonNode c : cells) {
            targets.add(cell(c, role));
        }
        String intended = text(root, "intendedRole", 20, false);
        return new PeerStatus(text(root, "version", 100, false), time(root, "generatedAtMillis", true), role,
                text(root, "roleSource", 40, false), ROLES.contains(intended) ? intended : null,
                root.path("roleMismatch").asBoolean(false), text(root, "roleReason", 400, false),
                text(root, "interval", 20, false), interval, targets);
    }

    private static CellView cell(JsonNode c, String role) throws Invalid {
        if (!c.isObject()) {
            throw new Invalid("a target is not an object");
        }
        String name = text(c, "target", 63, true);
        if (!TARGET.matcher(name).matches()) {
            throw new Invalid("target name " + name + " is not a target name");
        }
        if (!role.equals(text(c, "role", 20, true))) {
            throw new Invalid("target " + name + " has another role than the document");
        }
        JsonNode l = c.get("latest");
        AttemptRecord latest = null;
        if (l != null && !l.isNull()) {
            if (!l.isObject()) {
                throw new Invalid("latest of " + name + " is not an object");
            }
            String outcome = text(l, "outcome", 20, true);
            String verdict = text(l, "verdict", 20, true);
            if (!OUTCOMES.contains(outcome) || !VERDICTS.contains(verdict)) {
                throw new Invalid("target " + name + " has an unknown outcome or verdict");
            }
            latest = new AttemptRecord(time(l, "startedAtMillis", true), outcome, verdict,
                    text(l, "reason", MAX_REASON, false), number(l, "durationSeconds", 0, 3600),
                    (int) number(l, "httpStatus", 0, 999), text(l, "clientId", 300, false),
                    text(l, "serverId", 300, false));
        }
        String timeline = text(c, "timeline", 60, false);
        if (timeline != null && !TIMELINE.matcher(timeline).matches()) {
            throw new Invalid("timeline of " + name + " is not 60 of -pifPIF");
        }
        Long since = latest == null ? null : time(c, "verdictSinceMillis", false);
        Long lastPass = latest == null ? null : c.has("lastPassMillis") ? time(c, "lastPassMillis", false) : null;
        return new CellView(name, text(c, "url", 500, false), role, c.path("echo").asBoolean(false), latest,
                since, lastPass, text(c, "clientId", 300, false), text(c, "serverId", 300, false), null, timeline);
    }

    /** A text field, sanitised and cut; null when absent and not required. */
    private static String text(JsonNode o, String field, int max, boolean required) throws Invalid {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Invalid(field + " is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid(field + " is not a text");
        }
        return Sanitize.text(v.textValue(), max);
    }

    private static double number(JsonNode o, String field, double min, double max) throws Invalid {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            throw new Invalid(field + " is not a number from " + min + " to " + max);
        }
        return v.asDouble();
    }

    /** Unix milliseconds (0 for "never"), or null when absent and not required. */
    private static Long time(JsonNode o, String field, boolean required) throws Invalid {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Invalid(field + " is missing");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > 100_000_000_000_000L) {
            throw new Invalid(field + " is not a time in milliseconds");
        }
        return v.asLong();
    }
}
