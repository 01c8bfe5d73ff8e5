package dev.mtlsprobe.check;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One (role, target) lane of a check: its attempts in the order they ran, each judged by the service's rules. */
public record LaneResult(Role role, TargetSpec target, List<Attempt> attempts) {

    public LaneResult {
        attempts = List.copyOf(attempts);
    }

    /**
     * Fail when any attempt failed: one plaintext call that got through is the finding, however many were refused.
     * Pass only when every attempt passed: an attempt that proved nothing (a timeout, a DNS error) is not averaged
     * away by the others. Anything else is inconclusive, and so is a lane without attempts.
     */
    public Verdict verdict() {
        if (count(Verdict.FAIL) > 0) {
            return Verdict.FAIL;
        }
        return !attempts.isEmpty() && count(Verdict.PASS) == attempts.size() ? Verdict.PASS : Verdict.INCONCLUSIVE;
    }

    /** The attempt that explains the verdict: the first that failed, else the first inconclusive, else the last. */
    public Optional<Attempt> deciding() {
        for (Verdict v : List.of(Verdict.FAIL, Verdict.INCONCLUSIVE)) {
            Optional<Attempt> first = attempts.stream().filter(a -> a.verdict() == v).findFirst();
            if (first.isPresent()) {
                return first;
            }
        }
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    public long count(Verdict v) {
        return attempts.stream().filter(a -> a.verdict() == v).count();
    }

    /** How many attempts had each outcome, in the order of the closed set; outcomes that did not occur are absent. */
    public Map<Outcome, Integer> outcomes() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        attempts.forEach(a -> counts.merge(a.result().outcome(), 1, Integer::sum));
        return counts;
    }

    /** Time spent in the lane's attempts, connect to last byte. */
    public double durationSeconds() {
        return attempts.stream().mapToDouble(a -> a.result().durationSeconds()).sum();
    }
}
