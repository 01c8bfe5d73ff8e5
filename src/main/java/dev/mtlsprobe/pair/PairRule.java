package dev.mtlsprobe.pair;

import dev.mtlsprobe.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pair's verdict per target, by the rule of the recording rule {@code mtls_probe:enforced}
 * (src/mixin/rules/probe.libsonnet): a target is enforced while the {@code naked} verdict is pass <em>and</em> the
 * {@code sidecar} verdict is pass, each from an attempt at most {@value #STALE_INTERVALS} of its probe's intervals
 * old. Everything else is 0 in Prometheus; the page tells the two kinds of 0 apart: {@link State#NOT_ENFORCED}
 * when a fresh verdict is fail (evidence against), {@link State#UNPROVEN} when there is no fresh evidence either
 * way (inconclusive, no attempt yet, stale, peer unreachable). Stale data is never enforced, nor evidence against.
 */
public final class PairRule {

    /** The recording rule's {@code staleIntervals}. */
    public static final int STALE_INTERVALS = 3;
    private static final int NAMES_SHOWN = 5;

    public enum State {
        ENFORCED("enforced"), NOT_ENFORCED("not-enforced"), UNPROVEN("unproven");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What one role says about one target now.
     *
     * @param verdict        the latest verdict, or null when there is none to read (why: {@code missing})
     * @param outcome        the latest outcome, for the reason
     * @param ageMillis      how old the latest attempt is
     * @param intervalMillis the interval of the probe that made it
     */
    public record Side(Verdict verdict, String outcome, long ageMillis, long intervalMillis, String missing) {

        public static Side of(Verdict verdict, String outcome, long ageMillis, long intervalMillis) {
            return new Side(verdict, outcome, ageMillis, intervalMillis, null);
        }

        public static Side none(String why) {
            return new Side(null, null, 0, 1, why);
        }

        public boolean fresh() {
            return verdict != null && ageMillis <= STALE_INTERVALS * intervalMillis;
        }

        boolean is(Verdict v) {
            return fresh() && verdict == v;
        }

        /** Why this side proves nothing now. */
        String gap() {
            if (verdict == null) {
                return missing;
            }
            return fresh() ? verdict.label() + " (" + outcome + ")" : "no attempt for " + ageMillis / 1000 + " s";
        }
    }

    /** One target's pair state and the reason in a few words. */
    public record Target(String target, State state, String reason) {
    }

    /** The page's headline: the state over all targets, its text and one sentence on why. */
    public record Headline(State state, String text, String detail) {
    }

    private PairRule() {
    }

    public static Target judge(String target, Side naked, Side sidecar) {
        if (naked.is(Verdict.PASS) && sidecar.is(Verdict.PASS)) {
            return new Target(target, State.ENFORCED, "plaintext " + naked.outcome() + ", meshed call "
                    + sidecar.outcome());
        }
        if (naked.is(Verdict.FAIL)) {
            return new Target(target, State.NOT_ENFORCED, naked.outcome().equals("mtls")
                    ? "the naked probe's call came back as mtls: it is not naked"
                    : "a pod without a sidecar got through (" + naked.outcome() + ")");
        }
        if (sidecar.is(Verdict.FAIL)) {
            return new Target(target, State.NOT_ENFORCED, "meshed call failing (" + sidecar.outcome() + ")");
        }
        return new Target(target, State.UNPROVEN, naked.is(Verdict.PASS) ? "sidecar: " + sidecar.gap()
                : "naked: " + naked.gap());
    }

    /** Enforced only when every target is; not enforced when any target has fresh evidence against. */
    public static Headline headline(List<Target> targets) {
        if (targets.isEmpty()) {
            return new Headline(State.UNPROVEN, "mTLS unproven", "no target has been probed yet");
        }
        if (targets.stream().allMatch(t -> t.state() == State.ENFORCED)) {
            return new Headline(State.ENFORCED, "mTLS enforced", (targets.size() == 1 ? "the target: "
                    : "all " + targets.size() + " targets: ")
                    + "plaintext from the pod without a sidecar is rejected and the meshed call proves mutual TLS");
        }
        State worst = targets.stream().anyMatch(t -> t.state() == State.NOT_ENFORCED) ? State.NOT_ENFORCED
                : State.UNPROVEN;
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (Target t : targets) {
            if (t.state() == worst) {
                byReason.computeIfAbsent(t.reason(), r -> new ArrayList<>()).add(t.target());
            }
        }
        List<String> parts = new ArrayList<>();
        byReason.forEach((reason, names) -> parts.add(reason + ": " + names(names)));
        String detail = parts.size() > 3 ? String.join("; ", parts.subList(0, 3)) + "; and " + (parts.size() - 3)
                + " more reasons" : String.join("; ", parts);
        return new Headline(worst, worst == State.NOT_ENFORCED ? "mTLS NOT enforced" : "mTLS unproven", detail);
    }

    private static String names(List<String> names) {
        return names.size() <= NAMES_SHOWN ? String.join(", ", names)
                : String.join(", ", names.subList(0, NAMES_SHOWN)) + " and " + (names.size() - NAMES_SHOWN) + " more";
    }
}
