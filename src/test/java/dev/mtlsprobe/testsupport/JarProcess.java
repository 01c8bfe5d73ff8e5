package dev.mtlsprobe.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as users run it: {@code java -jar}, configured by environment variables. */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final Path log;
    public final int httpPort;
    public final int managementPort;

    private JarProcess(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    public static JarProcess start(Map<String, String> env) throws IOException {
        return start(List.of(), env);
    }

    /** @param jvmArgs e.g. {@code -Dmtls-probe.targets."x".url=...}: system properties are a config source too */
    public static JarProcess start(List<String> jvmArgs, Map<String, String> env) throws IOException {
        int http = freePort();
        int management = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(http));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        pb.environment().putAll(env);
        Path log = Files.createTempFile("mtls-probe-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new JarProcess(pb.start(), log, http, management);
    }

    public String get(String path) throws IOException, InterruptedException {
        int port = path.startsWith("/q/") ? managementPort : httpPort;
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** @return the exit code, or -1 if it did not exit in time */
    public int waitFor(Duration d) throws InterruptedException {
        return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
