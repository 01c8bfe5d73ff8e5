package dev.mtlsprobe.sweep;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The sweep's state: the current plan, each planned endpoint's latest check, the counters, the round. A check
 * older than three sweep intervals is no longer fresh and counts as none, so that a stalled sweep never keeps a
 * port looking enforced. A port that turns into a finding, or stops being one, is logged once, with its pods.
 */
public final class CoverageStore {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    /** The latest check of one endpoint. */
    record Checked(Outcome outcome, String reason, long atMillis) {
    }

    /** One port's series: aggregated over its endpoints, never per pod. */
    public record PortSample(String namespace, String service, int port, PortState state, int checked,
            int plaintext, long lastCheckMillis) {
    }

    /** A round as it runs: started, planned, done, ended (0 while it runs). */
    record Round(long startedAtMillis, long endedAtMillis, int planned, int done) {
    }

    private final long freshMillis;
    private final AtomicLong version = new AtomicLong();
    private final long[] attempts = new long[Outcome.values().length];
    private final Map<String, Map<String, Checked>> results = new HashMap<>();
    private final Map<String, PortState> states = new HashMap<>();
    private CoveragePlan plan = CoveragePlan.empty("no plan yet");
    private Map<String, PortPlan> planned = Map.of(); // the plan's ports by key: a result finds its port at once
    private Round round;
    private long skippedPorts;
    private long skippedEndpoints;
    private long lastRoundEnded;

    public CoverageStore(Duration interval) {
        this.freshMillis = interval.multipliedBy(3).toMillis();
    }

    /** A new plan: results of endpoints it no longer has are dropped. */
    synchronized void plan(CoveragePlan next) {
        plan = next;
        Map<String, PortPlan> byKey = new HashMap<>();
        next.ports().forEach(p -> byKey.put(p.key(), p));
        planned = byKey;
        Set<String> ports = new HashSet<>();
        for (PortPlan p : next.ports()) {
            ports.add(p.key());
            Map<String, Checked> r = results.get(p.key());
            if (r != null) {
                Set<String> endpoints = new HashSet<>();
                p.endpoints().forEach(e -> endpoints.add(e.key()));
                r.keySet().retainAll(endpoints);
            }
        }
        results.keySet().retainAll(ports);
        states.keySet().retainAll(ports);
        version.incrementAndGet();
    }

    synchronized CoveragePlan plan() {
        return plan;
    }

    /** A round starts with the current plan: what its caps leave out is counted once per round. */
    synchronized void roundStarted(long atMillis) {
        round = new Round(atMillis, 0, plan.checks(), 0);
        skippedPorts += plan.skippedServicePorts();
        skippedEndpoints += plan.skippedEndpoints();
        version.incrementAndGet();
    }

    synchronized void roundEnded(long atMillis) {
        if (round != null) {
            round = new Round(round.startedAtMillis(), atMillis, round.planned(), round.done());
            lastRoundEnded = atMillis;
            version.incrementAndGet();
        }
    }

    /** One check's result; dropped when its endpoint left the plan while it ran. */
    synchronized void record(PortPlan port, EndpointPlan endpoint, AttemptResult result) {
        attempts[result.outcome().ordinal()]++;
        if (round != null) {
            round = new Round(round.startedAtMillis(), round.endedAtMillis(), round.planned(), round.done() + 1);
        }
        version.incrementAndGet();
        PortPlan current = planned.get(port.key());
        if (current == null || current.endpoints().stream().noneMatch(e -> e.key().equals(endpoint.key()))) {
            return;
        }
        results.computeIfAbsent(port.key(), k -> new HashMap<>()).put(endpoint.key(),
                new Checked(result.outcome(), result.reason(), result.startedAtMillis()));
        PortState now = state(current, System.currentTimeMillis());
        PortState before = states.put(current.key(), now);
        if (now != before && (now == PortState.FINDING || before == PortState.FINDING)) {
            log(current, now, before);
        }
    }

    private void log(PortPlan port, PortState now, PortState before) {
        if (now != PortState.FINDING) {
            LOG.infof("coverage: port %s is %s now (was a finding)", port.key(), now.label());
            return;
        }
        long at = System.currentTimeMillis();
        for (EndpointPlan e : port.endpoints()) {
            Checked c = fresh(port, e, at);
            if (c != null && e.expectation().strict() && c.outcome().accepted()) {
                LOG.warnf("coverage: port %s accepts plaintext although it is expected STRICT (was %s): pod %s "
                        + "(%s) answered: %s; expected STRICT because %s", port.key(),
                        before == null ? "not checked" : before.label(), e.pod() == null ? "(none)" : e.pod(),
                        e.key(), c.reason(), e.expectation().why());
            }
        }
    }

    /** The latest check of an endpoint when it is fresh, else null. */
    synchronized Checked fresh(PortPlan port, EndpointPlan e, long now) {
        Map<String, Checked> r = results.get(port.key());
        Checked c = r == null ? null : r.get(e.key());
        return c == null || now - c.atMillis() > freshMillis ? null : c;
    }

    synchronized PortState state(PortPlan port, long now) {
        return PortState.of(port.endpoints(), e -> {
            Checked c = fresh(port, e, now);
            return c == null ? null : c.outcome();
        });
    }

    /** Every planned port's series. */
    public synchronized List<PortSample> samples(long now) {
        List<PortSample> out = new ArrayList<>(plan.ports().size());
        for (PortPlan p : plan.ports()) {
            int checked = 0;
            int plaintext = 0;
            long last = 0;
            for (EndpointPlan e : p.endpoints()) {
                Checked c = fresh(p, e, now);
                if (c != null) {
                    checked++;
                    plaintext += c.outcome().accepted() ? 1 : 0;
                    last = Math.max(last, c.atMillis());
                }
            }
            out.add(new PortSample(p.namespace(), p.service(), p.port(), state(p, now), checked, plaintext, last));
        }
        return out;
    }

    /** Checks so far, per outcome (indexed by ordinal). */
    public synchronized long[] attempts() {
        return attempts.clone();
    }

    /** Service ports and endpoints the caps left out, summed over rounds. */
    public synchronized long[] skipped() {
        return new long[] {skippedPorts, skippedEndpoints};
    }

    /** Unix time in milliseconds the latest round ended, 0 before the first did. */
    public synchronized long lastRoundEndedMillis() {
        return lastRoundEnded;
    }

    synchronized Round round() {
        return round;
    }

    /** Grows with every change. */
    public long version() {
        return version.get();
    }
}
