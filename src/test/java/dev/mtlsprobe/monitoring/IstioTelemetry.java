package dev.mtlsprobe.monitoring;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Synthetic Istio telemetry on 127.0.0.1: what a sidecar's Prometheus endpoint exports for the traffic it received
 * (reporter="destination"), with Istio's standard metric names and labels. Each counter grows at a fixed rate from
 * the moment the exporter starts, so rate() sees steady traffic.
 */
final class IstioTelemetry implements AutoCloseable {

    /** One counter series and its growth per second. */
    record Series(String metric, Map<String, String> labels, double perSecond) {
    }

    private final HttpServer server;
    private final long started = System.nanoTime();

    IstioTelemetry(List<Series> series) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/stats/prometheus", exchange -> {
            try (exchange) {
                byte[] body = exposition(series).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** HTTP requests received by {@code destination} from {@code source} (workload names with their namespaces). */
    static Series requests(String source, String sourceNamespace, String destination, String destinationNamespace,
            String security, double perSecond) {
        Map<String, String> labels = traffic("destination", source, sourceNamespace, destination, destinationNamespace,
                security);
        labels.put("response_code", "200");
        labels.put("request_protocol", "http");
        return new Series("istio_requests_total", labels, perSecond);
    }

    /** TCP connections opened to {@code destination} by {@code source}. */
    static Series connections(String source, String sourceNamespace, String destination, String destinationNamespace,
            String security, double perSecond) {
        Map<String, String> labels = traffic("destination", source, sourceNamespace, destination, destinationNamespace,
                security);
        labels.put("request_protocol", "tcp");
        return new Series("istio_tcp_connections_opened_total", labels, perSecond);
    }

    /** The same requests as the client's sidecar reports them (it never knows the connection's security). */
    static Series reportedBySource(Series s) {
        Map<String, String> labels = new LinkedHashMap<>(s.labels());
        labels.put("reporter", "source");
        labels.put("connection_security_policy", "unknown");
        return new Series(s.metric(), labels, s.perSecond());
    }

    private static Map<String, String> traffic(String reporter, String source, String sourceNamespace,
            String destination, String destinationNamespace, String security) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("reporter", reporter);
        labels.put("source_workload", source);
        labels.put("source_workload_namespace", sourceNamespace);
        labels.put("destination_workload", destination);
        labels.put("destination_workload_namespace", destinationNamespace);
        labels.put("destination_service", destination + "." + destinationNamespace + ".svc.cluster.local");
        labels.put("connection_security_policy", security);
        return labels;
    }

    private String exposition(List<Series> series) {
        double seconds = (System.nanoTime() - started) / 1e9;
        StringBuilder out = new StringBuilder();
        for (String metric : series.stream().map(Series::metric).distinct().toList()) {
            out.append("# TYPE ").append(metric).append(" counter\n");
            for (Series s : series.stream().filter(x -> x.metric().equals(metric)).toList()) {
                out.append(metric).append(s.labels().entrySet().stream()
                        .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                        .collect(Collectors.joining(",", "{", "}")))
                        .append(' ').append(Math.floor(s.perSecond() * seconds)).append('\n');
            }
        }
        return out.toString();
    }

    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
