package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.probe.Greeting;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import java.time.Duration;
import java.util.List;

/** A coverage store filled as a round would fill it, for tests outside the sweep package (metrics, web). */
public final class Stores {

    private Stores() {
    }

    /**
     * Namespace {@code shop}: {@code legacy:80} (one pod without a sidecar, expected STRICT, accepted plaintext),
     * {@code orders:80} (two pods, reset), {@code partner:8443} (PERMISSIVE, not checked yet); one round ended at
     * {@code now}, the caps having left out 2 service ports and 3 endpoints.
     */
    public static CoverageStore shop(long now) {
        EndpointPlan legacy = endpoint("legacy-1", "10.0.0.1", MtlsMode.STRICT, Expectation.Protection.NO_SIDECAR);
        EndpointPlan orders1 = endpoint("orders-1", "10.0.0.2", MtlsMode.STRICT, Expectation.Protection.SIDECAR);
        EndpointPlan orders2 = endpoint("orders-2", "10.0.0.3", MtlsMode.STRICT, Expectation.Protection.SIDECAR);
        EndpointPlan partner = endpoint("partner-1", "10.0.0.4", MtlsMode.PERMISSIVE, Expectation.Protection.SIDECAR);
        PortPlan legacyPort = new PortPlan("shop", "legacy", 80, "http", Greeting.HTTP, 1, List.of(legacy));
        PortPlan ordersPort = new PortPlan("shop", "orders", 80, "http", Greeting.HTTP, 2, List.of(orders1, orders2));
        PortPlan partnerPort = new PortPlan("shop", "partner", 8443, "https", Greeting.HTTP, 1, List.of(partner));
        CoverageStore store = new CoverageStore(Duration.ofMinutes(5));
        store.plan(new CoveragePlan(List.of(legacyPort, ordersPort, partnerPort), 2, 3, List.of()));
        store.roundStarted(now - 2000);
        store.record(legacyPort, legacy, result(Outcome.ACCEPTED, now - 1500));
        store.record(ordersPort, orders1, result(Outcome.RESET, now - 1000));
        store.record(ordersPort, orders2, result(Outcome.RESET, now - 500));
        store.roundEnded(now);
        return store;
    }

    static EndpointPlan endpoint(String pod, String address, MtlsMode mode, Expectation.Protection protection) {
        return new EndpointPlan(pod, address, 8080, new Expectation(mode, protection, "because of " + pod));
    }

    static AttemptResult result(Outcome outcome, long at) {
        return AttemptResult.of(outcome, outcome.label() + " for the test", at, 1_000_000);
    }
}
