package dev.mtlsprobe.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.Expectation.Protection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A port's state from its endpoints' expectations and latest fresh outcomes: a finding needs an endpoint expected
 * STRICT that accepted plaintext; enforced needs every endpoint expected STRICT and seen to reset; a FIN, a timeout
 * or no fresh check is never enforced; policy that allows plaintext is information; unknown stays unknown.
 */
class PortStateTest {

    static final MtlsMode S = MtlsMode.STRICT;
    static final MtlsMode P = MtlsMode.PERMISSIVE;
    static final MtlsMode D = MtlsMode.DISABLE;
    static final MtlsMode U = null; // unknown
    static final Outcome RESET = Outcome.RESET;
    static final Outcome ACCEPTED = Outcome.ACCEPTED;
    static final Outcome NONE = null; // no fresh check

    /** An endpoint as (expected mode, latest fresh outcome). */
    record E(MtlsMode mode, Outcome outcome) {
    }

    static Arguments row(PortState expected, String why, E... endpoints) {
        return Arguments.of(why, expected, List.of(endpoints));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row(PortState.UNKNOWN, "no ready endpoint"),
                row(PortState.ENFORCED, "one endpoint, STRICT, reset", new E(S, RESET)),
                row(PortState.ENFORCED, "every endpoint STRICT and reset", new E(S, RESET), new E(S, RESET)),
                row(PortState.FINDING, "STRICT, accepted", new E(S, ACCEPTED)),
                row(PortState.FINDING, "one of two STRICT endpoints accepted", new E(S, RESET), new E(S, ACCEPTED)),
                row(PortState.FINDING, "a finding outranks a PERMISSIVE neighbour", new E(P, ACCEPTED),
                        new E(S, ACCEPTED)),
                row(PortState.FINDING, "a finding outranks an unknown neighbour", new E(U, NONE), new E(S, ACCEPTED)),
                row(PortState.UNPROVEN, "STRICT, closed with FIN: no proof", new E(S, Outcome.CLOSED)),
                row(PortState.UNPROVEN, "STRICT, timeout", new E(S, Outcome.TIMEOUT)),
                row(PortState.UNPROVEN, "STRICT, refused", new E(S, Outcome.REFUSED)),
                row(PortState.UNPROVEN, "STRICT, not checked yet (or stale)", new E(S, NONE)),
                row(PortState.UNPROVEN, "one endpoint reset, the other not checked", new E(S, RESET), new E(S, NONE)),
                row(PortState.NOT_STRICT, "PERMISSIVE by policy, accepted: information", new E(P, ACCEPTED)),
                row(PortState.NOT_STRICT, "DISABLE by policy, reset", new E(D, RESET)),
                row(PortState.NOT_STRICT, "one endpoint PERMISSIVE, one STRICT and reset", new E(S, RESET),
                        new E(P, RESET)),
                row(PortState.UNKNOWN, "expectation unknown, accepted: not a finding", new E(U, ACCEPTED)),
                row(PortState.UNKNOWN, "expectation unknown, reset: not enforced", new E(U, RESET)),
                row(PortState.UNKNOWN, "one unknown among STRICT resets", new E(S, RESET), new E(U, RESET)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void stateOfAPort(String why, PortState expected, List<E> endpoints) {
        List<EndpointPlan> plans = new ArrayList<>();
        Map<EndpointPlan, Outcome> latest = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            E e = endpoints.get(i);
            EndpointPlan plan = new EndpointPlan("pod-" + i, "10.0.0." + i, 8080,
                    new Expectation(e.mode(), Protection.SIDECAR, "test"));
            plans.add(plan);
            if (e.outcome() != null) {
                latest.put(plan, e.outcome());
            }
        }
        assertEquals(expected, PortState.of(plans, latest::get));
    }
}
