package dev.mtlsprobe.probe;

import static dev.mtlsprobe.testsupport.HostilePeers.echoBody;
import static dev.mtlsprobe.testsupport.HostilePeers.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.metrics.TargetSeries;
import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Verdicts;
import dev.mtlsprobe.testsupport.HostilePeers;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Ports;
import dev.mtlsprobe.testsupport.Targets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The probe against well-behaved and hostile peers, one real loopback server per case and one attempt each: the
 * outcome, the verdict of both roles, that the attempt ended by its deadline, exactly one connection seen by the
 * server, and exactly one counter increment. A pass must only ever come from observed enforcement.
 */
class ProberTest {

    static final String CLIENT = "spiffe://cluster.local/ns/team-app/sa/mtls-probe";
    static final String SERVER = "spiffe://cluster.local/ns/team-app/sa/httpbin";
    static final String XFCC = "By=" + SERVER + ";Hash=5a1c0e2f;Subject=\"\";URI=" + CLIENT;
    static final Duration TIMEOUT = Duration.ofMillis(800);
    /** Scheduling slack on a loaded 2-core machine; the watchdog itself fires at the deadline. */
    static final Duration SLACK = Duration.ofMillis(300);

    /** What the probe is pointed at: httpbin's /headers (echo), a target declared not to echo, or https. */
    enum Kind {
        ECHO(port -> Targets.local("t", port)),
        NON_ECHO(port -> Targets.nonEcho("t", port)),
        HTTPS(port -> new TargetSpec("t", "https://127.0.0.1:" + port + "/headers", true, "127.0.0.1", port,
                "/headers", true, Optional.empty(), Optional.empty()));

        final IntFunction<TargetSpec> target;

        Kind(IntFunction<TargetSpec> target) {
            this.target = target;
        }
    }

    /** How long the attempt may take: FAST means without waiting for the deadline at all. */
    enum Time { FAST, BOUNDED }

    record Case(String name, LocalServer.Behaviour behaviour, Kind kind, Outcome outcome, Verdict naked,
            Verdict sidecar, Time time, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, LocalServer.Behaviour b, Kind kind, Outcome o, Verdict naked, Verdict sidecar,
            Time time, String reason) {
        return new Case(name, b, kind, o, naked, sidecar, time, reason);
    }

    static final Verdict P = Verdict.PASS;
    static final Verdict F = Verdict.FAIL;
    static final Verdict I = Verdict.INCONCLUSIVE;
    static final Kind E = Kind.ECHO;
    static final Kind N = Kind.NON_ECHO;
    static final Time FAST = Time.FAST;
    static final Time BOUNDED = Time.BOUNDED;
    static final String ECHO_200 = response(200, "application/json", echoBody(null));
    static final String MTLS_200 = response(200, "application/json", echoBody(XFCC));

