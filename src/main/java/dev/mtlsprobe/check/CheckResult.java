package dev.mtlsprobe.check;

import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * A finished check and what it concludes, as pure functions of its lanes: the overall verdict and the exit code.
 *
 * @param role            the role of this process and the role it was meant to have; empty when the lanes came
 *                        from a simulated mesh that runs both roles (the dev-mode demo)
 * @param attemptsPerLane attempts asked for per lane
 * @param startedAtMillis unix time in milliseconds when the first attempt started
 * @param durationNanos   from the first attempt to the last result
 */
public record CheckResult(Optional<RoleState> role, int attemptsPerLane, List<LaneResult> lanes,
        long startedAtMillis, long durationNanos) {

    /** Every lane passed. */
    public static final int EXIT_PASS = 0;
    /** A lane failed or the role is not the intended one; also a command line or configuration the check refuses. */
    public static final int EXIT_FAIL = 1;
    /** Nothing failed, but at least one lane proved nothing. */
    public static final int EXIT_INCONCLUSIVE = 2;

    public CheckResult {
        lanes = List.copyOf(lanes);
    }

    /** A pod whose role is not the intended one proves nothing about either role, whatever its lanes say. */
    public boolean roleMismatch() {
        return role.map(RoleState::mismatch).orElse(false);
    }

    public Verdict verdict() {
        if (roleMismatch() || lanes.stream().anyMatch(l -> l.verdict() == Verdict.FAIL)) {
            return Verdict.FAIL;
        }
        return !lanes.isEmpty() && lanes.stream().allMatch(l -> l.verdict() == Verdict.PASS) ? Verdict.PASS
                : Verdict.INCONCLUSIVE;
    }

    public int exitCode() {
        return exitCode(verdict());
    }

    public static int exitCode(Verdict v) {
        return switch (v) {
            case PASS -> EXIT_PASS;
            case FAIL -> EXIT_FAIL;
            case INCONCLUSIVE -> EXIT_INCONCLUSIVE;
        };
    }

    public long lanes(Verdict v) {
        return lanes.stream().filter(l -> l.verdict() == v).count();
    }

    public double durationSeconds() {
        return durationNanos / 1e9;
    }
}
