package dev.mtlsprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtlsprobe.sweep.CoverageStore;
import dev.mtlsprobe.sweep.Stores;
import org.junit.jupiter.api.Test;

/**
 * The sweep's families, as the scrape writes them: per (target_namespace, service, port), never per pod or
 * address; every outcome's counter from the start; the text formats exactly as the other families write them.
 */
class CoverageFamiliesTest {

    static final long NOW = 1_795_840_394_503L;

    static String text(CoverageStore store, boolean openMetrics) {
        StringBuilder out = new StringBuilder();
        CoverageFamilies.write(store, new Exposition(out, openMetrics), NOW);
        return out.toString();
    }

    @Test
    void perServicePortAndNeverPerPod() {
        String ports = """
                # HELP mtls_probe_sweep_port_state 1 for the state of the service port, 0 for the others
                # TYPE mtls_probe_sweep_port_state gauge
                mtls_probe_sweep_port_state{port="80",service="legacy",state="finding",target_namespace="shop",} 1.0
                mtls_probe_sweep_port_state{port="80",service="legacy",state="not_strict",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="legacy",state="unknown",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="legacy",state="unproven",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="legacy",state="enforced",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="orders",state="finding",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="orders",state="not_strict",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="orders",state="unknown",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="orders",state="unproven",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="80",service="orders",state="enforced",target_namespace="shop",} 1.0
                mtls_probe_sweep_port_state{port="8443",service="partner",state="finding",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="8443",service="partner",state="not_strict",target_namespace="shop",} 1.0
                mtls_probe_sweep_port_state{port="8443",service="partner",state="unknown",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="8443",service="partner",state="unproven",target_namespace="shop",} 0.0
                mtls_probe_sweep_port_state{port="8443",service="partner",state="enforced",target_namespace="shop",} 0.0
                # HELP mtls_probe_sweep_endpoints_checked Endpoints of the service port with a fresh check
                # TYPE mtls_probe_sweep_endpoints_checked gauge
                mtls_probe_sweep_endpoints_checked{port="80",service="legacy",target_namespace="shop",} 1.0
                mtls_probe_sweep_endpoints_checked{port="80",service="orders",target_namespace="shop",} 2.0
                mtls_probe_sweep_endpoints_checked{port="8443",service="partner",target_namespace="shop",} 0.0
                # HELP mtls_probe_sweep_endpoints_plaintext Endpoints of the service port whose latest fresh check accepted plaintext
                # TYPE mtls_probe_sweep_endpoints_plaintext gauge
                mtls_probe_sweep_endpoints_plaintext{port="80",service="legacy",target_namespace="shop",} 1.0
                mtls_probe_sweep_endpoints_plaintext{port="80",service="orders",target_namespace="shop",} 0.0
                mtls_probe_sweep_endpoints_plaintext{port="8443",service="partner",target_namespace="shop",} 0.0
                # HELP mtls_probe_sweep_last_check_timestamp_seconds Unix time of the latest fresh check of the service port
                # TYPE mtls_probe_sweep_last_check_timestamp_seconds gauge
                mtls_probe_sweep_last_check_timestamp_seconds{port="80",service="legacy",target_namespace="shop",} 1.795840393003E9
                mtls_probe_sweep_last_check_timestamp_seconds{port="80",service="orders",target_namespace="shop",} 1.795840394003E9
                """;
        String head = """
                # HELP mtls_probe_sweep_attempts_total Plaintext checks of the coverage sweep
                # TYPE mtls_probe_sweep_attempts_total counter
                mtls_probe_sweep_attempts_total{outcome="mtls",} 0.0
                mtls_probe_sweep_attempts_total{outcome="plaintext",} 0.0
                mtls_probe_sweep_attempts_total{outcome="accepted",} 1.0
                mtls_probe_sweep_attempts_total{outcome="reset",} 2.0
                mtls_probe_sweep_attempts_total{outcome="closed",} 0.0
                mtls_probe_sweep_attempts_total{outcome="denied",} 0.0
                mtls_probe_sweep_attempts_total{outcome="mesh_error",} 0.0
                mtls_probe_sweep_attempts_total{outcome="refused",} 0.0
                mtls_probe_sweep_attempts_total{outcome="timeout",} 0.0
                mtls_probe_sweep_attempts_total{outcome="dns_error",} 0.0
                mtls_probe_sweep_attempts_total{outcome="http_error",} 0.0
                mtls_probe_sweep_attempts_total{outcome="error",} 0.0
                # HELP mtls_probe_sweep_skipped_total Service ports and endpoints the sweep's caps left out, per round
                # TYPE mtls_probe_sweep_skipped_total counter
                mtls_probe_sweep_skipped_total{what="endpoint",} 3.0
                mtls_probe_sweep_skipped_total{what="service_port",} 2.0
                # HELP mtls_probe_sweep_last_round_timestamp_seconds Unix time the latest sweep round ended
                # TYPE mtls_probe_sweep_last_round_timestamp_seconds gauge
                mtls_probe_sweep_last_round_timestamp_seconds 1.795840394503E9
                """;
        assertEquals(head + ports, text(Stores.shop(NOW), false));
    }

    @Test
    void openMetricsNamesCounterFamiliesWithoutTotal() {
        String text = text(Stores.shop(NOW), true);
        assertEquals(true, text.startsWith("""
                # TYPE mtls_probe_sweep_attempts counter
                # HELP mtls_probe_sweep_attempts Plaintext checks of the coverage sweep
                mtls_probe_sweep_attempts_total{outcome="mtls"} 0.0
                """), text);
        assertEquals(true, text.contains("mtls_probe_sweep_port_state{port=\"80\",service=\"legacy\",state=\"finding\","
                + "target_namespace=\"shop\"} 1.0\n"), text);
    }

    @Test
    void aCheckOlderThanThreeIntervalsIsNoLongerFreshAndNoPortLooksEnforced() {
        String stale = text(Stores.shop(NOW - 16 * 60_000), false); // the store's interval is 5 minutes
        assertEquals(true, stale.contains("service=\"orders\",state=\"unproven\",target_namespace=\"shop\",} 1.0"),
                stale);
        assertEquals(true, stale.contains("service=\"legacy\",state=\"unproven\",target_namespace=\"shop\",} 1.0")
                && !stale.contains("state=\"finding\",target_namespace=\"shop\",} 1.0"),
                "nor is a finding kept alive: " + stale);
        assertEquals(false, stale.contains("mtls_probe_sweep_last_check_timestamp_seconds{"), stale);
    }
}
