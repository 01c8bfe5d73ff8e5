package dev.mtlsprobe.sweep;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the rounds: each takes the current plan and starts its checks spread evenly over the sweep interval, never
 * closer together than the rate limit allows and never more in flight than the concurrency cap (the dispatcher
 * waits for a free slot instead of queueing). A round that cannot fit in the interval at that rate takes longer,
 * and says so once. Each check is one attempt, bounded by its own deadline.
 */
final class SweepRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    /** How soon a plan still waiting for the API is looked at again. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One plaintext attempt on one endpoint's port. */
    @FunctionalInterface
    interface Checker {
        AttemptResult check(PortPlan port, EndpointPlan endpoint);
    }

    private record Check(PortPlan port, EndpointPlan endpoint) {
    }

    private final long intervalNanos;
    private final long minSpacingNanos;
    private final CoverageStore store;
    private final Checker checker;
    private final Supplier<String> paused;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final Thread dispatcher;
    private volatile boolean running = true;
    private boolean overrunSaid;
    private String pauseSaid;

    /** @param paused why no round may start now, or null when one may */
    SweepRunner(Duration interval, double rate, int concurrency, CoverageStore store, Checker checker,
            Supplier<String> paused) {
        this.intervalNanos = interval.toNanos();
        this.minSpacingNanos = (long) (1e9 / rate);
        this.store = store;
        this.checker = checker;
        this.paused = paused;
        this.slots = new Semaphore(concurrency);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency,
                r -> daemon(r, "mtls-probe-sweep-" + n.incrementAndGet()));
        this.dispatcher = daemon(this::loop, "mtls-probe-sweep-dispatch");
    }

    void start() {
        dispatcher.start();
    }

    /** The time between two checks of a round of {@code checks}: the interval spread, or the rate's minimum. */
    long spacingNanos(int checks) {
        return Math.max(checks == 0 ? intervalNanos : intervalNanos / checks, minSpacingNanos);
    }

    private void loop() {
        try {
            while (running) {
                round();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    private void round() throws InterruptedException {
        long start = System.nanoTime();
        CoveragePlan plan = store.plan();
        String pause = paused.get();
        if (pause != null) {
            if (!pause.equals(pauseSaid)) {
                LOG.warnf("coverage: %s", pause);
            }
            pauseSaid = pause;
            sleepUntil(start + RETRY_NANOS);
            return;
        }
        pauseSaid = null;
        if (plan.ports().isEmpty() && !plan.waiting().isEmpty()) {
            sleepUntil(start + RETRY_NANOS);
            return;
        }
        store.roundStarted(System.currentTimeMillis());
        List<Check> checks = new ArrayList<>();
        plan.ports().forEach(p -> p.endpoints().forEach(e -> checks.add(new Check(p, e))));
        long spacing = spacingNanos(checks.size());
        CountDownLatch done = new CountDownLatch(checks.size());
        long last = 0;
        for (int i = 0; i < checks.size() && running; i++) {
            // On schedule, but never closer to the previous check than the rate allows: after a stall (a GC pause,
            // a busy machine, all slots taken) the round falls behind instead of catching up in a burst.
            sleepUntil(i == 0 ? start : Math.max(start + i * spacing, last + minSpacingNanos));
            slots.acquire();
            last = System.nanoTime();
            Check c = checks.get(i);
            workers.execute(() -> {
                try {
                    store.record(c.port(), c.endpoint(), checker.check(c.port(), c.endpoint()));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "coverage: the check of %s (%s) failed unexpectedly", c.port().key(),
                            c.endpoint().key());
                } finally {
                    slots.release();
                    done.countDown();
                }
            });
        }
        // Each check ends by its deadline (at most a minute); the bound is only a backstop against a stuck worker.
        done.await(intervalNanos + TimeUnit.MINUTES.toNanos(1), TimeUnit.NANOSECONDS);
        store.roundEnded(System.currentTimeMillis());
        long next = start + intervalNanos;
        if (System.nanoTime() - next > 0) {
            if (!overrunSaid) {
                overrunSaid = true;
                LOG.warnf("coverage: a round of %d checks at most %.1f/s took %d s, longer than the sweep interval of "
                        + "%d s; raise mtls-probe.sweep.rate or lower the caps", checks.size(), 1e9 / minSpacingNanos,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), TimeUnit.NANOSECONDS.toSeconds(
                                intervalNanos));
            }
            return;
        }
        boolean incomplete = !plan.waiting().isEmpty();
        while (running && System.nanoTime() - next < 0) {
            // A plan made while the API was still listing is redone as soon as the listing is complete.
            if (incomplete && store.plan().waiting().isEmpty()) {
                return;
            }
            sleepUntil(Math.min(next, System.nanoTime() + RETRY_NANOS));
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(null, r, name, 256 * 1024);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
        workers.shutdownNow();
    }
}
