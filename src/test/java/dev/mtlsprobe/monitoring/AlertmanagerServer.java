package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlsprobe.testsupport.ManagedProcess;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real Alertmanager (Debian's prometheus-alertmanager) on a free 127.0.0.1 port, clustering off. */
final class AlertmanagerServer implements AutoCloseable {

    private final ManagedProcess process;
    final int port;

    private AlertmanagerServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static AlertmanagerServer start(Path binary, Path dir, Path config) throws IOException, InterruptedException {
        Servers.Started s = Servers.start("alertmanager", port -> Servers.Launch.of(binary.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("alertmanager-data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn"), "/-/ready", dir, Duration.ofSeconds(60));
        return new AlertmanagerServer(s.process(), s.port());
    }

    /**
     * The example configuration with its receivers' URLs pointed at the test's webhook; with {@code fastTimers}
     * also every group_wait and group_interval set to 1s (routing, grouping and inhibition unchanged).
     */
    static Path exampleConfig(Path dir, WebhookReceiver webhook, boolean fastTimers) throws IOException {
        ObjectNode cfg = (ObjectNode) MonitoringFiles.YAML.readTree(MonitoringFiles.ALERTMANAGER.toFile());
        for (JsonNode r : cfg.path("receivers")) {
            for (JsonNode w : r.path("webhook_configs")) {
                ((ObjectNode) w).put("url", webhook.url(r.path("name").asText()));
            }
        }
        if (fastTimers) {
            fast((ObjectNode) cfg.path("route"), true);
        }
        Path file = dir.resolve("alertmanager.yml");
        MonitoringFiles.YAML.writeValue(file.toFile(), cfg);
        return file;
    }

    /** Inherited timers are set at the root; a sub-route's own timers are shortened where it sets them. */
    private static void fast(ObjectNode route, boolean root) {
        for (String timer : List.of("group_wait", "group_interval")) {
            if (root || route.has(timer)) {
                route.put(timer, "1s");
            }
        }
        for (JsonNode child : route.path("routes")) {
            fast((ObjectNode) child, false);
        }
    }

    void post(String alertsJson) throws IOException, InterruptedException {
        LocalHttp.postJson(LocalHttp.base(port) + "/api/v2/alerts", alertsJson);
    }

    /** Alerts Alertmanager holds with the given alertname, with their status (active/suppressed, inhibitedBy). */
    JsonNode alerts(String alertname) throws IOException, InterruptedException {
        String filter = URLEncoder.encode("alertname=\"" + alertname + "\"", StandardCharsets.UTF_8);
        return MonitoringFiles.JSON.readTree(LocalHttp.get(LocalHttp.base(port) + "/api/v2/alerts?filter=" + filter)
                .body());
    }

    String logTail() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
