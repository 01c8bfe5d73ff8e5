package dev.mtlsprobe.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The packaged jar run as users run it ({@code java -jar quarkus-run.jar}, configured by environment variables),
 * the one way tests start it, as the service or as a check ({@link Launch#args}): free ports on loopback,
 * hermetic environment, optional readiness wait (retried when a port was taken in between), the log for failure
 * messages, and the process stopped however the test ends.
 */
public final class ProbeJar implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ManagedProcess process;
    public final int httpPort;
    public final int managementPort;

    private ProbeJar(ManagedProcess process, int httpPort, int managementPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** How to start it. */
    public static final class Launch {
        private final Map<String, String> env = new HashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private List<String> command;
        private String name = "probe";
        private int managementPort;

        public Launch env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Launch env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        /** e.g. {@code -Dmtls-probe.targets."x".url=...}: system properties are a config source too. */
        public Launch jvmArgs(List<String> args) {
            jvmArgs.addAll(args);
            return this;
        }

        /** Program arguments after the jar, e.g. {@code check --format junit}. */
        public Launch args(String... a) {
            args.addAll(List.of(a));
            return this;
        }

        /** A whole command line instead of {@code java [jvmArgs] -jar JAR} (an image's entrypoint). */
        public Launch command(List<String> cmd) {
            command = List.copyOf(cmd);
            return this;
        }

        public Launch name(String n) {
            name = n;
            return this;
        }

        /**
         * A management port chosen before the start ({@link Ports#free()}), for a pair whose members must know each
         * other's port up front; by default each start takes a free one.
         */
        public Launch managementPort(int port) {
            managementPort = port;
            return this;
        }

        /**
         * A probe outside a pod, as the monitoring tests run it: the role from the configuration (no downward-API
         * files), one target, a 1 s interval.
         */
        public Launch outsideAPod(String role, String targetUrl, String sidecarReadyUrl, Path dir) {
            return name("probe-" + role).env(Map.of("MTLS_PROBE_ROLE", role, "MTLS_PROBE_TARGETS_HTTPBIN_URL", targetUrl,
                    "MTLS_PROBE_SIDECAR_READY_URL", sidecarReadyUrl, "MTLS_PROBE_INTERVAL", "1s",
                    "MTLS_PROBE_TIMEOUT", "800ms", "MTLS_PROBE_PODINFO_ANNOTATIONS",
                    dir.resolve("no-annotations").toString(), "MTLS_PROBE_PODINFO_LABELS",
                    dir.resolve("no-labels").toString()));
        }

        /** Starts and returns at once (a bad configuration exits; see {@link ProbeJar#waitFor}). */
        public ProbeJar start() throws IOException {
            Prerequisites.file(JAR, "build it with ./mvnw -B package -DskipTests (failsafe runs after package)");
            // Ports the test chose (e.g. ones it holds itself, or the pair's) are kept; otherwise free ones.
            int http = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : Ports.free();
            int management = managementPort != 0 ? managementPort : env.containsKey("QUARKUS_MANAGEMENT_PORT")
                    ? Integer.parseInt(env.get("QUARKUS_MANAGEMENT_PORT")) : Ports.free();
            Map<String, String> all = new HashMap<>(env);
            all.putIfAbsent("QUARKUS_HTTP_HOST", "127.0.0.1");
            all.putIfAbsent("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            all.put("QUARKUS_HTTP_PORT", String.valueOf(http));
            all.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
            List<String> cmd = command;
            if (cmd == null) {
                cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                cmd.addAll(jvmArgs);
                cmd.addAll(List.of("-jar", JAR.toString()));
            }
            cmd = new ArrayList<>(cmd);
            cmd.addAll(args);
            Path log = Files.createTempFile("mtls-probe-" + name + "-", ".log");
            return new ProbeJar(ManagedProcess.start(name, cmd, all, log), http, management);
        }

        /** Starts and waits until {@code /q/health/ready} answers 200; a lost port race is retried. */
        public ProbeJar startReady(Duration timeout) throws IOException, InterruptedException {
            String last = "";
            for (int attempt = 1; attempt <= 3; attempt++) {
                ProbeJar p = start();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline && p.process.alive() && p.status("/q/health/ready") != 200) {
                    Thread.sleep(100);
                }
                if (p.process.alive() && p.status("/q/health/ready") == 200) {
                    return p;
                }
                last = p.logTail();
                p.close();
                if (!last.contains("already in use")) {
                    break;
                }
            }
            throw new IllegalStateException("the probe did not become ready within " + timeout + "\n" + last);
        }
    }

    public static Launch launch() {
        return new Launch();
    }

    /** GET on loopback, to the management port for {@code /q/...}; status -1 when nothing answers. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        int port = path.startsWith("/q/") ? managementPort : httpPort;
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public int status(String path) throws InterruptedException {
        try {
            return get(path).statusCode();
        } catch (IOException notListening) {
            return -1;
        }
    }

    /** The metric names exported right now. */
    public Set<String> metricNames() throws IOException, InterruptedException {
        Set<String> names = new TreeSet<>();
        for (String line : get("/q/metrics").body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** @return the exit code, or -1 if it did not exit in time */
    public int waitFor(Duration d) throws InterruptedException {
        return process.waitFor(d);
    }

    public String output() {
        return process.output();
    }

    public String logTail() {
        return process.logTail();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
