package dev.mtlsprobe.check;

import static dev.mtlsprobe.check.Markup.json;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.Sanitize;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The report for programs, one JSON object. Field names follow {@code /api/status} where they mean the same
 * ({@code role}, {@code roleSource}, {@code intendedRole}, {@code roleMismatch}, {@code roleReason}; an attempt's
 * {@code outcome}, {@code verdict}, {@code reason}, {@code durationSeconds}, {@code httpStatus}, identities).
 * Written by hand: a few fixed fields, and nothing to register for reflection in the native image.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static String render(CheckResult r) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"verdict\":").append(json(r.verdict().label()));
        sb.append(",\"exitCode\":").append(r.exitCode());
        sb.append(",\"summary\":").append(json(TextReport.summary(r)));
        sb.append(",\"startedAt\":").append(json(Instant.ofEpochMilli(r.startedAtMillis()).toString()));
        sb.append(",\"durationSeconds\":").append(seconds(r.durationSeconds()));
        sb.append(",\"attemptsPerLane\":").append(r.attemptsPerLane());
        sb.append(",\"counts\":{");
        sb.append(Stream.of(Verdict.values()).map(v -> json(v.label()) + ":" + r.lanes(v)).collect(Collectors.joining(",")));
        sb.append('}');
        r.role().ifPresent(role -> role(sb, role));
        sb.append(",\"lanes\":[");
        sb.append(r.lanes().stream().map(JsonReport::lane).collect(Collectors.joining(",")));
        return sb.append("]}\n").toString();
    }

    private static void role(StringBuilder sb, RoleState role) {
        sb.append(",\"role\":").append(json(role.role().label()));
        sb.append(",\"roleSource\":").append(json(role.source()));
        sb.append(",\"intendedRole\":").append(json(role.intended().label()));
        sb.append(",\"roleMismatch\":").append(role.mismatch());
        sb.append(",\"roleReason\":").append(json(Sanitize.text(role.describe(), 400)));
    }

    private static String lane(LaneResult lane) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"role\":").append(json(lane.role().label()));
        sb.append(",\"target\":").append(json(lane.target().name()));
        sb.append(",\"url\":").append(json(lane.target().url()));
        sb.append(",\"verdict\":").append(json(lane.verdict().label()));
        sb.append(",\"reason\":").append(json(lane.deciding().map(a -> bounded(a.reason())).orElse("no attempt ran")));
        sb.append(",\"outcomes\":{").append(lane.outcomes().entrySet().stream()
                .map(e -> json(e.getKey().label()) + ":" + e.getValue()).collect(Collectors.joining(","))).append('}');
        sb.append(",\"attempts\":[").append(lane.attempts().stream().map(JsonReport::attempt)
                .collect(Collectors.joining(","))).append(']');
        return sb.append('}').toString();
    }

    private static String attempt(Attempt a) {
        AttemptResult r = a.result();
        return "{\"startedAtMillis\":" + r.startedAtMillis()
                + ",\"outcome\":" + json(r.outcome().label())
                + ",\"verdict\":" + json(a.verdict().label())
                + ",\"reason\":" + json(bounded(a.reason()))
                + ",\"durationSeconds\":" + seconds(r.durationSeconds())
                + ",\"httpStatus\":" + r.httpStatus()
                + ",\"clientId\":" + json(r.identity().map(PeerIdentity::clientId).orElse(null))
                + ",\"serverId\":" + json(r.identity().map(PeerIdentity::serverId).orElse(null)) + "}";
    }

    static String bounded(String reason) {
        return reason.length() > TextReport.MAX_REASON ? reason.substring(0, TextReport.MAX_REASON) + "..." : reason;
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
