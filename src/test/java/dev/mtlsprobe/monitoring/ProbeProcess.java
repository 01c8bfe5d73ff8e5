package dev.mtlsprobe.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The packaged probe (target/quarkus-app/quarkus-run.jar) as a process with one target and a 1s interval. */
final class ProbeProcess implements AutoCloseable {

    static final Path JAR = MonitoringFiles.ROOT.resolve("target/quarkus-app/quarkus-run.jar");

    private final ManagedProcess process;
    final int managementPort;

    private ProbeProcess(ManagedProcess process, int managementPort) {
        this.process = process;
        this.managementPort = managementPort;
    }

    static ProbeProcess start(String role, String targetUrl, String sidecarReadyUrl, Path dir)
            throws IOException, InterruptedException {
        Path jar = Prerequisites.file(JAR, "build it with ./mvnw -B package -DskipTests (failsafe runs after package)");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Servers.Started s = Servers.start("probe-" + role, managementPort -> new Servers.Launch(
                List.of(java.toString(), "-Xmx128m", "-jar", jar.toString()), Map.ofEntries(
                        Map.entry("MTLS_PROBE_ROLE", role),
                        Map.entry("MTLS_PROBE_TARGETS_HTTPBIN_URL", targetUrl),
                        Map.entry("MTLS_PROBE_SIDECAR_READY_URL", sidecarReadyUrl),
                        Map.entry("MTLS_PROBE_INTERVAL", "1s"),
                        Map.entry("MTLS_PROBE_TIMEOUT", "800ms"),
                        // Outside a pod: no downward-API files, the role comes from the configuration.
                        Map.entry("MTLS_PROBE_PODINFO_ANNOTATIONS", dir.resolve("no-annotations").toString()),
                        Map.entry("MTLS_PROBE_PODINFO_LABELS", dir.resolve("no-labels").toString()),
                        Map.entry("QUARKUS_HTTP_HOST", "127.0.0.1"),
                        Map.entry("QUARKUS_HTTP_PORT", String.valueOf(freePort())),
                        Map.entry("QUARKUS_MANAGEMENT_HOST", "127.0.0.1"),
                        Map.entry("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort)))),
                "/q/health/ready", dir, Duration.ofSeconds(90));
        return new ProbeProcess(s.process(), s.port());
    }

    private static int freePort() {
        try {
            return LocalHttp.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metric names the probe exports right now. */
    Set<String> exportedMetrics() throws InterruptedException {
        HttpResponse<String> r = LocalHttp.get(LocalHttp.base(managementPort) + "/q/metrics");
        Set<String> names = new TreeSet<>();
        if (r != null) {
            for (String line : r.body().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        return names;
    }

    String logTail() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