    static Stream<Arguments> cases() {
        return Stream.of(
                // Well-behaved peers: what STRICT, PERMISSIVE and the mesh look like.
                c("reset after accept (SO_LINGER 0)", LocalServer.reset(), E, Outcome.RESET, P, F, FAST, "reset"),
                c("close after the request (FIN)", LocalServer.closeAfterRequest(), E, Outcome.RESET, P, F, FAST,
                        "closed (FIN)"),
                c("echo with XFCC", LocalServer.echo(XFCC), E, Outcome.MTLS, F, P, FAST, "over mutual TLS"),
                c("echo without XFCC", LocalServer.echo(null), E, Outcome.PLAINTEXT, F, F, FAST,
                        "no X-Forwarded-Client-Cert"),
                c("403 RBAC", LocalServer.respond(403, "text/plain", "RBAC: access denied"), E, Outcome.DENIED, I, F,
                        FAST, "AuthorizationPolicy"),
                c("envoy 503", LocalServer.respond(503, "text/plain", "upstream connect error or disconnect/reset "
                        + "before headers. reset reason: connection failure"), E, Outcome.MESH_ERROR, I, F, FAST,
                        "from the sidecar"),
                c("500", LocalServer.respond(500, "text/plain", "boom"), E, Outcome.HTTP_ERROR, I, F, FAST,
                        "HTTP 500"),
                c("200 from a target declared not to echo", LocalServer.respond(200, "text/html", "<p>hi</p>"), N,
                        Outcome.ACCEPTED, F, P, FAST, "declared not to echo"),
                c("404 from a target declared not to echo", LocalServer.respond(404, "text/html", "no"), N,
                        Outcome.ACCEPTED, F, P, FAST, "HTTP 404"),
                c("10 MB body from a target declared not to echo", LocalServer.bigBody(10L << 20), N,
                        Outcome.ACCEPTED, F, P, FAST, "read limit"),
                c("malformed XFCC", LocalServer.echo("By=spiffe://x;URI=\"unterminated"), E, Outcome.ERROR, I, F,
                        FAST, "malformed"),
                c("XFCC with a hostile URI", LocalServer.echo("By=" + SERVER + ";URI=spiffe://evil/"
                        + "a".repeat(5000)), E, Outcome.MTLS, F, P, FAST, "client invalid"),
                c("not HTTP at all", HostilePeers.raw("SSH-2.0-OpenSSH\r\n\r\n"), E, Outcome.ERROR, I, F, FAST,
                        "not an HTTP response"),
                c("accept and never answer", LocalServer.hang(), E, Outcome.TIMEOUT, I, F, BOUNDED,
                        "no response within 800 ms"),

                // An echo target passes the sidecar only on a complete, parseable echo.
                c("200 that is not an echo, from an echo target", LocalServer.respond(200, "text/html", "<p>hi</p>"),
                        E, Outcome.ACCEPTED, F, F, FAST, "does not parse as an echo"),
                c("JSON 200 without headers, from an echo target", LocalServer.respond(200, "application/json",
                        "{\"origin\": \"10.0.0.1\"}"), E, Outcome.ACCEPTED, F, F, FAST, "does not parse as an echo"),
                c("404 from an echo target", LocalServer.respond(404, "text/plain", "not found"), E,
                        Outcome.ACCEPTED, F, F, FAST, "HTTP 404 from an echo target"),
                c("echo cut by RST before its Content-Length", HostilePeers.thenReset(
                        MTLS_200.substring(0, MTLS_200.length() - 40)), E, Outcome.ACCEPTED, F, F, FAST,
                        "not a complete echo"),
                c("echo cut by FIN before its Content-Length", HostilePeers.raw(
                        MTLS_200.substring(0, MTLS_200.length() - 40)), E, Outcome.ACCEPTED, F, F, FAST,
                        "connection closed before the response ended"),
                c("echo over the read limit", HostilePeers.raw(HostilePeers.oversizedEcho(70 * 1024)), E,
                        Outcome.ACCEPTED, F, F, FAST, "read limit"),
                c("10 MB body from an echo target", LocalServer.bigBody(10L << 20), E, Outcome.ACCEPTED, F, F, FAST,
                        "read limit"),
                c("chunked body that never ends", HostilePeers.endlessChunks(), E, Outcome.ACCEPTED, F, F, BOUNDED,
                        "did not end by the deadline"),
                c("chunked echo that stalls", HostilePeers.thenHang("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n5\r\n{\"hea\r\n"), E, Outcome.ACCEPTED, F, F, BOUNDED, "did not end by the deadline"),
                c("bad Content-Length", HostilePeers.raw("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"
                        + echoBody(XFCC)), E, Outcome.ACCEPTED, F, F, FAST, "framing is malformed"),
                c("head cut after the status line", HostilePeers.thenReset("HTTP/1.1 200 OK\r\nContent-Le"), E,
                        Outcome.ACCEPTED, F, F, FAST, "HTTP 200"),

                // Interim responses are skipped; the final response decides.
                c("100 Continue, then a plaintext echo", HostilePeers.raw("HTTP/1.1 100 Continue\r\n\r\n" + ECHO_200),
                        E, Outcome.PLAINTEXT, F, F, FAST, "after an interim 100"),
                c("103 Early Hints, then an mTLS echo", HostilePeers.raw("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n"
                        + "\r\n" + MTLS_200), E, Outcome.MTLS, F, P, FAST, "over mutual TLS"),
                c("100 Continue and nothing more", HostilePeers.thenHang("HTTP/1.1 100 Continue\r\n\r\n"), N,
                        Outcome.ACCEPTED, F, F, BOUNDED, "interim HTTP 100"),
                c("100 Continue, then FIN", HostilePeers.raw("HTTP/1.1 100 Continue\r\n\r\n"), E, Outcome.ACCEPTED,
                        F, F, FAST, "interim HTTP 100"),

                // No body after 101/204/304: never wait for a close.
                c("204 held open", HostilePeers.thenHang("HTTP/1.1 204 No Content\r\n\r\n"), N, Outcome.ACCEPTED, F,
                        P, FAST, "HTTP 204"),
                c("304 held open", HostilePeers.thenHang("HTTP/1.1 304 Not Modified\r\n\r\n"), E, Outcome.ACCEPTED, F,
                        F, FAST, "HTTP 304"),
                c("101 held open", HostilePeers.thenHang("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"), N,
                        Outcome.ACCEPTED, F, P, FAST, "HTTP 101"),

                // Bare LF line endings are still HTTP.
                c("plaintext echo with bare LF", HostilePeers.raw(ECHO_200.replace("\r\n", "\n")), E,
                        Outcome.PLAINTEXT, F, F, FAST, "no X-Forwarded-Client-Cert"),
                c("mTLS echo with bare LF", HostilePeers.raw(MTLS_200.replace("\r\n", "\n")), E, Outcome.MTLS, F, P,
                        FAST, "over mutual TLS"),

                // Slow-drip and endless peers end by the deadline.
                c("status line dripped forever", HostilePeers.drip("HTTP/1.1 200", 50), E, Outcome.TIMEOUT, I, F,
                        BOUNDED, "the response did not complete within 800 ms"),
                c("header lines forever", HostilePeers.thenHang("HTTP/1.1 200 OK\r\n" + "X-Pad: y\r\n".repeat(2000)),
                        E, Outcome.ERROR, I, F, FAST, "exceeds"),
                c("TLS handshake dripped", HostilePeers.tlsHandshakeDrip(100), Kind.HTTPS, Outcome.TIMEOUT, I, F,
                        BOUNDED, "TLS handshake did not complete within 800 ms"),
                c("TLS peer that resets", LocalServer.reset(), Kind.HTTPS, Outcome.ERROR, I, F, FAST, "TLS"))
                .map(Arguments::of);
    }

