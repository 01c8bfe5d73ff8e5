package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** HTTP to 127.0.0.1 only, and polling. */
final class LocalHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalHttp() {
    }


    static String base(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Status and body, or status -1 when nothing answers. */
    static HttpResponse<String> get(String url) throws InterruptedException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(local(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    static int status(String url) throws InterruptedException {
        HttpResponse<String> r = get(url);
        return r == null ? -1 : r.statusCode();
    }

    static JsonNode postJson(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(local(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + url + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? null : MonitoringFiles.JSON.readTree(r.body());
    }

    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private static URI local(String url) {
        URI uri = URI.create(url);
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("tests only talk to 127.0.0.1: " + url);
        }
        return uri;
    }
}
