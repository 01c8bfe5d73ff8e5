package dev.mtlsprobe.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts, before Quarkus, a STRICT-like target (resets every connection) and an httpbin echo reached without
 * mTLS, and points a naked probe at both with short intervals.
 */
public class LabServers implements QuarkusTestResourceLifecycleManager {

    /** The management port given to a packaged application (a {@code @QuarkusTest} uses a random test port). */
    public static volatile int managementPort;

    private LocalServer strict;
    private LocalServer permissive;

    @Override
    public Map<String, String> start() {
        try {
            strict = new LocalServer(LocalServer.reset());
            permissive = new LocalServer(LocalServer.echo(null));
            managementPort = Ports.free();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.management.port", String.valueOf(managementPort),
                "mtls-probe.role", "naked",
                "mtls-probe.interval", "300ms",
                "mtls-probe.timeout", "200ms",
                "mtls-probe.targets.strict.url", strict.url("/headers"),
                "mtls-probe.targets.permissive.url", permissive.url("/headers"));
    }

    @Override
    public void stop() {
        try {
            strict.close();
            permissive.close();
        } catch (IOException ignored) {
            // the test is over
        }
    }
}
