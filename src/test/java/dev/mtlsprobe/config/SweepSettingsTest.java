package dev.mtlsprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sweep's keys: off unless namespaces are named or selected; one line per bad value. */
class SweepSettingsTest {

    static SweepSettings sweep(Map<String, String> props, Map<String, String> env) {
        Map<String, String> p = new HashMap<>(ProbeSettingsTest.valid());
        p.putAll(props);
        return ProbeSettingsTest.all(p, env).sweep();
    }

    @Test
    void offByDefaultWithGentleDefaults() {
        SweepSettings s = sweep(Map.of(), Map.of());
        assertFalse(s.enabled(), "never on, and never cluster-wide, without a namespace");
        assertEquals(Duration.ofMinutes(5), s.interval());
        assertEquals(5.0, s.rate());
        assertEquals(4, s.concurrency());
        assertEquals(500, s.maxServicePorts());
        assertEquals(3, s.maxEndpointsPerPort());
    }

    @Test
    void namespacesByNameOrByLabelsFromEitherSource() {
        SweepSettings s = sweep(Map.of("mtls-probe.sweep.namespaces", " team-app, payments ,team-app",
                "mtls-probe.sweep.rate", "0.5"), Map.of("MTLS_PROBE_SWEEP_NAMESPACE_SELECTOR",
                        "mtls-probe.dev/sweep=true, tier=", "MTLS_PROBE_SWEEP_MAX_ENDPOINTS_PER_PORT", "20",
                        "MTLS_PROBE_SWEEP_INTERVAL", "30s"));
        assertTrue(s.enabled());
        assertEquals(List.of("team-app", "payments"), s.namespaces());
        assertEquals(Map.of("mtls-probe.dev/sweep", "true", "tier", ""), s.namespaceSelector());
        assertEquals(0.5, s.rate());
        assertEquals(20, s.maxEndpointsPerPort());
        assertEquals(Duration.ofSeconds(30), s.interval());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad(Map.of("mtls-probe.sweep.namespaces", "team-app,Payments"),
                        "Invalid configuration: mtls-probe.sweep.namespaces=\"team-app,Payments\": not a comma-separated list of namespace names (lower-case letters, digits and '-', at most 63 each); use e.g. team-app,payments"),
                bad(Map.of("mtls-probe.sweep.namespaces", "team-app,"),
                        "Invalid configuration: mtls-probe.sweep.namespaces=\"team-app,\": not a comma-separated list of namespace names (lower-case letters, digits and '-', at most 63 each); use e.g. team-app,payments"),
                bad(Map.of("mtls-probe.sweep.namespace-selector", "sweep"),
                        "Invalid configuration: mtls-probe.sweep.namespace-selector=\"sweep\": not a label selector of key=value pairs (every pair must match, each key once); use e.g. mtls-probe.dev/sweep=true"),
                bad(Map.of("mtls-probe.sweep.namespace-selector", "a=1,a=2"),
                        "Invalid configuration: mtls-probe.sweep.namespace-selector=\"a=1,a=2\": not a label selector of key=value pairs (every pair must match, each key once); use e.g. mtls-probe.dev/sweep=true"),
                bad(Map.of("mtls-probe.sweep.namespace-selector", "env=prod!"),
                        "Invalid configuration: mtls-probe.sweep.namespace-selector=\"env=prod!\": not a label selector of key=value pairs (every pair must match, each key once); use e.g. mtls-probe.dev/sweep=true"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.interval", "1s"),
                        "Invalid configuration: mtls-probe.sweep.interval=\"1s\": below the lower bound 10s (each port is checked once per interval; faster is a load test); use e.g. 5m"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.interval", "2d"),
                        "Invalid configuration: mtls-probe.sweep.interval=\"2d\": not a positive duration; use e.g. 5m, 500ms or 1m"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.interval", "25h"),
                        "Invalid configuration: mtls-probe.sweep.interval=\"25h\": above the upper bound 86400s (a port that starts accepting plaintext would go unseen that long); use e.g. 5m"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.rate", "0"),
                        "Invalid configuration: mtls-probe.sweep.rate=\"0\": not a number from 0.1 to 200 (checks per second over all namespaces); use e.g. 5"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.rate", "NaN"),
                        "Invalid configuration: mtls-probe.sweep.rate=\"NaN\": not a number from 0.1 to 200 (checks per second over all namespaces); use e.g. 5"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.concurrency", "2.5"),
                        "Invalid configuration: mtls-probe.sweep.concurrency=\"2.5\": not a whole number from 1 to 64 (checks in flight at once); use e.g. 4"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.max-service-ports", "0"),
                        "Invalid configuration: mtls-probe.sweep.max-service-ports=\"0\": not a whole number from 1 to 100000 (service ports covered); use e.g. 500"),
                bad(Map.of("mtls-probe.sweep.namespaces", "a", "mtls-probe.sweep.max-endpoints-per-port", "many"),
                        "Invalid configuration: mtls-probe.sweep.max-endpoints-per-port=\"many\": not a whole number from 1 to 1000 (endpoints checked per port); use e.g. 3"),
                bad(Map.of("mtls-probe.sweep.rate", "10"),
                        "Invalid configuration: mtls-probe.sweep.rate=\"10\": sets nothing while the sweep is off; name the namespaces to sweep with mtls-probe.sweep.namespaces (e.g. team-app) or select them with mtls-probe.sweep.namespace-selector (e.g. mtls-probe.dev/sweep=true)"),
                bad(Map.of("mtls-probe.sweep.namspaces", "a"),
                        "Invalid configuration: mtls-probe.sweep.namspaces: not a setting of mtls-probe; did you mean mtls-probe.sweep.namespaces? (all settings: docs/configuration.md)"));
    }

    static Arguments bad(Map<String, String> props, String message) {
        return ProbeSettingsTest.bad(props, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithOneLine(String name, Map<String, String> props, String message) {
        ProbeSettingsTest.assertOneLine(message, assertThrows(InvalidConfigException.class,
                () -> sweep(props, Map.of())));
    }

    @Test
    void variablesAreNamedAsWritten() {
        ProbeSettingsTest.assertOneLine("Invalid configuration: MTLS_PROBE_SWEEP_CONCURRENCY=\"100\": not a whole "
                + "number from 1 to 64 (checks in flight at once); use e.g. 4", assertThrows(
                        InvalidConfigException.class, () -> sweep(Map.of("mtls-probe.sweep.namespaces", "a"),
                                Map.of("MTLS_PROBE_SWEEP_CONCURRENCY", "100"))));
    }
}
