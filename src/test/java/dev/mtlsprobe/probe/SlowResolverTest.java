package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Verdicts;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Targets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A DNS server that does not answer holds the system resolver for its own timeouts; the attempt must still end
 * by its deadline, and other targets must not wait behind it. The system resolver cannot be pointed at a slow
 * server from a test on Java 17, so the slow lookup is a resolver that blocks, as {@code getaddrinfo} would.
 */
class SlowResolverTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger slowLookups = new AtomicInteger();

    final Resolver resolver = host -> {
        if (host.equals("slow.test")) {
            slowLookups.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        }
        return InetAddress.getLoopbackAddress();
    };

    @AfterEach
    void releaseTheLookup() {
        release.countDown();
    }

    @Test
    void aHungLookupEndsTheAttemptByItsDeadline() {
        Prober prober = new HttpProber(resolver, Dialer.DIRECT, TIMEOUT, "test");
        long t0 = System.nanoTime();
        AttemptResult r = prober.probe(Targets.http("t", "slow.test", 8080, "/headers"));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Outcome.TIMEOUT, r.outcome(), r.reason());
        assertEquals("host name slow.test did not resolve within 500 ms", r.reason());
        assertTrue(tookMillis >= 450 && tookMillis <= 800, "took " + tookMillis + " ms");
        assertEquals(Verdict.INCONCLUSIVE, Verdicts.judge(Role.NAKED, r, Targets.local("t", 1), true).verdict(),
                "a DNS timeout is no proof of enforcement");
    }

    @Test
    void otherTargetsDoNotWaitAndAttemptsShareTheHungLookup() throws Exception {
        Prober prober = new HttpProber(resolver, Dialer.DIRECT, TIMEOUT, "test");
        try (LocalServer strict = new LocalServer(LocalServer.reset())) {
            CompletableFuture<AttemptResult> slow1 = CompletableFuture.supplyAsync(
                    () -> prober.probe(Targets.http("a", "slow.test", 8080, "/headers")));
            CompletableFuture<AttemptResult> slow2 = CompletableFuture.supplyAsync(
                    () -> prober.probe(Targets.http("b", "slow.test", 8080, "/headers")));
            Thread.sleep(50); // both lookups are hanging now
            long t0 = System.nanoTime();
            AttemptResult fast = prober.probe(Targets.http("c", "fast.test", strict.port(), "/headers"));
            long fastMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Outcome.RESET, fast.outcome(), fast.reason());
            assertTrue(fastMillis < 200, "a resolvable target waited " + fastMillis + " ms");
            assertEquals(Outcome.TIMEOUT, slow1.get(2, TimeUnit.SECONDS).outcome());
            assertEquals(Outcome.TIMEOUT, slow2.get(2, TimeUnit.SECONDS).outcome());
            assertEquals(1, slowLookups.get(), "one lookup per hung name, not one per attempt");
        }
    }
}
