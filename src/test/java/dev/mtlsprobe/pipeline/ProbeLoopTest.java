package dev.mtlsprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.HttpProber;
import dev.mtlsprobe.probe.Prober;
import dev.mtlsprobe.probe.Resolver;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.LogCapture;
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
        Prober slowProber = new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofMillis(700), "test");
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

    /**
     * Attempts that end right at the next tick: the worker has freed its schedule but is not yet waiting for work.
     * Every tick must still become an attempt or a counted skip, never a rejected task.
     */
    @Test
    void everyTickIsAnAttemptOrACountedSkipEvenWhenAttemptsEndAtTheNextTick() throws Exception {
        Duration interval = Duration.ofMillis(100);
        Prober prober = new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofMillis(99), "test");
        try (LocalServer hung = new LocalServer(LocalServer.hang())) {
            List<TargetSpec> targets = java.util.stream.IntStream.range(0, 30)
                    .mapToObj(i -> Targets.local("t" + i, hung.port())).toList();
            Map<String, java.util.concurrent.atomic.AtomicInteger> ticks = new ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger skips = new java.util.concurrent.atomic.AtomicInteger();
            ProbeLoop loop = new ProbeLoop(interval, List.of(new Lane(Role.NAKED, prober, () -> true)), targets,
                    new ProbeLoop.Sink() {
                        @Override
                        public void accept(Lane lane, TargetSpec target, AttemptResult result) {
                            ticks.computeIfAbsent(target.name(), k -> new java.util.concurrent.atomic.AtomicInteger())
                                    .incrementAndGet();
                        }

                        @Override
                        public void skipped(Lane lane, TargetSpec target) {
                            skips.incrementAndGet();
                            ticks.computeIfAbsent(target.name(), k -> new java.util.concurrent.atomic.AtomicInteger())
                                    .incrementAndGet();
                        }
                    });
            long t0 = System.nanoTime();
            loop.start();
            Thread.sleep(2_000);
            loop.close();
            long elapsedTicks = (System.nanoTime() - t0) / interval.toNanos();
            for (TargetSpec t : targets) {
                int seen = ticks.getOrDefault(t.name(), new java.util.concurrent.atomic.AtomicInteger()).get();
                assertTrue(seen >= elapsedTicks - 3, t.name() + ": " + seen + " attempts and skips in "
                        + elapsedTicks + " ticks");
            }
            assertEquals(loop.skipped(), skips.get(), "every skip reaches the sink");
            assertTrue(loop.workerThreads() <= targets.size(), "at most one worker per schedule");
        }
    }

    /** Thousands of hanging targets must not mean thousands of threads: beyond the cap ticks are skipped. */
    @Test
    void attemptsInFlightStayUnderTheCapAndTheRestAreCountedAsSkipped() throws Exception {
        Duration interval = Duration.ofMillis(200);
        Prober prober = new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofMillis(150), "test");
        try (LocalServer hung = new LocalServer(LocalServer.hang()); LogCapture log = new LogCapture()) {
            List<TargetSpec> targets = java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> Targets.local("t" + i, hung.port())).toList();
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger skips = new java.util.concurrent.atomic.AtomicInteger();
            ProbeLoop loop = new ProbeLoop(interval, List.of(new Lane(Role.NAKED, prober, () -> true)), targets,
                    new ProbeLoop.Sink() {
                        @Override
                        public void accept(Lane lane, TargetSpec target, AttemptResult result) {
                            attempts.incrementAndGet();
                        }

                        @Override
                        public void skipped(Lane lane, TargetSpec target) {
                            skips.incrementAndGet();
                        }
                    }, 5);
            loop.start();
            int most = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(50);
                most = Math.max(most, loop.workerThreads());
            }
            loop.close();
            assertTrue(most <= 5, "attempt threads: " + most);
            assertTrue(attempts.get() > 0 && skips.get() > 0, attempts + " attempts, " + skips + " skipped");
            assertEquals(skips.get(), loop.skipped());
            assertEquals(1, log.count("attempts in flight, the cap"), log.lines().toString());
        }
    }

    @Test
    void anAttemptStuckForThreeIntervalsMakesTheLoopUnhealthy() throws Exception {
        Duration interval = Duration.ofMillis(100);
        Prober stuck = new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofSeconds(3), "test");
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
