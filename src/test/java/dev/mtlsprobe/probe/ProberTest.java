package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.metrics.ProbeMetrics;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Targets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One real local server per case, one attempt each: the outcome, the verdict for both roles, exactly one
 * connection seen by the server, and exactly one counter increment.
 */
class ProberTest {

    static final String CLIENT = "spiffe://cluster.local/ns/team-app/sa/mtls-probe";
    static final String SERVER = "spiffe://cluster.local/ns/team-app/sa/httpbin";
    static final String XFCC = "By=" + SERVER + ";Hash=5a1c0e2f;Subject=\"\";URI=" + CLIENT;
    static final Duration TIMEOUT = Duration.ofMillis(800);

    record Case(String name, LocalServer.Behaviour behaviour, Outcome outcome, Verdict naked, Verdict sidecar,
            String clientId, String serverId) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("reset after accept (SO_LINGER 0)", LocalServer.reset(), Outcome.RESET, Verdict.PASS,
                        Verdict.FAIL, null, null),
                new Case("close after the request (FIN)", LocalServer.closeAfterRequest(), Outcome.RESET,
                        Verdict.PASS, Verdict.FAIL, null, null),
                new Case("accept and never answer", LocalServer.hang(), Outcome.TIMEOUT, Verdict.INCONCLUSIVE,
                        Verdict.FAIL, null, null),
                new Case("echo with XFCC", LocalServer.echo(XFCC), Outcome.MTLS, Verdict.FAIL, Verdict.PASS, CLIENT,
                        SERVER),
                new Case("echo without XFCC", LocalServer.echo(null), Outcome.PLAINTEXT, Verdict.FAIL, Verdict.FAIL,
                        null, null),
                new Case("403 RBAC", LocalServer.respond(403, "text/plain", "RBAC: access denied"), Outcome.DENIED,
                        Verdict.INCONCLUSIVE, Verdict.FAIL, null, null),
                new Case("envoy 503", LocalServer.respond(503, "text/plain",
                        "upstream connect error or disconnect/reset before headers. reset reason: connection failure"),
                        Outcome.MESH_ERROR, Verdict.INCONCLUSIVE, Verdict.FAIL, null, null),
                new Case("500", LocalServer.respond(500, "text/plain", "boom"), Outcome.HTTP_ERROR,
                        Verdict.INCONCLUSIVE, Verdict.FAIL, null, null),
                new Case("non-echo 200", LocalServer.respond(200, "text/html", "<html>hello</html>"),
                        Outcome.ACCEPTED, Verdict.FAIL, Verdict.PASS, null, null),
                new Case("10 MB body", LocalServer.bigBody(10L * 1024 * 1024), Outcome.ACCEPTED, Verdict.FAIL,
                        Verdict.PASS, null, null),
                new Case("malformed XFCC", LocalServer.echo("By=spiffe://x;URI=\"unterminated"), Outcome.ERROR,
                        Verdict.INCONCLUSIVE, Verdict.FAIL, null, null),
                new Case("XFCC with a hostile URI", LocalServer.echo("By=" + SERVER + ";URI=spiffe://evil/"
                        + "a".repeat(5000)), Outcome.MTLS, Verdict.FAIL, Verdict.PASS, SpiffeId.INVALID, SERVER),
                new Case("not HTTP at all", s -> {
                    LocalServer.readHead(s.getInputStream());
                    s.getOutputStream().write("SSH-2.0-OpenSSH\r\n\r\n".getBytes());
                }, Outcome.ERROR, Verdict.INCONCLUSIVE, Verdict.FAIL, null, null))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiesOneAttemptOnOneConnection(Case c) throws Exception {
        try (LocalServer server = new LocalServer(c.behaviour())) {
            TargetSpec target = Targets.local("t", server.port());
            ProbeMetrics metrics = new ProbeMetrics();
            metrics.register(Role.NAKED, target);

            AttemptResult result = prober().probe(target);
            metrics.record(Role.NAKED, target, result, Verdict.PASS);

            assertEquals(c.outcome(), result.outcome(), result.reason());
            assertEquals(c.naked(), verdict(Role.NAKED, result, target), "naked verdict");
            assertEquals(c.sidecar(), verdict(Role.SIDECAR, result, target), "sidecar verdict");
            assertEquals(Optional.ofNullable(c.clientId()), result.identity().map(PeerIdentity::clientId));
            assertEquals(Optional.ofNullable(c.serverId()), result.identity().map(PeerIdentity::serverId));
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
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        return Stream.of(
                Arguments.of("closed port", Targets.local("t", closed), Outcome.REFUSED),
                Arguments.of("name under .invalid", Targets.http("t", "httpbin.team-app.invalid", 8080, "/headers"),
                        Outcome.DNS_ERROR));
    }

    static Prober prober() {
        return new Prober(Resolver.SYSTEM, Dialer.DIRECT, TIMEOUT, "test");
    }

    static Verdict verdict(Role role, AttemptResult r, TargetSpec target) {
        return Verdicts.judge(role, r.outcome(), r.identity(), target, true).verdict();
    }
}
