package dev.mtlsprobe.sweep;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.SweepSettings;
import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code /api/coverage} from the store: ports in state order (findings first), then by name. */
final class CoverageViews {

    private CoverageViews() {
    }

    /**
     * @param store null when the sweep does not run
     * @param all   endpoints for every port, not only for those that are not enforced
     */
    static CoverageView view(String version, boolean running, String reason, SweepSettings s, List<String> namespaces,
            CoverageStore store, boolean all, long now) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PortState st : PortState.values()) {
            counts.put(st.label(), 0);
        }
        List<CoverageView.Port> ports = new ArrayList<>();
        CoverageView.Round round = null;
        CoverageView.Skipped skipped = null;
        List<String> waiting = List.of();
        if (store != null) {
            CoveragePlan plan = store.plan();
            for (PortPlan p : plan.ports()) {
                CoverageView.Port v = port(store, p, all, now);
                counts.merge(v.state(), 1, Integer::sum);
                ports.add(v);
            }
            ports.sort(Comparator.comparing((CoverageView.Port p) -> PortState.valueOf(p.state().toUpperCase(
                    java.util.Locale.ROOT)).ordinal()).thenComparing(CoverageView.Port::namespace)
                    .thenComparing(CoverageView.Port::service).thenComparing(CoverageView.Port::port));
            CoverageStore.Round r = store.round();
            round = r == null ? null : new CoverageView.Round(r.startedAtMillis(),
                    r.endedAtMillis() == 0 ? null : r.endedAtMillis(), r.planned(), r.done());
            skipped = new CoverageView.Skipped(plan.skippedServicePorts(), plan.skippedEndpoints());
            waiting = plan.waiting();
        }
        return new CoverageView(version, now, running, reason, namespaces, s.namespaceSelector(),
                Durations.format(s.interval()), s.rate(), s.concurrency(), s.maxServicePorts(),
                s.maxEndpointsPerPort(), round, skipped, counts, waiting, ports);
    }

    private static CoverageView.Port port(CoverageStore store, PortPlan p, boolean all, long now) {
        PortState state = store.state(p, now);
        EndpointPlan decisive = null; // the first endpoint expected STRICT that accepted plaintext, on a finding
        int checked = 0;
        int plaintext = 0;
        long last = 0;
        List<CoverageView.Endpoint> endpoints = new ArrayList<>();
        for (EndpointPlan e : p.endpoints()) {
            CoverageStore.Checked c = store.fresh(p, e, now);
            if (c != null) {
                checked++;
                last = Math.max(last, c.atMillis());
                if (c.outcome().accepted()) {
                    plaintext++;
                    if (decisive == null && state == PortState.FINDING && e.expectation().strict()) {
                        decisive = e;
                    }
                }
            }
            endpoints.add(new CoverageView.Endpoint(e.pod(), e.address(), e.targetPort(), e.expectation().expected(),
                    e.expectation().protection().label(), c == null ? null : c.outcome().label(),
                    c == null ? null : c.reason(), c == null ? null : c.atMillis()));
        }
        if (decisive == null && !p.endpoints().isEmpty()) {
            decisive = p.endpoints().get(0); // the riskiest, as the plan orders them
        }
        String why = decisive == null ? "the Service port has no ready endpoint" : decisive.expectation().why();
        return new CoverageView.Port(p.namespace(), p.service(), p.port(), p.portName(),
                p.greeting().name().toLowerCase(java.util.Locale.ROOT), state.label(), weakest(p), why,
                p.readyEndpoints(), checked, plaintext, last == 0 ? null : last,
                all || state != PortState.ENFORCED ? endpoints : null);
    }

    /** The weakest expectation over the endpoints: unknown, DISABLE, PERMISSIVE, STRICT. */
    private static String weakest(PortPlan p) {
        if (p.endpoints().isEmpty() || p.endpoints().stream().anyMatch(e -> e.expectation().mode() == null)) {
            return "unknown";
        }
        for (MtlsMode m : new MtlsMode[] {MtlsMode.DISABLE, MtlsMode.PERMISSIVE}) {
            if (p.endpoints().stream().anyMatch(e -> e.expectation().mode() == m)) {
                return m.name();
            }
        }
        return MtlsMode.STRICT.name();
    }
}
