package dev.mtlsprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.Protocol;
import dev.mtlsprobe.model.TargetSpec;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad value gets exactly one line: key, value, fix. One case per rule; nothing silently ignored. */
class ProbeSettingsTest {

    static final String URL = "mtls-probe.targets.httpbin.url";

    /** Properties at the ordinal of application.properties, variables at the ordinal of the environment. */
    static Settings all(Map<String, String> props, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(props, "test", 250), new EnvConfigSource(env, 300)).build();
        return Settings.read(config);
    }

    static ProbeSettings settings(Map<String, String> props, Map<String, String> env) {
        return all(props, env).probe();
    }

    static ProbeSettings settings(Map<String, String> props) {
        return settings(props, Map.of());
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
        assertTrue(s.targets().get(0).echo(), "httpbin's /headers echoes");
        assertEquals(java.net.URI.create("http://127.0.0.1:15021/healthz/ready"), s.sidecarReady());
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

    @Test
    void targetNamesWithDashesAreSetThroughTheEnvironment() {
        ProbeSettings s = settings(Map.of(), Map.of(
                "MTLS_PROBE_TARGETS_ORDERS_API_URL", "http://orders.shop:8080/",
                "MTLS_PROBE_TARGETS_ORDERS_API_ECHO", "false",
                "MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://httpbin-svc:8080/headers",
                "MTLS_PROBE_TARGETS_HTTPBIN_EXPECTED_SERVER_ID", "spiffe://cluster.local/ns/a/sa/httpbin"));
        assertEquals(List.of("httpbin", "orders-api"), s.targets().stream().map(TargetSpec::name).toList());
        assertEquals("orders.shop", s.targets().get(1).host());
        assertFalse(s.targets().get(1).echo());
        assertEquals(Optional.of("spiffe://cluster.local/ns/a/sa/httpbin"), s.targets().get(0).expectedServerId());
    }

    @Test
    void theEnvironmentOverridesAPropertyOfTheSameTarget() {
        Map<String, String> p = valid();
        p.put("mtls-probe.targets.\"orders-api\".url", "http://from-properties/");
        ProbeSettings s = settings(p, Map.of("MTLS_PROBE_TARGETS_ORDERS_API_URL", "http://from-env/",
                "MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://httpbin-env:8080/headers"));
        assertEquals(List.of("httpbin-env", "from-env"), s.targets().stream().map(TargetSpec::host).toList());
    }

    @Test
    void echoIsDeclaredPerTarget() {
        Map<String, String> p = new HashMap<>();
        p.put("mtls-probe.targets.get.url", "http://httpbin/get");
        p.put("mtls-probe.targets.get.echo", "true");
        p.put("mtls-probe.targets.page.url", "http://app/");
        p.put("mtls-probe.targets.headers-off.url", "http://httpbin/headers");
        p.put("mtls-probe.targets.headers-off.echo", "FALSE");
        ProbeSettings s = settings(p);
        assertEquals(List.of(true, false, false), s.targets().stream().map(TargetSpec::echo).toList());
    }

    @Test
    void aTcpTargetIsAHostAndAPort() {
        Map<String, String> p = valid();
        p.put("mtls-probe.targets.db.url", "tcp://postgres.data:5432");
        p.put("mtls-probe.targets.db.protocol", "TCP");
        p.put("mtls-probe.targets.v6.url", "tcp://[::1]:6379/");
        p.put("mtls-probe.targets.v6.protocol", "tcp");
        p.put("mtls-probe.targets.httpbin.protocol", "http");
        Map<String, TargetSpec> byName = new HashMap<>();
        settings(p).targets().forEach(t -> byName.put(t.name(), t));
        TargetSpec db = byName.get("db");
        assertEquals(Protocol.TCP, db.protocol());
        assertEquals("postgres.data", db.host());
        assertEquals(5432, db.port());
        assertEquals("tcp://postgres.data:5432", db.url());
        assertFalse(db.echo(), "a TCP check sees no echo");
        assertEquals("::1", byName.get("v6").host());
        assertEquals(Protocol.HTTP, byName.get("httpbin").protocol());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad(Map.of("mtls-probe.targets.httpbin.protocol", "udp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.protocol=\"udp\": use http (a GET, classified from the response) or tcp (a plaintext greeting to tcp://host:port, classified from what the peer does with it)"),
                bad(Map.of(URL, "tcp://db:5432"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"tcp://db:5432\": a tcp:// URL is for a TCP check: set mtls-probe.targets.httpbin.protocol=tcp (env MTLS_PROBE_TARGETS_HTTPBIN_PROTOCOL=tcp)"),
                bad(Map.of("mtls-probe.targets.httpbin.protocol", "tcp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"http://httpbin-svc:8080/headers\": protocol tcp checks a host and port; use e.g. tcp://postgres:5432"),
                bad(Map.of(URL, "tcp://db", "mtls-probe.targets.httpbin.protocol", "tcp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"tcp://db\": a tcp:// URL needs a port in 1-65535 (there is no default); use e.g. tcp://postgres:5432"),
                bad(Map.of(URL, "tcp://:5432", "mtls-probe.targets.httpbin.protocol", "tcp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"tcp://:5432\": the URL has no host; use e.g. tcp://postgres:5432"),
                bad(Map.of(URL, "tcp://db:5432/x?y", "mtls-probe.targets.httpbin.protocol", "tcp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"tcp://db:5432/x?y\": a TCP check has no path, query or fragment; use e.g. tcp://postgres:5432"),
                bad(Map.of(URL, "tcp://u:p@db:5432", "mtls-probe.targets.httpbin.protocol", "tcp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"tcp://***@db:5432\": a URL with user-info is refused: a TCP check sends no credentials; remove the user:password@ part"),
                bad(Map.of(URL, "tcp://db:5432 x", "mtls-probe.targets.httpbin.protocol", "tcp"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"tcp://db:5432 x\": not a URL; use e.g. tcp://postgres:5432"),
                bad(Map.of(URL, "tcp://db:5432", "mtls-probe.targets.httpbin.protocol", "tcp",
                        "mtls-probe.targets.httpbin.echo", "true"),
                        "Invalid configuration: mtls-probe.targets.httpbin.echo=\"true\": a TCP check sees no HTTP response and no identity; remove the key, or use protocol http with an http:// URL"),
                bad(Map.of(), "Invalid configuration: no target configured: set at least one, e.g. mtls-probe.targets.httpbin.url=http://httpbin-svc:8080/headers (env MTLS_PROBE_TARGETS_HTTPBIN_URL)"),
                bad(Map.of(URL, "ftp://httpbin-svc/headers"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"ftp://httpbin-svc/headers\": the scheme must be http or https (the probe speaks plain HTTP and lets the sidecar add mTLS)"),
                bad(Map.of(URL, "http:///headers"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"http:///headers\": the URL has no host; use e.g. http://httpbin-svc:8080/headers"),
                bad(Map.of(URL, "http://httpbin-svc:70000/headers"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"http://httpbin-svc:70000/headers\": port 70000 is out of range; use 1-65535"),
                bad(Map.of(URL, "http://admin:s3cret@httpbin-svc:8080/headers"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"http://***@httpbin-svc:8080/headers\": a URL with user-info is refused: the probe sends no credentials and the status page would show them; remove the user:password@ part"),
                bad(Map.of(URL, "http://httpbin-svc/\nINFO forged log line\u001b[2J"),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"http://httpbin-svc/\\nINFO forged log line\\u001b[2J\": not a URL; use e.g. http://httpbin-svc:8080/headers"),
                bad(Map.of("mtls-probe.interval", "0s"),
                        "Invalid configuration: mtls-probe.interval=\"0s\": not a positive duration; use e.g. 5s, 500ms or 1m"),
                bad(Map.of("mtls-probe.interval", "often"),
                        "Invalid configuration: mtls-probe.interval=\"often\": not a positive duration; use e.g. 5s, 500ms or 1m"),
                bad(Map.of("mtls-probe.interval", "999999999h"),
                        "Invalid configuration: mtls-probe.interval=\"999999999h\": above the upper bound 3600s (staleness alerts wait 3 intervals); use e.g. 5s"),
                bad(Map.of("mtls-probe.interval", "1000000h"),
                        "Invalid configuration: mtls-probe.interval=\"1000000h\": above the upper bound 3600s (staleness alerts wait 3 intervals); use e.g. 5s"),
                bad(Map.of("mtls-probe.interval", "1ms", "mtls-probe.timeout", "1ms"),
                        "Invalid configuration: mtls-probe.interval=\"1ms\": below the lower bound 100ms (a target is called at most 10 times a second); use e.g. 5s"),
                bad(Map.of("mtls-probe.timeout", "10ms"),
                        "Invalid configuration: mtls-probe.timeout=\"10ms\": below the lower bound 50ms (below it even loopback is not measured reliably); use e.g. 2s"),
                bad(Map.of("mtls-probe.interval", "2h", "mtls-probe.timeout", "2m"),
                        "Invalid configuration: mtls-probe.interval=\"2h\": above the upper bound 3600s (staleness alerts wait 3 intervals); use e.g. 5s"),
                bad(Map.of("mtls-probe.interval", "1h", "mtls-probe.timeout", "2m"),
                        "Invalid configuration: mtls-probe.timeout=\"2m\": above the upper bound 60s (no answer that late proves anything); use e.g. 2s"),
                bad(Map.of("mtls-probe.timeout", "5s"),
                        "Invalid configuration: mtls-probe.timeout=\"5s\": must leave a fifth of mtls-probe.interval (5s) free so that an attempt ends before the next one is due; use at most 4s or raise the interval"),
                bad(Map.of("mtls-probe.interval", "1s", "mtls-probe.timeout", "999ms"),
                        "Invalid configuration: mtls-probe.timeout=\"999ms\": must leave a fifth of mtls-probe.interval (1s) free so that an attempt ends before the next one is due; use at most 800ms or raise the interval"),
                bad(Map.of("mtls-probe.role", "ambient"),
                        "Invalid configuration: mtls-probe.role=\"ambient\": unknown role; use auto, sidecar or naked"),
                bad(Map.of("mtls-probe.targets.httpbin.expected-client-id", "cluster.local/ns/a/sa/b"),
                        "Invalid configuration: mtls-probe.targets.httpbin.expected-client-id=\"cluster.local/ns/a/sa/b\": not a SPIFFE ID; use e.g. spiffe://cluster.local/ns/team-app/sa/httpbin"),
                bad(Map.of("mtls-probe.targets.httpbin.echo", "yes"),
                        "Invalid configuration: mtls-probe.targets.httpbin.echo=\"yes\": use true (the target echoes request headers, like httpbin /headers) or false"),
                bad(Map.of("mtls-probe.targets.other.expected-server-id", "spiffe://td/x"),
                        "Invalid configuration: mtls-probe.targets.other.url=(unset): every target needs a URL, e.g. http://httpbin-svc:8080/headers (env MTLS_PROBE_TARGETS_OTHER_URL)"),
                bad(Map.of("mtls-probe.targets.\"\".url", "http://x/"),
                        "Invalid configuration: mtls-probe.targets.\"\".url: a target name cannot be empty; name the target, e.g. mtls-probe.targets.httpbin.url (env MTLS_PROBE_TARGETS_HTTPBIN_URL)"),
                bad(Map.of("mtls-probe.targets.\"Orders_API\".url", "http://x/"),
                        "Invalid configuration: mtls-probe.targets.\"Orders_API\".url: the target name \"Orders_API\" is not valid: names are 1-63 lower-case letters, digits and '-' (the target label), and in an environment variable each '_' stands for '-'; use e.g. orders-api"),
                bad(Map.of("mtls-probe.targets.httpbin.ulr", "http://x/"),
                        "Invalid configuration: mtls-probe.targets.httpbin.ulr: not a target setting; a target is set with mtls-probe.targets.<name>.url, .expected-server-id, .expected-client-id, .echo or .protocol"),
                bad(Map.of("mtls-probe.interval", " "),
                        "Invalid configuration: mtls-probe.interval=\" \": the value is empty; set one or remove the key to use the default"),
                bad(Map.of(URL, ""),
                        "Invalid configuration: mtls-probe.targets.httpbin.url=\"\": the value is empty; set one or remove the key"),
                bad(Map.of("mtls-probe.kubernetes.enabled", "maybe"),
                        "Invalid configuration: mtls-probe.kubernetes.enabled=\"maybe\": use true or false"),
                bad(Map.of("mtls-probe.kubernetes.check-interval", "soon"),
                        "Invalid configuration: mtls-probe.kubernetes.check-interval=\"soon\": not a positive duration; use e.g. 10s, 500ms or 1m"),
                bad(Map.of("mtls-probe.kubernetes.root-namespace", "Istio_System"),
                        "Invalid configuration: mtls-probe.kubernetes.root-namespace=\"Istio_System\": not a namespace name (lower-case letters, digits and '-', at most 63)"),
                bad(Map.of("mtls-probe.kubernetes.cluster-domain", "cluster..local"),
                        "Invalid configuration: mtls-probe.kubernetes.cluster-domain=\"cluster..local\": not a DNS domain; use the cluster's domain, e.g. cluster.local"),
                bad(Map.of("mtls-probe.demo.policy", "DISABLE"),
                        "Invalid configuration: mtls-probe.demo.policy=\"DISABLE\": use STRICT or PERMISSIVE"),
                bad(Map.of("mtls-probe.timeuot", "1s"),
                        "Invalid configuration: mtls-probe.timeuot: not a setting of mtls-probe; did you mean mtls-probe.timeout? (all settings: docs/configuration.md)"));
    }

    static Stream<Arguments> invalidEnv() {
        return Stream.of(
                badEnv(Map.of("MTLS_PROBE_TARGETS_ORDERS_API_ULR", "http://x/"),
                        "Invalid configuration: MTLS_PROBE_TARGETS_ORDERS_API_ULR: not a target setting; a target is set with MTLS_PROBE_TARGETS_<NAME>_URL, _EXPECTED_SERVER_ID, _EXPECTED_CLIENT_ID, _ECHO or _PROTOCOL"),
                badEnv(Map.of("MTLS_PROBE_TARGETS_URL", "http://x/"),
                        "Invalid configuration: MTLS_PROBE_TARGETS_URL: not a target setting; a target is set with MTLS_PROBE_TARGETS_<NAME>_URL, _EXPECTED_SERVER_ID, _EXPECTED_CLIENT_ID, _ECHO or _PROTOCOL"),
                badEnv(Map.of("MTLS_PROBE_TARGETS__ORDERS__URL", "http://x/"),
                        "Invalid configuration: MTLS_PROBE_TARGETS__ORDERS__URL: the target name \"_ORDERS_\" is not valid: names are 1-63 lower-case letters, digits and '-' (the target label), and in an environment variable each '_' stands for '-'; use e.g. orders"),
                badEnv(Map.of("POD_NAMESPACE", "Bad Namespace"),
                        "Invalid configuration: POD_NAMESPACE=\"Bad Namespace\": not a namespace name (lower-case letters, digits and '-', at most 63)"),
                badEnv(Map.of("MTLS_PROBE_INTERVAL", ""),
                        "Invalid configuration: MTLS_PROBE_INTERVAL=\"\": the value is empty; set one or remove the key to use the default"),
                badEnv(Map.of("MTLS_PROBE_TIMEOUTS", "1s"),
                        "Invalid configuration: MTLS_PROBE_TIMEOUTS: not a setting of mtls-probe; did you mean MTLS_PROBE_TIMEOUT? (all settings: docs/configuration.md)"),
                badEnv(Map.of("MTLS_PROBE_TARGETS_ORDERS_API_URL", "http://orders/\r\nforged"),
                        "Invalid configuration: MTLS_PROBE_TARGETS_ORDERS_API_URL=\"http://orders/\\r\\nforged\": not a URL; use e.g. http://httpbin-svc:8080/headers"));
    }

    static Arguments bad(Map<String, String> overrides, String message) {
        return Arguments.of(message.substring(22, Math.min(90, message.length())), overrides, message);
    }

    static Arguments badEnv(Map<String, String> env, String message) {
        return Arguments.of(message.substring(22, Math.min(90, message.length())), env, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithOneLine(String name, Map<String, String> overrides, String message) {
        Map<String, String> p = overrides.isEmpty() ? new HashMap<>() : valid();
        p.putAll(overrides);
        assertOneLine(message, assertThrows(InvalidConfigException.class, () -> settings(p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEnv")
    void rejectsVariablesWithOneLine(String name, Map<String, String> env, String message) {
        assertOneLine(message, assertThrows(InvalidConfigException.class, () -> settings(valid(), env)));
    }

    @Test
    void kubernetesSettingsFallBackToTheDownwardApiVariables() {
        KubeSettings k = all(valid(), Map.of("POD_NAME", "probe-0", "POD_NAMESPACE", "team-app")).kubernetes();
        assertEquals(Optional.of("probe-0"), k.podName());
        assertEquals(Optional.of("team-app"), k.podNamespace());
        assertEquals(Duration.ofSeconds(10), k.checkInterval());
        assertEquals("istio-system", k.rootNamespace());
        Map<String, String> p = valid();
        p.put("mtls-probe.kubernetes.pod-name", "other");
        p.put("mtls-probe.kubernetes.pod-namespace", "ns");
        p.put("mtls-probe.kubernetes.root-namespace", "mesh-root");
        KubeSettings c = all(p, Map.of("POD_NAME", "probe-0", "POD_NAMESPACE", "team-app")).kubernetes();
        assertEquals(Optional.of("other"), c.podName());
        assertEquals(Optional.of("ns"), c.podNamespace());
        assertEquals("mesh-root", c.rootNamespace());
        assertEquals(Optional.empty(), all(valid(), Map.of()).kubernetes().podNamespace());
    }

    @Test
    void serviceLinkVariablesOfAServiceNamedMtlsProbeAreNotSettings() {
        ProbeSettings s = settings(valid(), Map.of("MTLS_PROBE_SERVICE_HOST", "10.0.0.1", "MTLS_PROBE_PORT",
                "tcp://10.0.0.1:8080", "MTLS_PROBE_PORT_8080_TCP_ADDR", "10.0.0.1"));
        assertEquals(1, s.targets().size());
    }

    static void assertOneLine(String message, InvalidConfigException e) {
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r")
                || e.getMessage().contains("\u001b"), "one line, no control characters");
        assertEquals(0, e.getStackTrace().length, "no stack trace buries the message");
    }
}
