package dev.mtlsprobe.check;

import static dev.mtlsprobe.check.Markup.xmlAttribute;
import static dev.mtlsprobe.check.Markup.xmlText;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The report as JUnit XML, the format CI systems display (Jenkins, GitLab, GitHub Actions reporters): one
 * {@code testsuite} per role, one {@code testcase} per target. A failed lane is a {@code failure}; an inconclusive
 * one is {@code skipped}, because it is neither proven nor refuted (the exit code, 2, is what gates); a role that is
 * not the intended one is a failed test case of its own. Every attempt is listed in the case's {@code system-out}.
 */
public final class JunitReport {

    static final String SUITE = "mtls-probe check";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC);

    private JunitReport() {
    }

    public static String render(CheckResult r) {
        String timestamp = TIMESTAMP.format(Instant.ofEpochMilli(r.startedAtMillis()).truncatedTo(ChronoUnit.SECONDS));
        int mismatch = r.roleMismatch() ? 1 : 0;
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
                + "skipped=\"%d\" time=\"%s\" timestamp=\"%s\">\n", SUITE, r.lanes().size() + mismatch,
                r.lanes(Verdict.FAIL) + mismatch, r.lanes(Verdict.INCONCLUSIVE), JsonReport.seconds(r.durationSeconds()),
                timestamp));
        for (Role role : Role.values()) {
            List<LaneResult> lanes = r.lanes().stream().filter(l -> l.role() == role).toList();
            boolean roleCase = mismatch == 1 && r.role().get().role() == role;
            if (!lanes.isEmpty() || roleCase) {
                suite(sb, r, role, lanes, roleCase, timestamp);
            }
        }
        return sb.append("</testsuites>\n").toString();
    }

    private static void suite(StringBuilder sb, CheckResult r, Role role, List<LaneResult> lanes, boolean roleCase,
            String timestamp) {
        long failures = lanes.stream().filter(l -> l.verdict() == Verdict.FAIL).count() + (roleCase ? 1 : 0);
        long skipped = lanes.stream().filter(l -> l.verdict() == Verdict.INCONCLUSIVE).count();
        double time = lanes.stream().mapToDouble(LaneResult::durationSeconds).sum();
        sb.append(String.format(Locale.ROOT, "  <testsuite name=\"%s: %s\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
                + "skipped=\"%d\" time=\"%s\" timestamp=\"%s\">\n", SUITE, role.label(), lanes.size() + (roleCase ? 1 : 0),
                failures, skipped, JsonReport.seconds(time), timestamp));
        sb.append("    <properties>\n");
        property(sb, "verdict", r.verdict().label());
        property(sb, "exitCode", String.valueOf(r.exitCode()));
        property(sb, "attemptsPerLane", String.valueOf(r.attemptsPerLane()));
        r.role().ifPresent(s -> property(sb, "role", s.describe()));
        sb.append("    </properties>\n");
        String classname = "mtls-probe." + role.label();
        for (LaneResult lane : lanes) {
            sb.append(String.format(Locale.ROOT, "    <testcase name=\"%s\" classname=\"%s\" time=\"%s\">\n",
                    xmlAttribute(lane.target().name()), classname, JsonReport.seconds(lane.durationSeconds())));
            String reason = lane.deciding().map(a -> JsonReport.bounded(a.reason())).orElse("no attempt ran");
            String message = TextReport.outcomes(lane) + ": " + reason;
            String type = lane.deciding().map(a -> a.result().outcome().label()).orElse("none");
            String details = xmlText(lane.target().url() + "\n" + attempts(lane));
            if (lane.verdict() == Verdict.FAIL) { // the attempts where CI systems show a failure's details
                sb.append("      <failure message=\"").append(xmlAttribute(message)).append("\" type=\"").append(type)
                        .append("\">").append(details).append("</failure>\n");
            } else {
                if (lane.verdict() == Verdict.INCONCLUSIVE) {
                    sb.append("      <skipped message=\"").append(xmlAttribute("inconclusive: " + message))
                            .append("\"/>\n");
                }
                sb.append("      <system-out>").append(details).append("</system-out>\n");
            }
            sb.append("    </testcase>\n");
        }
        if (roleCase) {
            sb.append("    <testcase name=\"role is the intended one\" classname=\"").append(classname)
                    .append("\" time=\"0\">\n      <failure message=\"").append(xmlAttribute(r.role().get().describe()))
                    .append("\" type=\"role_mismatch\"/>\n    </testcase>\n");
        }
        sb.append("  </testsuite>\n");
    }

    private static void property(StringBuilder sb, String name, String value) {
        sb.append("      <property name=\"").append(name).append("\" value=\"").append(xmlAttribute(value)).append("\"/>\n");
    }

    /** One line per attempt: its number, outcome, verdict, time and reason. */
    private static String attempts(LaneResult lane) {
        StringBuilder sb = new StringBuilder();
        int i = 1;
        for (Attempt a : lane.attempts()) {
            sb.append(String.format(Locale.ROOT, "attempt %d: %s, %s, %.3fs: %s\n", i++, a.result().outcome().label(),
                    a.verdict().label(), a.result().durationSeconds(), JsonReport.bounded(a.reason())));
        }
        return sb.toString();
    }
}
