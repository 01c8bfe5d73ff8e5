package dev.mtlsprobe.metrics;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.sweep.CoverageStore;
import dev.mtlsprobe.sweep.PortState;
import dev.mtlsprobe.sweep.Sweep;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The coverage sweep's series, read at scrape time from its store, only while the sweep runs: per service port
 * (target_namespace, service, port) its state and how many endpoints were checked and accepted plaintext, never a
 * series per pod or address; and the sweep's own counters.
 */
@ApplicationScoped
public class CoverageFamilies {

    private static final String PREFIX = "mtls_probe_sweep_";
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final PortState[] STATES = PortState.values();

    private final Sweep sweep;

    public CoverageFamilies(Sweep sweep) {
        this.sweep = sweep;
    }

    void write(Exposition out) {
        sweep.store().ifPresent(store -> write(store, out, System.currentTimeMillis()));
    }

    static void write(CoverageStore store, Exposition out, long now) {
        List<CoverageStore.PortSample> ports = store.samples(now);
        out.header(PREFIX + "attempts", "counter", "Plaintext checks of the coverage sweep");
        long[] attempts = store.attempts();
        for (Outcome o : OUTCOMES) {
            out.open(PREFIX + "attempts_total").label("outcome", o.label(), true).close().count(attempts[o.ordinal()]);
        }
        long[] skipped = store.skipped();
        out.header(PREFIX + "skipped", "counter", "Service ports and endpoints the sweep's caps left out, per round");
        out.open(PREFIX + "skipped_total").label("what", "endpoint", true).close().count(skipped[1]);
        out.open(PREFIX + "skipped_total").label("what", "service_port", true).close().count(skipped[0]);
        if (store.lastRoundEndedMillis() > 0) {
            out.header(PREFIX + "last_round_timestamp_seconds", "gauge", "Unix time the latest sweep round ended");
            out.plain(PREFIX + "last_round_timestamp_seconds", store.lastRoundEndedMillis() / 1000.0);
        }
        if (ports.isEmpty()) {
            return;
        }
        out.header(PREFIX + "port_state", "gauge", "1 for the state of the service port, 0 for the others");
        for (CoverageStore.PortSample p : ports) {
            for (PortState s : STATES) {
                port(out, PREFIX + "port_state", p, s).flag(s == p.state());
            }
        }
        out.header(PREFIX + "endpoints_checked", "gauge", "Endpoints of the service port with a fresh check");
        ports.forEach(p -> port(out, PREFIX + "endpoints_checked", p, null).count(p.checked()));
        out.header(PREFIX + "endpoints_plaintext", "gauge",
                "Endpoints of the service port whose latest fresh check accepted plaintext");
        ports.forEach(p -> port(out, PREFIX + "endpoints_plaintext", p, null).count(p.plaintext()));
        out.header(PREFIX + "last_check_timestamp_seconds", "gauge",
                "Unix time of the latest fresh check of the service port");
        ports.stream().filter(p -> p.lastCheckMillis() > 0).forEach(p -> port(out,
                PREFIX + "last_check_timestamp_seconds", p, null).value(p.lastCheckMillis() / 1000.0).raw("\n"));
    }

    /** Opens a per-port sample: labels in name order, as every family of the probe writes them. */
    private static Exposition port(Exposition out, String name, CoverageStore.PortSample p, PortState state) {
        out.open(name).label("port", String.valueOf(p.port()), true).label("service", p.service(), false);
        if (state != null) {
            out.label("state", state.label(), false);
        }
        return out.label("target_namespace", p.namespace(), false).close();
    }
}
