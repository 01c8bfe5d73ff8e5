package dev.mtlsprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.ProbeJar;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The packaged jar, started as users start it, with one bad value each: exit code 1 and exactly one line of
 * output, naming the key and the fix, with no control character from the value reaching the log.
 */
class ConfigErrorsIT {

    record Case(String name, List<String> jvmArgs, Map<String, String> env, String line) {
    }

    static final String TARGET = "http://127.0.0.1:1/headers";
    static final ExecutorService POOL = Executors.newFixedThreadPool(3); // each case is a JVM start

    static Case env(String name, String line, String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("MTLS_PROBE_ROLE", "naked"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return new Case(name, List.of(), env, line);
    }

    static List<Case> cases() {
        return List.of(
                env("a target variable that sets nothing", "Invalid configuration: MTLS_PROBE_TARGETS_ORDERS_API_ULR: "
                        + "not a target setting; a target is set with MTLS_PROBE_TARGETS_<NAME>_URL, "
                        + "_EXPECTED_SERVER_ID, _EXPECTED_CLIENT_ID, _ECHO or _PROTOCOL",
                        "MTLS_PROBE_TARGETS_ORDERS_API_ULR", TARGET),
                env("a target variable whose name cannot be a label", "Invalid configuration: "
                        + "MTLS_PROBE_TARGETS__ORDERS__URL: the target name \"_ORDERS_\" is not valid: names are 1-63 "
                        + "lower-case letters, digits and '-' (the target label), and in an environment variable each "
                        + "'_' stands for '-'; use e.g. orders", "MTLS_PROBE_TARGETS__ORDERS__URL", TARGET,
                        "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                env("an interval that would overflow", "Invalid configuration: MTLS_PROBE_INTERVAL=\"999999999h\": above "
                        + "the upper bound 3600s (staleness alerts wait 3 intervals); use e.g. 5s",
                        "MTLS_PROBE_INTERVAL", "999999999h", "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                env("an interval that would stop liveness", "Invalid configuration: MTLS_PROBE_INTERVAL=\"1000000h\": "
                        + "above the upper bound 3600s (staleness alerts wait 3 intervals); use e.g. 5s",
                        "MTLS_PROBE_INTERVAL", "1000000h", "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                env("a 1 ms interval", "Invalid configuration: MTLS_PROBE_INTERVAL=\"1ms\": below the lower bound 100ms "
                        + "(a target is called at most 10 times a second); use e.g. 5s", "MTLS_PROBE_INTERVAL", "1ms",
                        "MTLS_PROBE_TIMEOUT", "1ms", "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                env("a timeout with no headroom", "Invalid configuration: MTLS_PROBE_TIMEOUT=\"999ms\": must leave a fifth "
                        + "of mtls-probe.interval (1s) free so that an attempt ends before the next one is due; use at "
                        + "most 800ms or raise the interval", "MTLS_PROBE_INTERVAL", "1s", "MTLS_PROBE_TIMEOUT",
                        "999ms", "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                new Case("an empty quoted target name", List.of("-Dmtls-probe.targets.\"\".url=" + TARGET),
                        Map.of("MTLS_PROBE_ROLE", "naked"), "Invalid configuration: mtls-probe.targets.\"\".url: a "
                                + "target name cannot be empty; name the target, e.g. mtls-probe.targets.httpbin.url "
                                + "(env MTLS_PROBE_TARGETS_HTTPBIN_URL)"),
                env("a URL that forges a log line", "Invalid configuration: MTLS_PROBE_TARGETS_HTTPBIN_URL="
                        + "\"http://h/\\nERROR forged\\u001b[31m\": not a URL; use e.g. http://httpbin-svc:8080/headers",
                        "MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://h/\nERROR forged\u001b[31m"),
                env("a URL with user-info", "Invalid configuration: MTLS_PROBE_TARGETS_HTTPBIN_URL=\"http://***@127.0.0.1:1/"
                        + "headers\": a URL with user-info is refused: the probe sends no credentials and the status "
                        + "page would show them; remove the user:password@ part", "MTLS_PROBE_TARGETS_HTTPBIN_URL",
                        "http://admin:s3cret@127.0.0.1:1/headers"),
                env("an empty value", "Invalid configuration: MTLS_PROBE_TIMEOUT=\"\": the value is empty; set one or "
                        + "remove the key to use the default", "MTLS_PROBE_TIMEOUT", "",
                        "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                env("a misspelt variable", "Invalid configuration: MTLS_PROBE_TIMEOUTS: not a setting of mtls-probe; did "
                        + "you mean MTLS_PROBE_TIMEOUT? (all settings: docs/configuration.md)", "MTLS_PROBE_TIMEOUTS",
                        "1s", "MTLS_PROBE_TARGETS_HTTPBIN_URL", TARGET),
                env("a boolean that is not one", "Invalid configuration: MTLS_PROBE_KUBERNETES_ENABLED=\"maybe\": use "
                        + "true or false", "MTLS_PROBE_KUBERNETES_ENABLED", "maybe", "MTLS_PROBE_TARGETS_HTTPBIN_URL",
                        TARGET));
    }

    @TestFactory
    Stream<DynamicTest> everyBadValueStopsTheStartWithOneLine() {
        List<Case> cases = cases();
        List<Future<String[]>> runs = cases.stream().map(c -> POOL.submit(() -> run(c))).toList();
        return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(
                cases.get(i).name(), () -> {
                    String[] r = runs.get(i).get();
                    assertEquals("1", r[0], "exit code; output:\n" + r[1]);
                    assertEquals(List.of(cases.get(i).line()), r[1].lines().toList(), "exactly one line");
                    assertTrue(r[1].chars().noneMatch(ch -> ch < 0x20 && ch != '\n'), "no control characters");
                }));
    }

    private static String[] run(Case c) throws Exception {
        try (ProbeJar probe = ProbeJar.launch().jvmArgs(c.jvmArgs()).env(c.env()).start()) {
            int exit = probe.waitFor(Duration.ofSeconds(60));
            return new String[] {String.valueOf(exit), probe.output()};
        }
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }
}
