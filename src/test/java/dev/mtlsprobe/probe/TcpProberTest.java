package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.metrics.TargetSeries;
import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.testsupport.HostilePeers;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TCP-level check against one real loopback server per case: the outcome, both roles' verdicts, that the
 * attempt ended by its deadline on exactly one connection, and one counter increment. A reset is the only pass for
 * the naked role; a FIN before any byte proves nothing; any byte back, or a connection held open, is plaintext
 * that reached the application.
 */
class TcpProberTest {

    static final Duration TIMEOUT = ProberTest.TIMEOUT;
    static final Duration SLACK = ProberTest.SLACK;
    static final Verdict P = ProberTest.P;
    static final Verdict F = ProberTest.F;
    static final Verdict I = ProberTest.I;
    static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SSL_REQUEST = {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f};

    record Case(String name, LocalServer.Behaviour behaviour, Greeting greeting, Outcome outcome, Verdict naked,
            Verdict sidecar, boolean waitsForTheDeadline, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Arguments c(String name, LocalServer.Behaviour b, Greeting g, Outcome o, Verdict naked, Verdict sidecar,
            boolean bounded, String reason) {
        return Arguments.of(new Case(name, b, g, o, naked, sidecar, bounded, reason));
    }

    static Stream<Arguments> cases() {
        AtomicReference<byte[]> ignored = new AtomicReference<>();
        return Stream.of(
                // What a STRICT sidecar does with plaintext, at once or after reading the first bytes.
                c("reset on accept", LocalServer.reset(), Greeting.HTTP, Outcome.RESET, P, F, false, "reset"),
                c("reset after reading the greeting", HostilePeers.thenReset(""), Greeting.HTTP, Outcome.RESET, P, F,
                        false, "plaintext rejected"),
                // Plaintext that reached an application.
                c("HTTP server answers", LocalServer.respond(200, "text/plain", "hello"), Greeting.HTTP,
                        Outcome.ACCEPTED, F, P, false, "(\"HTTP/1.1 200 X\")"),
                c("SSH banner before reading", HostilePeers.banner("SSH-2.0-OpenSSH_9.2\r\n"), Greeting.HTTP,
                        Outcome.ACCEPTED, F, P, false, "SSH-2.0-OpenSSH_9.2"),
                c("bytes, then a reset", HostilePeers.thenReset("-ERR unknown command\r\n"), Greeting.HTTP,
                        Outcome.ACCEPTED, F, P, false, "-ERR unknown command"),
                c("a banner, then a reset before the greeting is read", HostilePeers.bannerThenReset(
                        "220 smtp.example ESMTP\r\n"), Greeting.HTTP, Outcome.ACCEPTED, F, P, false, "220 smtp"),
                c("a byte dripped forever", HostilePeers.drip("x", 50), Greeting.HTTP, Outcome.ACCEPTED, F, P, false,
                        "1 byte(s) back"),
                c("binary bytes back are shown printable", HostilePeers.thenHang("\u0000\u0001\u001b[2J\n"),
                        Greeting.HTTP, Outcome.ACCEPTED, F, P, false, "\"???[2J\""),
                c("reads the greeting and holds on", LocalServer.hang(), Greeting.HTTP, Outcome.ACCEPTED, F, F, true,
                        "held open for 800 ms"),
                c("never reads, never writes", HostilePeers.silent(), Greeting.HTTP, Outcome.ACCEPTED, F, F, true,
                        "held open"),
                // A FIN first is no proof: an application may close on what it does not understand.
                c("FIN after reading the greeting", LocalServer.closeAfterRequest(), Greeting.HTTP, Outcome.CLOSED, I,
                        F, false, "closed (FIN) before any byte"),
                c("FIN on accept", HostilePeers.finAtOnce(), Greeting.HTTP, Outcome.CLOSED, I, F, false,
                        "no proof that plaintext is rejected"),
                // The protocol's own first bytes get an answer where an HTTP request line gets a FIN.
                c("Redis-like, HTTP request line", HostilePeers.speaks(PING, "+PONG\r\n", ignored::set), Greeting.HTTP,
                        Outcome.CLOSED, I, F, false, "closed (FIN)"),
                c("Redis-like, PING", HostilePeers.speaks(PING, "+PONG\r\n", ignored::set), Greeting.REDIS,
                        Outcome.ACCEPTED, F, P, false, "+PONG"),
                c("PostgreSQL-like, SSLRequest", HostilePeers.speaks(SSL_REQUEST, "N", ignored::set),
                        Greeting.POSTGRES, Outcome.ACCEPTED, F, P, false, "1 byte(s) back"),
                c("h2c server, HTTP/2 preface", HostilePeers.speaks("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII), "\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000",
                        ignored::set), Greeting.HTTP2, Outcome.ACCEPTED, F, P, false, "9 byte(s) back"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiesOneCheckOnOneConnectionByItsDeadline(Case c) throws Exception {
        try (LocalServer server = new LocalServer(c.behaviour())) {
            TargetSpec target = TargetSpec.tcp("t", "127.0.0.1", server.port());
            TargetSeries metrics = new TargetSeries();
            metrics.prepare(Role.NAKED, target);

            long t0 = System.nanoTime();
            AttemptResult result = prober().probe(target, c.greeting());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            metrics.record(Role.NAKED, target, result, Verdict.PASS);

            assertEquals(c.outcome(), result.outcome(), result.reason());
            assertTrue(result.reason().contains(c.reason()), "reason says why: " + result.reason());
            assertEquals(c.naked(), verdict(Role.NAKED, result, target), "naked verdict: " + result.reason());
            assertEquals(c.sidecar(), verdict(Role.SIDECAR, result, target), "sidecar verdict: " + result.reason());
            Duration limit = c.waitsForTheDeadline() ? TIMEOUT.plus(SLACK) : TIMEOUT.multipliedBy(3).dividedBy(4);
            assertTrue(took.compareTo(limit) <= 0, "took " + took.toMillis() + " ms, limit " + limit.toMillis());
            if (c.waitsForTheDeadline()) {
                assertTrue(took.compareTo(TIMEOUT) >= 0, "held open means the whole window: " + took.toMillis());
            }
            assertEquals(1, server.connections(), "connections seen by the server");
            for (Outcome o : Outcome.values()) {
                assertEquals(o == c.outcome() ? 1 : 0, metrics.attempts(Role.NAKED, target, o), o.label());
            }
            assertTrue(result.reason().length() < 300 && result.reason().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f),
                    "reason is bounded and printable: " + result.reason());
        }
    }

    @Test
    void eachGreetingIsThePlaintextItsProtocolReads() throws Exception {
        AtomicReference<byte[]> seen = new AtomicReference<>();
        try (LocalServer server = new LocalServer(HostilePeers.speaks(SSL_REQUEST, "S", seen::set))) {
            prober().probe(TargetSpec.tcp("t", "127.0.0.1", server.port()), Greeting.POSTGRES);
        }
        assertArrayEquals(SSL_REQUEST, seen.get());
        try (LocalServer server = new LocalServer(HostilePeers.speaks(new byte[16], "", seen::set))) {
            TargetSpec target = TargetSpec.tcp("t", "127.0.0.1", server.port());
            prober().probe(target);
            assertEquals("GET / HTTP/1.1\r\n", new String(seen.get(), StandardCharsets.US_ASCII),
                    "a configured tcp:// target gets a plaintext HTTP request line");
        }
    }

    @Test
    void withoutAServerTheConnectorDecides() {
        assertEquals(Outcome.REFUSED, prober().probe(TargetSpec.tcp("t", "127.0.0.1", Ports.free())).outcome());
        AttemptResult dns = prober().probe(TargetSpec.tcp("t", "db.team-app.invalid", 5432));
        assertEquals(Outcome.DNS_ERROR, dns.outcome(), dns.reason());
        assertEquals(Verdict.INCONCLUSIVE, verdict(Role.NAKED, dns, TargetSpec.tcp("t", "x", 1)));
    }

    @Test
    void aLaneProbesEachTargetInItsOwnProtocol() throws Exception {
        try (LocalServer server = new LocalServer(LocalServer.closeAfterRequest())) {
            Prober lane = Probers.byProtocol(Resolver.SYSTEM, Dialer.DIRECT, TIMEOUT, "test");
            assertEquals(Outcome.CLOSED, lane.probe(TargetSpec.tcp("t", "127.0.0.1", server.port())).outcome());
            assertEquals(Outcome.RESET, lane.probe(dev.mtlsprobe.testsupport.Targets.local("h", server.port()))
                    .outcome(), "HTTP keeps reset for a FIN, as the contract says");
        }
    }

    static TcpProber prober() {
        return new TcpProber(Resolver.SYSTEM, Dialer.DIRECT, TIMEOUT, "test");
    }

    static Verdict verdict(Role role, AttemptResult r, TargetSpec target) {
        return ProberTest.verdict(role, r, target);
    }
}
