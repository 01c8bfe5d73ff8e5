package dev.mtlsprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.ProbeJar;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged jar, configured only by environment variables, as the README shows it. */
class PackagedJarIT {

    @Test
    void nakedProbeAgainstAResettingServerPassesWithinTwoIntervals() throws Exception {
        try (LocalServer strict = new LocalServer(LocalServer.reset());
                ProbeJar probe = ProbeJar.launch().env(Map.of("MTLS_PROBE_ROLE", "naked",
                        "MTLS_PROBE_TARGETS_HTTPBIN_URL", strict.url("/headers"))).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // two default intervals
            String metrics = "";
            while (System.nanoTime() < deadline) {
                try {
                    metrics = probe.get("/q/metrics").body();
                    if (metrics.contains("mtls_probe_verdict{role=\"naked\",target=\"httpbin\",verdict=\"pass\"} 1.0")) {
                        break;
                    }
                } catch (java.io.IOException notYetListening) {
                    // starting
                }
                Thread.sleep(200);
            }
            assertTrue(metrics.contains("mtls_probe_last_outcome{outcome=\"reset\",role=\"naked\",target=\"httpbin\"} 1.0"),
                    metrics);
            assertTrue(metrics.contains("mtls_probe_verdict{role=\"naked\",target=\"httpbin\",verdict=\"pass\"} 1.0"),
                    metrics);
            assertTrue(probe.output().contains("target httpbin (naked): reset, verdict pass"), probe.output());
        }
    }

    @Test
    void badConfigurationExitsNonZeroWithOneLine() throws Exception {
        try (ProbeJar probe = ProbeJar.launch().env(Map.of("MTLS_PROBE_ROLE", "naked",
                "MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://127.0.0.1:1/headers", "MTLS_PROBE_TIMEOUT", "9s")).start()) {
            int exit = probe.waitFor(Duration.ofSeconds(30));
            assertNotEquals(-1, exit, "exited");
            assertNotEquals(0, exit);
            assertEquals(List.of("Invalid configuration: MTLS_PROBE_TIMEOUT=\"9s\": must leave a fifth of "
                    + "mtls-probe.interval (5s) free so that an attempt ends before the next one is due; use at most 4s "
                    + "or raise the interval"), probe.output().lines().toList());
            assertTrue(probe.output().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace");
        }
    }

    @Test
    void autoRoleOutsideAPodExitsNonZeroTellingToSetTheRole() throws Exception {
        try (ProbeJar probe = ProbeJar.launch().env(Map.of("MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://127.0.0.1:1/",
                "MTLS_PROBE_PODINFO_ANNOTATIONS", "/nonexistent/annotations")).start()) {
            int exit = probe.waitFor(Duration.ofSeconds(30));
            assertNotEquals(0, exit);
            assertTrue(probe.output().contains("set mtls-probe.role (env MTLS_PROBE_ROLE) to sidecar or naked"),
                    probe.output());
        }
    }
}
