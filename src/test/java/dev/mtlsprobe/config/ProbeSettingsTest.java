package dev.mtlsprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad value gets exactly one line: key, value, fix. One case per rule. */
class ProbeSettingsTest {

    static final String URL = "mtls-probe.targets.httpbin.url";

    static ProbeSettings settings(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(MtlsProbeConfig.class)
                .withSources(new PropertiesConfigSource(props, "test", 500)).build();
        return ProbeSettings.from(config.getConfigMapping(MtlsProbeConfig.class), config);
    }

    static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put(URL, "http://httpbin-svc:8080/headers");
        return props;
    }

    @Test
    void defaultsFollowTheContract() {
        ProbeSettings s = settings(valid());
        assertEquals(Duration.ofSeconds(5), s.interval());
        assertEquals(Duration.ofSeconds(2), s.timeout());
        assertEquals(RoleSetting.AUTO, s.role());
        assertEquals("httpbin-svc", s.targets().get(0).host());
        assertEquals(8080, s.targets().get(0).port());
        assertEquals("/headers", s.targets().get(0).requestTarget());
        assertEquals("httpbin-svc:8080", s.targets().get(0).hostHeader());
        assertEquals(15021, s.sidecarReady().port());
    }

    @Test
    void readsExpectedIdsAndDurations() {
        Map<String, String> p = valid();
        p.put("mtls-probe.interval", "500ms");
        p.put("mtls-probe.timeout", "PT0.2S");
        p.put("mtls-probe.role", "Naked");
        p.put("mtls-probe.targets.httpbin.expected-server-id", "spiffe://cluster.local/ns/team-app/sa/httpbin");
        ProbeSettings s = settings(p);
        assertEquals(Duration.ofMillis(500), s.interval());
        assertEquals(Duration.ofMillis(200), s.timeout());
        assertEquals(RoleSetting.NAKED, s.role());
        assertEquals(Optional.of("spiffe://cluster.local/ns/team-app/sa/httpbin"),
                s.targets().get(0).expectedServerId());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad(Map.of(),
                        "Invalid configuration: no target configured: set at least one, e.g. mtls-probe.targets.httpbin.url=http://httpbin-svc:8080/headers (env MTLS_PROBE_TARGETS_HTTPBIN_URL)"),
                bad(Map.of(URL, "ftp://httpbin-svc/headers"),
                        "Invalid configuration: mtls-probe.targets.\"httpbin\".url=\"ftp://httpbin-svc/headers\": the scheme must be http or https (the probe speaks plain HTTP and lets the sidecar add mTLS)"),
                bad(Map.of(URL, "http:///headers"),
                        "Invalid configuration: mtls-probe.targets.\"httpbin\".url=\"http:///headers\": the URL has no host; use e.g. http://httpbin-svc:8080/headers"),
                bad(Map.of(URL, "http://httpbin-svc:70000/headers"),
                        "Invalid configuration: mtls-probe.targets.\"httpbin\".url=\"http://httpbin-svc:70000/headers\": port 70000 is out of range; use 1-65535"),
                bad(Map.of("mtls-probe.interval", "0s"),
                        "Invalid configuration: mtls-probe.interval=\"0s\": not a positive duration; use e.g. 5s, 500ms or 1m"),
                bad(Map.of("mtls-probe.interval", "often"),
                        "Invalid configuration: mtls-probe.interval=\"often\": not a positive duration; use e.g. 5s, 500ms or 1m"),
                bad(Map.of("mtls-probe.timeout", "5s"),
                        "Invalid configuration: mtls-probe.timeout=\"5s\": must be shorter than mtls-probe.interval (5s) so that attempts for one target never overlap; lower the timeout or raise the interval"),
                bad(Map.of("mtls-probe.role", "ambient"),
                        "Invalid configuration: mtls-probe.role=\"ambient\": unknown role; use auto, sidecar or naked"),
                bad(Map.of("mtls-probe.targets.httpbin.expected-client-id", "cluster.local/ns/a/sa/b"),
                        "Invalid configuration: mtls-probe.targets.\"httpbin\".expected-client-id=\"cluster.local/ns/a/sa/b\": not a SPIFFE ID; use e.g. spiffe://cluster.local/ns/team-app/sa/httpbin"),
                bad(Map.of("mtls-probe.targets.other.expected-server-id", "spiffe://td/x"),
                        "Invalid configuration: mtls-probe.targets.\"other\".url=(unset): every target needs a URL, e.g. http://httpbin-svc:8080/headers"));
    }

    static Arguments bad(Map<String, String> overrides, String message) {
        String name = message.substring(0, Math.min(60, message.length()));
        return Arguments.of(name, overrides, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithOneLine(String name, Map<String, String> overrides, String message) {
        Map<String, String> p = overrides.isEmpty() ? new HashMap<>() : valid();
        p.putAll(overrides);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> settings(p));
        assertEquals(message, e.getMessage());
        assertEquals(0, e.getStackTrace().length, "no stack trace buries the message");
    }
}
