package dev.mtlsprobe.sweep;

import dev.mtlsprobe.probe.Greeting;
import java.util.List;
import java.util.Locale;

/**
 * Which plaintext a port is greeted with, from what its Service says it speaks: {@code appProtocol} when set,
 * else Istio's port naming ({@code <protocol>[-<suffix>]}, e.g. {@code grpc-api}, {@code tcp-postgres}). Anything
 * unnamed gets an HTTP request line: a STRICT sidecar resets any non-TLS bytes, and most servers answer it.
 */
final class Greetings {

    private static final List<String> HTTP2 = List.of("http2", "grpc", "h2c", "kubernetes.io/h2c");
    private static final List<String> POSTGRES = List.of("postgres", "postgresql");

    private Greetings() {
    }

    /**
     * @param portName    the Service port's name, or null
     * @param appProtocol the Service port's {@code appProtocol}, or null
     */
    static Greeting forPort(String portName, String appProtocol) {
        if (appProtocol != null && !appProtocol.isBlank()) {
            return of(List.of(appProtocol.trim().toLowerCase(Locale.ROOT)));
        }
        if (portName == null || portName.isBlank()) {
            return Greeting.HTTP;
        }
        return of(List.of(portName.trim().toLowerCase(Locale.ROOT).split("-")));
    }

    /** The first segment names the protocol; a database may also be named by a later one (tcp-postgres). */
    private static Greeting of(List<String> segments) {
        String protocol = segments.get(0);
        if (HTTP2.contains(protocol) && !(segments.size() > 1 && segments.get(1).equals("web"))) {
            return Greeting.HTTP2; // grpc-web is HTTP/1.1
        }
        if (segments.stream().anyMatch(POSTGRES::contains)) {
            return Greeting.POSTGRES;
        }
        if (segments.contains("redis")) {
            return Greeting.REDIS;
        }
        return Greeting.HTTP;
    }
}
