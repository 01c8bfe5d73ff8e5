package dev.mtlsprobe.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.Greeting;
import dev.mtlsprobe.probe.Resolver;
import dev.mtlsprobe.probe.TcpProber;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import dev.mtlsprobe.testsupport.LocalServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The rounds against real loopback servers: checks spread over the interval, never faster than the rate limit,
 * never more in flight than the concurrency cap, none while paused; each check one connection.
 */
class SweepRunnerTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);

    /** A server that notes when each connection arrives and how many are open at once. */
    static final class Watched implements AutoCloseable {
        final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger mostOpen = new AtomicInteger();
        final LocalServer server;

        /** @param hold keep each connection open, silent, until the client closes it (else reset it at once) */
        Watched(boolean hold) throws Exception {
            server = new LocalServer(s -> {
                arrivals.add(System.nanoTime());
                int now = open.incrementAndGet();
                mostOpen.accumulateAndGet(now, Math::max);
                try {
                    if (hold) {
                        s.getInputStream().readAllBytes(); // until the probe's deadline closes it
                    } else {
                        LocalServer.reset().handle(s);
                    }
                } finally {
                    open.decrementAndGet();
                }
            });
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    static CoverageStore store(int port, int endpoints) {
        List<EndpointPlan> list = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            list.add(new EndpointPlan("pod-" + i, "127.0.0.1", port, new Expectation(MtlsMode.STRICT,
                    Expectation.Protection.SIDECAR, "test")));
        }
        CoverageStore store = new CoverageStore(Duration.ofMinutes(1));
        store.plan(new CoveragePlan(List.of(new PortPlan("ns", "svc", 80, "http", Greeting.HTTP, endpoints, list)),
                0, 0, List.of()));
        return store;
    }

    static SweepRunner runner(Duration interval, double rate, int concurrency, CoverageStore store,
            Supplier<String> paused) {
        TcpProber prober = new TcpProber(Resolver.SYSTEM, Dialer.DIRECT, TIMEOUT, "test");
        return new SweepRunner(interval, rate, concurrency, store, (p, e) -> prober.probe(
                TargetSpec.tcp(p.key(), e.address(), e.targetPort()), p.greeting()), paused);
    }

    static void await(Supplier<Boolean> done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.get() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    static long spanMillis(List<Long> arrivals) {
        return (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
    }

    @Test
    void theRateLimitSpacesChecksEvenWhenTheIntervalWouldCrowdThem() throws Exception {
        try (Watched w = new Watched(false)) {
            CoverageStore store = store(w.server.port(), 12);
            try (SweepRunner r = runner(Duration.ofSeconds(1), 10, 4, store, () -> null)) {
                assertEquals(100_000_000L, r.spacingNanos(12), "the interval would allow 83 ms, the rate 100 ms");
                r.start();
                await(() -> w.arrivals.size() >= 12, Duration.ofSeconds(5));
            }
            Thread.sleep(200); // a check in flight at the close ends
            List<Long> a = new ArrayList<>(w.arrivals).subList(0, 12); // the next round may have begun
            assertTrue(spanMillis(a) >= 1_000, "12 checks at 10/s span 1.1 s, not the 1 s interval: " + spanMillis(a));
            for (int i = 1; i < a.size(); i++) {
                long gap = (a.get(i) - a.get(i - 1)) / 1_000_000;
                assertTrue(gap >= 40, "no burst (100 ms apart, scheduling aside): checks " + (i - 1) + " and " + i
                        + " came " + gap + " ms apart");
            }
            assertEquals(w.arrivals.size(), store.attempts()[dev.mtlsprobe.model.Outcome.RESET.ordinal()],
                    "one connection per check");
        }
    }

    @Test
    void checksAreSpreadOverTheInterval() throws Exception {
        try (Watched w = new Watched(false)) {
            CoverageStore store = store(w.server.port(), 4);
            try (SweepRunner r = runner(Duration.ofSeconds(2), 100, 4, store, () -> null)) {
                r.start();
                await(() -> w.arrivals.size() >= 4, Duration.ofSeconds(5));
            }
            assertTrue(spanMillis(w.arrivals) >= 1_400, "4 checks over 2 s start 0.5 s apart: " + spanMillis(w.arrivals));
        }
    }

    @Test
    void neverMoreInFlightThanTheConcurrencyCap() throws Exception {
        try (Watched w = new Watched(true)) {
            CoverageStore store = store(w.server.port(), 6);
            long t0 = System.nanoTime();
            try (SweepRunner r = runner(Duration.ofMillis(600), 100, 2, store, () -> null)) {
                r.start();
                await(() -> store.lastRoundEndedMillis() > 0, Duration.ofSeconds(6));
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(2, w.mostOpen.get(), "two at once, never three, though the rate would start all six");
            assertTrue(took >= 1_400, "six held-open checks two at a time take three deadlines: " + took + " ms");
            assertTrue(store.attempts()[dev.mtlsprobe.model.Outcome.ACCEPTED.ordinal()] >= 6,
                    "held open till the deadline: plaintext reached whatever listens");
            assertEquals(PortState.FINDING, store.samples(System.currentTimeMillis()).get(0).state());
        }
    }

    @Test
    void noCheckWhilePaused() throws Exception {
        try (Watched w = new Watched(false)) {
            CoverageStore store = store(w.server.port(), 2);
            AtomicReference<String> pause = new AtomicReference<>("paused while the role is mismatched");
            try (SweepRunner r = runner(Duration.ofSeconds(1), 100, 2, store, pause::get)) {
                r.start();
                Thread.sleep(1_300);
                assertEquals(0, w.server.connections(), "a naked probe that may be wrapped sends nothing");
                pause.set(null);
                await(() -> w.arrivals.size() >= 2, Duration.ofSeconds(4));
            }
            assertTrue(w.arrivals.size() >= 2, "checks resume with the pause lifted");
        }
    }
}
