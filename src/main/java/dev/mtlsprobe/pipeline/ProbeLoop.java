package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.TargetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs every (lane, target) pair on its own fixed-rate schedule. A millisecond timer rather than
 * quarkus-scheduler, whose triggers are checked once a second: that would add up to a second of jitter.
 *
 * <p>Each pair has at most one attempt in flight: a tick that finds the previous one still running is skipped,
 * counted ({@link Sink#skipped}) and logged once when a pair starts skipping. Each attempt runs on its own
 * worker, so a hung target never delays another.
 */
public final class ProbeLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    // At the cap ticks are skipped many times a second; one line a minute says how many, not one per tick.
    private static final long CAP_WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Receives every finished attempt, and every tick skipped because the previous attempt still ran. */
    @FunctionalInterface
    public interface Sink {
        void accept(Lane lane, TargetSpec target, AttemptResult result);

        default void skipped(Lane lane, TargetSpec target) {
        }
    }

    /** @param skipping ticks skipped in a row; the first one is logged, and the recovery */
    private record Slot(Lane lane, TargetSpec target, AtomicLong busySince, AtomicLong skipping) {
    }

    private final Duration interval;
    private final List<Slot> slots = new ArrayList<>();
    private final Sink sink;
    private final ScheduledExecutorService timer;
    private final AttemptWorkers workers;
    private final AtomicLong lastTick = new AtomicLong(System.nanoTime());
    private final AtomicLong skipped = new AtomicLong();
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong capSkips = new AtomicLong(); // ticks skipped at the cap since the last line said so
    private final AtomicLong capWarned = new AtomicLong(System.nanoTime() - CAP_WARN_EVERY_NANOS);

    public ProbeLoop(Duration interval, List<Lane> lanes, List<TargetSpec> targets, Sink sink) {
        this(interval, lanes, targets, sink, Integer.MAX_VALUE);
    }

    /**
     * @param maxInFlight at most this many attempts at once: each holds a thread (blocking I/O), so thousands of
     *                    hanging targets would otherwise mean thousands of threads and a process that runs out of
     *                    memory exactly when every target fails. At the cap a tick is skipped and counted.
     */
    public ProbeLoop(Duration interval, List<Lane> lanes, List<TargetSpec> targets, Sink sink, int maxInFlight) {
        this.interval = interval;
        this.sink = sink;
        this.maxInFlight = maxInFlight;
        for (Lane lane : lanes) {
            for (TargetSpec target : targets) {
                slots.add(new Slot(lane, target, new AtomicLong(), new AtomicLong()));
            }
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(AttemptWorkers.threads("mtls-probe-timer"));
        this.workers = new AttemptWorkers(Math.min(slots.size(), maxInFlight), "mtls-probe-attempt");
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
        long since = slot.busySince().get();
        if (since != 0 || !slot.busySince().compareAndSet(0, now)) {
            skip(slot, now - since); // the previous attempt is still running: never overlap
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            slot.busySince().set(0);
            skipAtCap(slot);
            return;
        }
        long skippedInARow = slot.skipping().getAndSet(0);
        if (skippedInARow > 0) {
            LOG.infof("target %s (%s): attempts back on schedule after %d skipped tick(s)", slot.target().name(),
                    slot.lane().role().label(), skippedInARow);
        }
        try {
            workers.execute(() -> run(slot));
        } catch (RuntimeException e) { // only when shutting down
            inFlight.decrementAndGet();
            slot.busySince().set(0);
            LOG.debugf("no attempt for target %s: %s", slot.target().name(), e);
        }
    }

    private void skip(Slot slot, long busyNanos) {
        if (slot.skipping().getAndIncrement() == 0) {
            LOG.warnf("target %s (%s): the previous attempt is still running after %d ms, so this tick is skipped "
                    + "(mtls_probe_skipped_attempts_total); attempts take longer than the interval of %d ms allows",
                    slot.target().name(), slot.lane().role().label(), busyNanos / 1_000_000, interval.toMillis());
        }
        count(slot);
    }

    private void skipAtCap(Slot slot) {
        long n = capSkips.incrementAndGet();
        long last = capWarned.get();
        long now = System.nanoTime();
        if (now - last >= CAP_WARN_EVERY_NANOS && capWarned.compareAndSet(last, now)) {
            capSkips.addAndGet(-n);
            LOG.warnf("%d attempts in flight, the cap (mtls-probe.max-concurrent-attempts): %d tick(s) skipped and "
                    + "counted (mtls_probe_skipped_attempts_total); many targets hang, or the cap is too low for the "
                    + "number of targets", maxInFlight, n);
        }
        count(slot);
    }

    private void count(Slot slot) {
        skipped.incrementAndGet();
        try {
            sink.skipped(slot.lane(), slot.target());
        } catch (RuntimeException e) {
            LOG.errorf(e, "recording a skipped tick for target %s failed", slot.target().name());
        }
    }

    private void run(Slot slot) {
        try {
            sink.accept(slot.lane(), slot.target(), slot.lane().prober().probe(slot.target()));
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "attempt for target %s failed unexpectedly", slot.target().name());
        } finally {
            inFlight.decrementAndGet();
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

    /** Attempt threads alive now. */
    int workerThreads() {
        return workers.threads();
    }
}
