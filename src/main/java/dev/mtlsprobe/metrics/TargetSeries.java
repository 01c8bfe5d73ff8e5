package dev.mtlsprobe.metrics;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.AttemptListener;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The per-target series of the contract, kept as a few small arrays per (role, target) cell rather than one
 * Micrometer meter per series: a cell has about 40 series, which as meters cost some 25 KiB of heap each and
 * microseconds per series on every scrape. {@link TargetFamilies} writes them.
 */
@ApplicationScoped
public class TargetSeries implements AttemptListener {

    static final Outcome[] OUTCOMES = Outcome.values();
    static final Verdict[] VERDICTS = Verdict.values();
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };
    private static final long[] BUCKET_NANOS = java.util.Arrays.stream(BUCKETS).mapToLong(Duration::toNanos).toArray();
    // The window of the _max gauge: the Prometheus registry's default step, as the former meters had.
    private static final DistributionStatisticConfig MAX_WINDOW = DistributionStatisticConfig.builder()
            .expiry(Duration.ofMinutes(1)).bufferLength(3).build();

    private final Map<String, Cell> cells = new ConcurrentHashMap<>();
    private final List<Cell> ordered = new CopyOnWriteArrayList<>(); // scrape order = registration order

    /** Every attempt counter exists at 0 from the start, so increase() sees a first occurrence. */
    @Override
    public void prepare(Role role, TargetSpec target) {
        cell(role, target);
    }

    @Override
    public void onAttempt(Attempt a) {
        record(a.role(), a.target(), a.result(), a.verdict());
    }

    @Override
    public void onSkipped(Role role, TargetSpec target) {
        Cell c = cell(role, target);
        synchronized (c) {
            c.skipped++;
        }
    }

    public void record(Role role, TargetSpec target, AttemptResult result, Verdict verdict) {
        cell(role, target).record(result, verdict);
    }

    /** The attempts counter of one series. */
    public long attempts(Role role, TargetSpec target, Outcome outcome) {
        Cell c = cells.get(key(role, target));
        if (c == null) {
            return 0;
        }
        synchronized (c) {
            return c.attempts[outcome.ordinal()];
        }
    }

    List<Cell> cells() {
        return ordered;
    }

    private Cell cell(Role role, TargetSpec target) {
        Cell c = cells.get(key(role, target));
        if (c != null) {
            return c;
        }
        synchronized (ordered) {
            return cells.computeIfAbsent(key(role, target), k -> {
                Cell created = new Cell(role.label(), target.name());
                ordered.add(created);
                return created;
            });
        }
    }

    private static String key(Role role, TargetSpec target) {
        return role.label() + "/" + target.name();
    }

    /** One (role, target) cell: what the contract's series show, as plain fields guarded by the cell. */
    static final class Cell {
        final String role;
        final String target;
        final String labels; // role="…",target="…", escaped once rather than on every line of every scrape
        final long[] attempts = new long[OUTCOMES.length];
        final long[] buckets = new long[BUCKETS.length]; // per bucket, not cumulative
        final TimeWindowMax max = new TimeWindowMax(Clock.SYSTEM, MAX_WINDOW);
        long skipped;
        int lastOutcome = -1; // -1 until the first attempt: the gauges appear with it
        int verdict = -1;
        long lastAttemptMillis;
        long lastPassMillis = -1; // -1 until the first pass
        long count;
        long totalNanos;
        PeerIdentity identity;

        Cell(String role, String target) {
            this.role = role;
            this.target = target;
            this.labels = "role=\"" + Exposition.escape(role) + "\",target=\"" + Exposition.escape(target) + "\"";
        }

        synchronized void record(AttemptResult r, Verdict v) {
            lastOutcome = r.outcome().ordinal();
            verdict = v.ordinal();
            lastAttemptMillis = r.startedAtMillis();
            if (v == Verdict.PASS) {
                lastPassMillis = r.startedAtMillis();
            }
            long nanos = r.durationNanos();
            if (nanos > 0) { // no connection, no duration: a DNS error is not a fast attempt
                count++;
                totalNanos += nanos;
                max.record(nanos, TimeUnit.NANOSECONDS);
                for (int i = 0; i < BUCKET_NANOS.length; i++) {
                    if (nanos <= BUCKET_NANOS[i]) {
                        buckets[i]++;
                        break;
                    }
                }
            }
            attempts[r.outcome().ordinal()]++;
            r.identity().ifPresent(id -> identity = id);
        }

        /** Copies the cell into a scratch sample, so that nothing is written to the network under its lock. */
        synchronized void copyTo(Sample s) {
            s.labels = labels;
            s.role = role;
            s.target = target;
            System.arraycopy(attempts, 0, s.attempts, 0, attempts.length);
            System.arraycopy(buckets, 0, s.buckets, 0, buckets.length);
            s.max = max.poll(TimeUnit.SECONDS);
            s.skipped = skipped;
            s.lastOutcome = lastOutcome;
            s.verdict = verdict;
            s.lastAttemptMillis = lastAttemptMillis;
            s.lastPassMillis = lastPassMillis;
            s.count = count;
            s.totalNanos = totalNanos;
            s.identity = identity;
        }
    }

    /** A reusable copy of one cell; one per scrape, not one per cell. */
    static final class Sample {
        String labels;
        String role;
        String target;
        final long[] attempts = new long[OUTCOMES.length];
        final long[] buckets = new long[BUCKETS.length];
        double max;
        long skipped;
        int lastOutcome;
        int verdict;
        long lastAttemptMillis;
        long lastPassMillis;
        long count;
        long totalNanos;
        PeerIdentity identity;
    }
}
