package dev.mtlsprobe.probe;

import dev.mtlsprobe.config.TargetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs every (lane, target) pair on its own fixed-rate schedule. A millisecond timer rather than
 * quarkus-scheduler, whose triggers are checked once a second: that would add up to a second of jitter.
 *
 * <p>Each pair has at most one attempt in flight (a tick that finds the previous one still running is
 * skipped), and each attempt runs on its own worker, so a hung target never delays another. The worker
 * pool can grow to one thread per pair, which is exactly the most that can ever be busy.
 */
public final class ProbeLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProbeLoop.class);
    private static final long STACK_SIZE = 256 * 1024; // attempts are shallow; keep idle threads cheap
    // A burst (the cold first round, a GC pause) briefly needs many workers; let the extra ones go soon after,
    // so that a pod's memory settles within seconds rather than holding a hundred idle threads for a minute.
    private static final long IDLE_WORKER_SECONDS = 10;

    /** Receives every finished attempt. */
    @FunctionalInterface
    public interface Sink {
        void accept(Lane lane, TargetSpec target, AttemptResult result);
    }

    private record Slot(Lane lane, TargetSpec target, AtomicLong busySince) {
    }

    private final Duration interval;
    private final List<Slot> slots = new ArrayList<>();
    private final Sink sink;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor workers;
    private final AtomicLong lastTick = new AtomicLong(System.nanoTime());
    private final AtomicLong skipped = new AtomicLong();

    public ProbeLoop(Duration interval, List<Lane> lanes, List<TargetSpec> targets, Sink sink) {
        this.interval = interval;
        this.sink = sink;
        for (Lane lane : lanes) {
            for (TargetSpec target : targets) {
                slots.add(new Slot(lane, target, new AtomicLong()));
            }
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("mtls-probe-timer", 0));
        this.workers = new ThreadPoolExecutor(0, Math.max(1, slots.size()), IDLE_WORKER_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("mtls-probe-attempt", STACK_SIZE));
    }

    /** Starts the schedules, spread evenly over one interval so that many targets do not fire at once. */
    public void start() {
        long period = interval.toNanos();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            timer.scheduleAtFixedRate(() -> tick(slot), period * i / slots.size(), period, TimeUnit.NANOSECONDS);
        }
    }

    private void tick(Slot slot) {
        long now = System.nanoTime();
        lastTick.set(now);
        if (!slot.busySince().compareAndSet(0, now)) {
            skipped.incrementAndGet(); // the previous attempt is still running: never overlap
            return;
        }
        try {
            workers.execute(() -> run(slot));
        } catch (RuntimeException e) {
            slot.busySince().set(0);
            LOG.errorf("could not start an attempt for target %s: %s", slot.target().name(), e);
        }
    }

    private void run(Slot slot) {
        try {
            sink.accept(slot.lane(), slot.target(), slot.lane().prober().probe(slot.target()));
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "attempt for target %s failed unexpectedly", slot.target().name());
        } finally {
            slot.busySince().set(0);
        }
    }

    /** Ticks skipped because the previous attempt had not finished. */
    public long skipped() {
        return skipped.get();
    }

    /**
     * @return empty when healthy, else why not: the timer stopped ticking, or an attempt has been running
     *         far longer than any timeout allows (a stuck worker)
     */
    public java.util.Optional<String> problem() {
        long now = System.nanoTime();
        long limit = 3 * interval.toNanos();
        if (timer.isShutdown()) {
            return java.util.Optional.of("the probe timer is stopped");
        }
        if (now - lastTick.get() > limit) {
            return java.util.Optional.of("the probe timer has not ticked for " + (now - lastTick.get()) / 1_000_000
                    + " ms");
        }
        for (Slot slot : slots) {
            long since = slot.busySince().get();
            if (since != 0 && now - since > limit) {
                return java.util.Optional.of("the attempt for target " + slot.target().name() + " has run for "
                        + (now - since) / 1_000_000 + " ms");
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory threads(String name, long stackSize) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), stackSize);
            t.setDaemon(true);
            return t;
        };
    }
}
