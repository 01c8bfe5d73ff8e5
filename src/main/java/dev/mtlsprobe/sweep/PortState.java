package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import java.util.List;
import java.util.function.Function;

/**
 * A service port's state, the {@code state} label: the expectation of its endpoints against what their latest
 * fresh checks observed. In the order the page lists them, the findings first.
 */
public enum PortState {
    /** An endpoint expected STRICT accepted plaintext. */
    FINDING("finding"),
    /** An endpoint is PERMISSIVE or DISABLE by policy: plaintext is allowed there, which is information. */
    NOT_STRICT("not_strict"),
    /** The expectation of an endpoint cannot be known, or the port has no ready endpoint. */
    UNKNOWN("unknown"),
    /** Expected STRICT, no plaintext accepted, but not every endpoint was seen to reset it (yet, or any more). */
    UNPROVEN("unproven"),
    /** Expected STRICT, and every endpoint reset plaintext on its latest fresh check. */
    ENFORCED("enforced");

    private final String label;

    PortState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * @param latest the outcome of an endpoint's latest check, or null when it has none that is fresh
     */
    static PortState of(List<EndpointPlan> endpoints, Function<EndpointPlan, Outcome> latest) {
        if (endpoints.isEmpty()) {
            return UNKNOWN;
        }
        boolean allReset = true;
        boolean notStrict = false;
        boolean unknown = false;
        for (EndpointPlan e : endpoints) {
            Outcome o = latest.apply(e);
            MtlsMode mode = e.expectation().mode();
            if (mode == MtlsMode.STRICT && o != null && o.accepted()) {
                return FINDING;
            }
            notStrict |= mode == MtlsMode.PERMISSIVE || mode == MtlsMode.DISABLE;
            unknown |= mode == null;
            allReset &= o == Outcome.RESET;
        }
        return notStrict ? NOT_STRICT : unknown ? UNKNOWN : allReset ? ENFORCED : UNPROVEN;
    }
}
