package dev.mtlsprobe.check;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.Sanitize;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report for people: one aligned line per (role, target) lane, then one summary line. */
public final class TextReport {

    static final int MAX_REASON = 300;

    private TextReport() {
    }

    public static String render(CheckResult r) {
        List<String[]> rows = new ArrayList<>();
        for (LaneResult lane : r.lanes()) {
            String reason = lane.deciding().map(Attempt::reason).orElse("no attempt ran");
            rows.add(new String[] {word(lane.verdict()), lane.role().label(), lane.target().name(), outcomes(lane),
                Sanitize.text(lane.target().url(), 200) + ": " + Sanitize.text(reason, MAX_REASON)});
        }
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
            }
            out.append(line.append(row[4]).toString().stripTrailing()).append('\n');
        }
        if (r.roleMismatch()) {
            out.append(word(Verdict.FAIL)).append("  role: ").append(Sanitize.text(r.role().get().describe(), 400))
                    .append('\n');
        }
        return out.append(summary(r)).append('\n').toString();
    }

    /** One line: the verdict and exit code, the lanes by verdict, the attempts, the role and the time taken. */
    public static String summary(CheckResult r) {
        String role = r.role().map(RoleState::describe).map(s -> Sanitize.text(s, 400))
                .orElse("roles from the simulated mesh");
        return String.format(Locale.ROOT, "mtls-probe check: %s (exit %d): %d lane(s): %d pass, %d fail, %d "
                + "inconclusive; %d attempt(s) each; %s; %.1fs", word(r.verdict()), r.exitCode(), r.lanes().size(),
                r.lanes(Verdict.PASS), r.lanes(Verdict.FAIL), r.lanes(Verdict.INCONCLUSIVE), r.attemptsPerLane(), role,
                r.durationSeconds());
    }

    static String word(Verdict v) {
        return v.label().toUpperCase(Locale.ROOT);
    }

    /** e.g. "reset 3/3" or "mtls 2/3, timeout 1/3". */
    static String outcomes(LaneResult lane) {
        int n = lane.attempts().size();
        Map<Outcome, Integer> counts = lane.outcomes();
        return counts.entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue() + "/" + n)
                .collect(Collectors.joining(", "));
    }
}
