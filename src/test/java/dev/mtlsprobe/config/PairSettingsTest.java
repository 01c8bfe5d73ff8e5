package dev.mtlsprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The peer and page keys: defaults, and one line per bad value. */
class PairSettingsTest {

    static Settings read(Map<String, String> props, Map<String, String> env) {
        Map<String, String> p = new HashMap<>(ProbeSettingsTest.valid());
        p.putAll(props);
        return ProbeSettingsTest.all(p, env);
    }

    @Test
    void defaults() {
        Settings s = read(Map.of(), Map.of());
        assertEquals(new PeerSettings(true, Optional.empty(), Duration.ofSeconds(1)), s.peer());
        assertEquals("https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/%s.md",
                s.page().runbookUrlPattern());
        assertEquals("https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/MtlsProbeDown.md",
                s.page().runbook("MtlsProbeDown"));
    }

    @Test
    void readsThemFromPropertiesAndVariables() {
        Settings s = read(Map.of("mtls-probe.peer.url", "http://10.1.2.3:9000/q/status"), Map.of(
                "MTLS_PROBE_PEER_TIMEOUT", "300ms", "MTLS_PROBE_PEER_ENABLED", "false",
                "MTLS_PROBE_PAGE_RUNBOOK_URL_PATTERN", "https://wiki.example/runbooks/%s?from=mtls%2Dprobe"));
        assertEquals(new PeerSettings(false, Optional.of(URI.create("http://10.1.2.3:9000/q/status")),
                Duration.ofMillis(300)), s.peer());
        assertEquals("https://wiki.example/runbooks/MtlsProbeDown?from=mtls%2Dprobe", s.page().runbook("MtlsProbeDown"));
    }

    @Test
    void serviceLinkVariablesOfThePairsServicesAreNotSettings() {
        Settings s = read(Map.of(), Map.of("MTLS_PROBE_SIDECAR_SERVICE_HOST", "10.0.0.2",
                "MTLS_PROBE_NAKED_PORT_9000_TCP_ADDR", "10.0.0.3", "MTLS_PROBE_NAKED_SERVICE_PORT_HTTP_MANAGEMENT",
                "9000"));
        assertFalse(s.peer().url().isPresent());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(Map.of("mtls-probe.peer.url", "mtls-probe-sidecar:9000"),
                        "Invalid configuration: mtls-probe.peer.url=\"mtls-probe-sidecar:9000\": needs http or https "
                                + "and a host; use the peer's status URL, e.g. http://mtls-probe-sidecar:9000/q/status"),
                Arguments.of(Map.of("mtls-probe.peer.url", "http://admin:pw@peer:9000/q/status"),
                        "Invalid configuration: mtls-probe.peer.url=\"http://***@peer:9000/q/status\": a URL with "
                                + "user-info is refused (the page would show it); remove the user:password@ part"),
                Arguments.of(Map.of("mtls-probe.peer.url", "http://peer:9000/q/status#x"),
                        "Invalid configuration: mtls-probe.peer.url=\"http://peer:9000/q/status#x\": a fragment is "
                                + "never sent; remove the #... part"),
                Arguments.of(Map.of("mtls-probe.peer.url", "http://peer/\n[INFO] forged"),
                        "Invalid configuration: mtls-probe.peer.url=\"http://peer/\\n[INFO] forged\": not a URL; use "
                                + "the peer's status URL, e.g. http://mtls-probe-sidecar:9000/q/status"),
                Arguments.of(Map.of("mtls-probe.peer.timeout", "1m"),
                        "Invalid configuration: mtls-probe.peer.timeout=\"1m\": above the upper bound 10s (the page "
                                + "would wait that long to learn the peer is gone); use e.g. 1s"),
                Arguments.of(Map.of("mtls-probe.peer.enabled", "yes"),
                        "Invalid configuration: mtls-probe.peer.enabled=\"yes\": use true or false"),
                Arguments.of(Map.of("mtls-probe.peer.urls", "http://peer:9000/q/status"),
                        "Invalid configuration: mtls-probe.peer.urls: not a setting of mtls-probe; did you mean "
                                + "mtls-probe.peer.url? (all settings: docs/configuration.md)"),
                Arguments.of(Map.of("mtls-probe.page.runbook-url-pattern", "https://wiki.example/runbooks"),
                        "Invalid configuration: mtls-probe.page.runbook-url-pattern=\"https://wiki.example/runbooks\": "
                                + "needs exactly one %s; use an http(s) URL with one %s for the alert name, e.g. "
                                + "https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/%s.md"),
                Arguments.of(Map.of("mtls-probe.page.runbook-url-pattern", "javascript:alert(%s)"),
                        "Invalid configuration: mtls-probe.page.runbook-url-pattern=\"javascript:alert(%s)\": not an "
                                + "http(s) URL without user-info; use an http(s) URL with one %s for the alert name, "
                                + "e.g. https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/%s.md"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsWithOneLine(Map<String, String> props, String message) {
        ProbeSettingsTest.assertOneLine(message, assertThrows(InvalidConfigException.class, () -> read(props,
                Map.of())));
    }
}
