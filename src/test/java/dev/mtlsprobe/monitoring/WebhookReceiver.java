package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Alertmanager's webhook target in the test: records every notification, per receiver path. */
final class WebhookReceiver implements AutoCloseable {

    /** One webhook call: the receiver path ("pager", "team"), when it arrived, and Alertmanager's payload. */
    record Notification(String receiver, long receivedNanos, JsonNode body) {

        /** The alerts of this notification that match {@code alertname} and {@code status}. */
        List<JsonNode> alerts(String alertname, String status) {
            List<JsonNode> out = new java.util.ArrayList<>();
            for (JsonNode a : body.path("alerts")) {
                if (alertname.equals(a.path("labels").path("alertname").asText())
                        && status.equals(a.path("status").asText())) {
                    out.add(a);
                }
            }
            return out;
        }
    }

    private final HttpServer server;
    private final List<Notification> received = new CopyOnWriteArrayList<>();

    WebhookReceiver(String... receivers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        for (String r : receivers) {
            server.createContext("/" + r, exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    received.add(new Notification(r, System.nanoTime(), MonitoringFiles.JSON.readTree(body)));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
        }
        server.start();
    }

    String url(String receiver) {
        return LocalHttp.base(server.getAddress().getPort()) + "/" + receiver;
    }

    List<Notification> received() {
        return List.copyOf(received);
    }

    Optional<Notification> await(Duration timeout, Predicate<Notification> match) throws InterruptedException {
        LocalHttp.await(timeout, () -> received.stream().anyMatch(match));
        return received.stream().filter(match).findFirst();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
