package dev.mtlsprobe.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtlsprobe.probe.Greeting;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The greeting of a port from its Service's appProtocol, else its Istio-style name; an HTTP line otherwise. */
class GreetingsTest {

    @ParameterizedTest(name = "name {0}, appProtocol {1}: {2}")
    @CsvSource(nullValues = "-", value = {
        "-, -, HTTP",
        "http, -, HTTP",
        "http-web, -, HTTP",
        "tcp, -, HTTP",
        "https, -, HTTP",
        "grpc, -, HTTP2",
        "grpc-api, -, HTTP2",
        "grpc-web, -, HTTP",
        "http2, -, HTTP2",
        "tcp-postgres, -, POSTGRES",
        "postgresql, -, POSTGRES",
        "redis, -, REDIS",
        "tcp-redis-cache, -, REDIS",
        "HTTP, -, HTTP",
        "web, kubernetes.io/h2c, HTTP2",
        "grpc, http, HTTP",
        "db, postgresql, POSTGRES",
        "cache, REDIS, REDIS",
        "x, ' ', HTTP"})
    void greetingOfAPort(String name, String appProtocol, Greeting expected) {
        assertEquals(expected, Greetings.forPort(name, appProtocol));
    }
}
