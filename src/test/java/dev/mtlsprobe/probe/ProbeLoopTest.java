package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Targets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProbeLoopTest {

    @Test
    void aHungTargetNeitherDelaysOthersNorOverlapsItself() throws Exception {
        Duration interval = Duration.ofMillis(200);
        // The attempt budget deliberately exceeds the interval (the configuration forbids that) to force overlap.
        Prober slowProber = new Prober(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofMillis(700), "test");
        try (LocalServer hung = new LocalServer(LocalServer.hang());
                LocalServer fast = new LocalServer(LocalServer.reset())) {
            TargetSpec hungTarget = Targets.local("hung", hung.port());
            TargetSpec fastTarget = Targets.local("fast", fast.port());
            Map<String, List<AttemptResult>> results = new ConcurrentHashMap<>();
            ProbeLoop loop = new ProbeLoop(interval, List.of(new Lane(Role.NAKED, slowProber, () -> true)),
                    List.of(hungTarget, fastTarget), (lane, target, r) ->
                            results.computeIfAbsent(target.name(), k -> new CopyOnWriteArrayList<>()).add(r));
            loop.start();
            Thread.sleep(2_000);
            assertTrue(loop.problem().isEmpty(), "healthy while attempts finish within three intervals");
            loop.close();
            assertEquals(java.util.Optional.of("the probe timer is stopped"), loop.problem());

            List<AttemptResult> fastResults = results.get("fast");
            List<AttemptResult> hungResults = results.get("hung");
            assertTrue(fastResults.size() >= 8, "the fast target kept its schedule: " + fastResults.size());
            assertTrue(fastResults.stream().allMatch(r -> r.outcome() == Outcome.RESET), () -> fastResults.toString());
            assertTrue(hungResults.stream().allMatch(r -> r.outcome() == Outcome.TIMEOUT));
            assertTrue(loop.skipped() > 0, "ticks were skipped rather than overlapping");
            for (int i = 1; i < hungResults.size(); i++) {
                long gap = hungResults.get(i).startedAtMillis() - hungResults.get(i - 1).startedAtMillis();
                assertTrue(gap >= 690, "an attempt started only after the previous one ended: " + gap + " ms");
            }
            int inFlight = hung.connections() - hungResults.size();
            assertTrue(inFlight == 0 || inFlight == 1, "one connection per attempt: " + hung.connections()
                    + " connections, " + hungResults.size() + " results");
            assertEquals(fastResults.size(), fast.connections(), "one connection per attempt");
        }
    }

    @Test
    void anAttemptStuckForThreeIntervalsMakesTheLoopUnhealthy() throws Exception {
        Duration interval = Duration.ofMillis(100);
        Prober stuck = new Prober(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofSeconds(3), "test");
        try (LocalServer hung = new LocalServer(LocalServer.hang());
                ProbeLoop loop = new ProbeLoop(interval, List.of(new Lane(Role.NAKED, stuck, () -> true)),
                        List.of(Targets.local("hung", hung.port())), (lane, target, r) -> { })) {
            loop.start();
            Thread.sleep(600);
            String problem = loop.problem().orElse("");
            assertTrue(problem.startsWith("the attempt for target hung has run for"), problem);
        }
    }
}