    /** Class loading (JSON, TLS) on a cold JVM is not what FAST measures: pay it once before the table. */
    @BeforeAll
    static void warmUp() throws Exception {
        javax.net.ssl.SSLContext.getDefault();
        try (LocalServer echo = new LocalServer(LocalServer.echo(XFCC))) {
            prober().probe(Targets.local("warm-up", echo.port()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiesOneAttemptOnOneConnectionByItsDeadline(Case c) throws Exception {
        try (LocalServer server = new LocalServer(c.behaviour())) {
            TargetSpec target = c.kind().target.apply(server.port());
            TargetSeries metrics = new TargetSeries();
            metrics.prepare(Role.NAKED, target);

            long t0 = System.nanoTime();
            AttemptResult result = prober().probe(target);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            metrics.record(Role.NAKED, target, result, Verdict.PASS);

            assertEquals(c.outcome(), result.outcome(), result.reason());
            assertTrue(result.reason().contains(c.reason()), "reason says why: " + result.reason());
            assertEquals(c.naked(), verdict(Role.NAKED, result, target), "naked verdict: " + result.reason());
            assertEquals(c.sidecar(), verdict(Role.SIDECAR, result, target), "sidecar verdict: " + result.reason());
            // FAST: well before the deadline, which is what a peer holding the connection open would cost.
            Duration limit = c.time() == Time.FAST ? TIMEOUT.multipliedBy(3).dividedBy(4) : TIMEOUT.plus(SLACK);
            assertTrue(took.compareTo(limit) <= 0, "the attempt took " + took.toMillis() + " ms, limit "
                    + limit.toMillis() + " ms");
            assertTrue(result.durationNanos() <= TIMEOUT.plus(SLACK).toNanos(), "recorded duration "
                    + result.durationNanos() / 1_000_000 + " ms");
            assertEquals(1, server.connections(), "connections seen by the server");
            for (Outcome o : Outcome.values()) {
                assertEquals(o == c.outcome() ? 1 : 0, metrics.attempts(Role.NAKED, target, o),
                        "attempts counter for " + o.label());
            }
            assertTrue(result.reason().length() < 400 && result.reason().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f),
                    "reason is bounded and printable: " + result.reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noServerCases")
    void classifiesFailuresWithoutAServer(String name, TargetSpec target, Outcome expected) {
        AttemptResult result = prober().probe(target);
        assertEquals(expected, result.outcome(), result.reason());
        assertEquals(Verdict.INCONCLUSIVE, verdict(Role.NAKED, result, target), "a failure is no proof");
        assertEquals(Verdict.FAIL, verdict(Role.SIDECAR, result, target));
    }

    static Stream<Arguments> noServerCases() throws Exception {
        int closed = Ports.free(); // nothing listens there any more
        return Stream.of(
                Arguments.of("closed port", Targets.local("t", closed), Outcome.REFUSED),
                Arguments.of("name under .invalid", Targets.http("t", "httpbin.team-app.invalid", 8080, "/headers"),
                        Outcome.DNS_ERROR));
    }

    static Prober prober() {
        return new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, TIMEOUT, "test");
    }

    static Verdict verdict(Role role, AttemptResult r, TargetSpec target) {
        return Verdicts.judge(role, r, target, true).verdict();
    }
}
