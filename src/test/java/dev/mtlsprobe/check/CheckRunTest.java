package dev.mtlsprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.HttpProber;
import dev.mtlsprobe.probe.Prober;
import dev.mtlsprobe.probe.Resolver;
import dev.mtlsprobe.testsupport.HostilePeers;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Targets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A check over real loopback servers with the service's HTTP prober: attempts, connections, verdicts, bounds. */
class CheckRunTest {

    static final Duration TIMEOUT = Duration.ofMillis(400);
    static final String XFCC = "By=spiffe://cluster.local/ns/a/sa/httpbin;Hash=5a1c;Subject=\"\";"
            + "URI=spiffe://cluster.local/ns/a/sa/probe";
    static final RoleState NAKED = new RoleState(Role.NAKED, "config", Role.NAKED, "config", "");

    static Lane lane(Role role, boolean sidecarReady) {
        return new Lane(role, new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, TIMEOUT, "test"), () -> sidecarReady);
    }

    @Test
    void eachAttemptIsOneNewConnectionAndARefusingServerPassesTheNakedLane() throws Exception {
        try (LocalServer strict = new LocalServer(LocalServer.reset())) {
            CheckResult r = CheckRun.run(List.of(lane(Role.NAKED, true)), List.of(Targets.local("strict", strict.port())),
                    4, TIMEOUT, Optional.of(NAKED));
            LaneResult lane = r.lanes().get(0);
            assertEquals(4, lane.attempts().size());
            assertTrue(lane.attempts().stream().allMatch(a -> a.result().outcome() == Outcome.RESET), lane.toString());
            assertEquals(4, strict.connections(), "one connection per attempt, no retry");
            assertEquals(Verdict.PASS, lane.verdict());
            assertEquals(CheckResult.EXIT_PASS, r.exitCode());
        }
    }

    @Test
    void plaintextAcceptedFailsAndMtlsThroughTheSidecarPasses() throws Exception {
        try (LocalServer permissive = new LocalServer(LocalServer.echo(null));
                LocalServer meshed = new LocalServer(LocalServer.echo(XFCC))) {
            TargetSpec plain = Targets.local("permissive", permissive.port());
            CheckResult naked = CheckRun.run(List.of(lane(Role.NAKED, true)), List.of(plain), 2, TIMEOUT,
                    Optional.of(NAKED));
            assertEquals(List.of(Outcome.PLAINTEXT, Outcome.PLAINTEXT), outcomes(naked.lanes().get(0)));
            assertEquals(CheckResult.EXIT_FAIL, naked.exitCode());

            RoleState sidecar = new RoleState(Role.SIDECAR, "config", Role.SIDECAR, "config", "");
            CheckResult viaSidecar = CheckRun.run(List.of(lane(Role.SIDECAR, true)),
                    List.of(Targets.local("meshed", meshed.port())), 2, TIMEOUT, Optional.of(sidecar));
            assertEquals(List.of(Outcome.MTLS, Outcome.MTLS), outcomes(viaSidecar.lanes().get(0)));
            assertEquals(CheckResult.EXIT_PASS, viaSidecar.exitCode());
        }
    }

    @Test
    void whileTheOwnSidecarIsNotReadyTheSidecarLaneIsInconclusive() throws Exception {
        try (LocalServer meshed = new LocalServer(LocalServer.echo(XFCC))) {
            RoleState sidecar = new RoleState(Role.SIDECAR, "config", Role.SIDECAR, "config", "");
            CheckResult r = CheckRun.run(List.of(lane(Role.SIDECAR, false)),
                    List.of(Targets.local("meshed", meshed.port())), 2, TIMEOUT, Optional.of(sidecar));
            assertEquals(Verdict.INCONCLUSIVE, r.lanes().get(0).verdict());
            assertEquals(CheckResult.EXIT_INCONCLUSIVE, r.exitCode());
        }
    }

    @Test
    void targetsRunSideBySideButALanesAttemptsNeverOverlap() throws Exception {
        // When each connection arrived: the server sees a closed connection late, the arrivals it sees at once.
        List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
        LocalServer.Behaviour hangCounting = s -> {
            arrivals.add(System.nanoTime());
            LocalServer.hang().handle(s);
        };
        try (LocalServer a = new LocalServer(hangCounting); LocalServer b = new LocalServer(LocalServer.hang())) {
            long start = System.nanoTime();
            CheckResult r = CheckRun.run(List.of(lane(Role.NAKED, true)),
                    List.of(Targets.local("a", a.port()), Targets.local("b", b.port())), 3, TIMEOUT, Optional.of(NAKED));
            long millis = (System.nanoTime() - start) / 1_000_000;
            for (LaneResult lane : r.lanes()) {
                assertEquals(List.of(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.TIMEOUT), outcomes(lane), lane.target().name());
            }
            for (int i = 1; i < arrivals.size(); i++) {
                long gap = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
                assertTrue(gap >= TIMEOUT.toMillis() * 9 / 10, "one attempt of a lane at a time: the next began "
                        + gap + " ms after the previous, before its deadline");
            }
            assertEquals(3, a.connections());
            assertTrue(millis < 2 * 3 * TIMEOUT.toMillis(), "the two targets ran side by side: " + millis + " ms");
            assertEquals(CheckResult.EXIT_INCONCLUSIVE, r.exitCode(), "a timeout proves nothing for the naked role");
        }
    }

    @Test
    void aProberThatNeverReturnsCannotHoldTheCheckOpen() {
        CountDownLatch never = new CountDownLatch(1);
        Prober stuck = target -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        };
        Duration timeout = Duration.ofMillis(100);
        long start = System.nanoTime();
        CheckResult r = CheckRun.run(List.of(new Lane(Role.SIDECAR, stuck, () -> true)), List.of(Targets.local("t", 1)),
                2, timeout, Optional.empty());
        long millis = (System.nanoTime() - start) / 1_000_000;
        long bound = timeout.plus(CheckRun.GRACE).multipliedBy(2).toMillis();
        assertTrue(millis < bound + 1000, "bounded by attempts x (timeout + grace) = " + bound + " ms: " + millis + " ms");
        LaneResult lane = r.lanes().get(0);
        assertEquals(List.of(Outcome.TIMEOUT, Outcome.TIMEOUT), outcomes(lane));
        assertTrue(lane.attempts().get(0).reason().contains("did not end within the check's bound"),
                lane.attempts().get(0).reason());
        assertEquals(Verdict.FAIL, lane.verdict(), "judged like any timeout: a sidecar call that hangs fails");
    }

    @Test
    void hostilePeersEndByTheDeadlineAndLeaveEveryReportWellFormed() throws Exception {
        String markup = "</failure>]]><x/>&\u001b[31m\u0007\"";
        List<LocalServer> servers = List.of(
                new LocalServer(HostilePeers.drip("HTTP/1.1 200 OK\r\n", 50)),
                new LocalServer(HostilePeers.endlessChunks()),
                new LocalServer(HostilePeers.raw("HTTP/1.1 200 " + markup + "\r\nContent-Length: 9\r\n\r\n" + markup)),
                new LocalServer(HostilePeers.raw(HostilePeers.oversizedEcho(200_000))),
                new LocalServer(LocalServer.echo("By=spiffe://td/s;URI=spiffe://td/" + markup)));
        try {
            List<TargetSpec> targets = servers.stream().map(s -> Targets.local("h" + s.port(), s.port())).toList();
            RoleState sidecar = new RoleState(Role.SIDECAR, "config", Role.SIDECAR, "config", "");
            long start = System.nanoTime();
            CheckResult r = CheckRun.run(List.of(lane(Role.SIDECAR, true)), targets, 1, TIMEOUT, Optional.of(sidecar));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(r.lanes().stream().flatMap(l -> l.attempts().stream())
                    .noneMatch(a -> a.reason().contains("check's bound")), "every attempt ended by its own deadline");
            assertTrue(millis < 2 * TIMEOUT.plus(CheckRun.GRACE).toMillis(), "side by side, bounded: " + millis + " ms");
            assertEquals(CheckResult.EXIT_FAIL, r.exitCode(), "no hostile answer is an mtls pass");

            JunitXml.parse(JunitReport.render(r));
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(JsonReport.render(r));
            String text = TextReport.render(r);
            assertEquals(servers.size() + 1, text.lines().count(), text);
            assertTrue(text.chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f), text);
        } finally {
            for (LocalServer s : servers) {
                s.close();
            }
        }
    }

    static List<Outcome> outcomes(LaneResult lane) {
        return lane.attempts().stream().map(Attempt::result).map(dev.mtlsprobe.model.AttemptResult::outcome).toList();
    }
}
