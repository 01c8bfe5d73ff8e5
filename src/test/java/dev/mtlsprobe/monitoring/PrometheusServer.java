package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlsprobe.testsupport.ManagedProcess;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real Prometheus (Debian's /usr/bin/prometheus) on a free 127.0.0.1 port, with the given configuration. */
final class PrometheusServer implements AutoCloseable {

    private final ManagedProcess process;
    private final String base;

    private PrometheusServer(ManagedProcess process, int port) {
        this.process = process;
        this.base = LocalHttp.base(port);
    }

    static PrometheusServer start(Path binary, Path dir, String configYaml) throws IOException, InterruptedException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        Servers.Started s = Servers.start("prometheus", port -> Servers.Launch.of(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port,
                // Send a firing alert to Alertmanager on every evaluation, not once a minute.
                "--rules.alert.resend-delay=1s",
                "--log.level=warn"), "/-/ready", dir, Duration.ofSeconds(60));
        return new PrometheusServer(s.process(), s.port());
    }

    /** An instant query: the {@code data} of a successful answer; throws with Prometheus's error otherwise. */
    JsonNode query(String expr) throws IOException, InterruptedException {
        HttpResponse<String> r = LocalHttp.get(base + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (r == null) {
            throw new IOException("Prometheus does not answer\n" + process.logTail());
        }
        JsonNode body = MonitoringFiles.JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("query " + expr + " failed: HTTP " + r.statusCode() + " "
                    + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return body.path("data");
    }

    /** Whether the instant query answers with at least one series now (false while Prometheus cannot answer). */
    boolean holds(String expr) {
        try {
            return query(expr).path("result").size() > 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The head of a configuration that scrapes and evaluates {@code rules} every second. */
    static String everySecond(Path rules) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                """.formatted(rules);
    }

    /** Values of a label over the series of {@code match} (what Grafana's label_values() asks for). */
    JsonNode labelValues(String label, String match) throws IOException, InterruptedException {
        HttpResponse<String> r = LocalHttp.get(base + "/api/v1/label/" + label + "/values?match[]="
                + URLEncoder.encode(match, StandardCharsets.UTF_8));
        JsonNode body = MonitoringFiles.JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("label values " + label + " of " + match + ": " + r.body());
        }
        return body.path("data");
    }

    /** Active alerts (pending and firing) as Prometheus sees them. */
    JsonNode alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = LocalHttp.get(base + "/api/v1/alerts");
        return MonitoringFiles.JSON.readTree(r.body()).path("data").path("alerts");
    }

    String logTail() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
