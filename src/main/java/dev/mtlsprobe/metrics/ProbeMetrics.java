package dev.mtlsprobe.metrics;

import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.Verdict;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.micrometer.core.instrument.util.TimeUtils;
import io.micrometer.prometheus.PrometheusConfig;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.AttemptListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The per-target series of the contract: attempts, latest outcome and verdict, duration, timestamps.
 *
 * <p>Why not one Micrometer meter per series: a target has about 40 series, and as meters they cost some
 * 25 KiB of heap per target and microseconds per series on every scrape (1,000 targets: 25 MiB and
 * 100 ms+). Here a target is a few small arrays, and {@link ProbeMetricsRegistry} writes them straight into
 * the exposition text, in exactly the form the Prometheus registry would have written them.
 */
@ApplicationScoped
public class ProbeMetrics implements AttemptListener {

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];
    private static final String[] BUCKET_LE = new String[BUCKETS.length];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKET_NANOS[i] = BUCKETS[i].toNanos();
            BUCKET_LE[i] = Double.toString(TimeUtils.nanosToUnit(BUCKET_NANOS[i], TimeUnit.SECONDS));
        }
    }

    static final String ATTEMPTS = "mtls_probe_attempts";
    static final String SKIPPED = "mtls_probe_skipped_attempts";
    static final String LAST_OUTCOME = "mtls_probe_last_outcome";
    static final String VERDICT = "mtls_probe_verdict";
    static final String DURATION = "mtls_probe_duration_seconds";
    static final String DURATION_MAX = "mtls_probe_duration_seconds_max";
    static final String LAST_ATTEMPT = "mtls_probe_last_attempt_timestamp_seconds";
    static final String LAST_PASS = "mtls_probe_last_pass_timestamp_seconds";
    static final String IDENTITY = "mtls_probe_peer_identity_info";
    private static final String DURATION_HELP = "Attempt duration, connect to last byte";
    private static final String[] ATTEMPTS_PREFIX = new String[OUTCOMES.length];
    private static final String[] LAST_OUTCOME_PREFIX = new String[OUTCOMES.length];
    private static final String[] VERDICT_SUFFIX = new String[VERDICTS.length];

    static {
        for (Outcome o : OUTCOMES) {
            ATTEMPTS_PREFIX[o.ordinal()] = ATTEMPTS + "_total{outcome=\"" + o.label() + "\",";
            LAST_OUTCOME_PREFIX[o.ordinal()] = LAST_OUTCOME + "{outcome=\"" + o.label() + "\",";
        }
        for (Verdict v : VERDICTS) {
            VERDICT_SUFFIX[v.ordinal()] = ",verdict=\"" + v.label() + "\"";
        }
    }

    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final List<Series> ordered = new CopyOnWriteArrayList<>(); // scrape order = registration order
    private final Clock clock = Clock.SYSTEM;
    private final DistributionStatisticConfig maxConfig;
    private volatile int lastLength = 4096;

    /** With the step of the Prometheus registry, so that the {@code _max} window is the one it would use. */
    @Inject
    public ProbeMetrics(PrometheusConfig config) {
        this.maxConfig = DistributionStatisticConfig.builder().expiry(config.step()).build()
                .merge(DistributionStatisticConfig.DEFAULT);
    }

    public ProbeMetrics() {
        this(PrometheusConfig.DEFAULT);
    }

    /** Every attempt counter exists at 0 from the start, so increase() sees a first occurrence. */
    @Override
    public void prepare(Role role, TargetSpec target) {
        seriesOf(role, target);
    }

    @Override
    public void onAttempt(Attempt a) {
        record(a.role(), a.target(), a.result(), a.verdict());
    }

    @Override
    public void onSkipped(Role role, TargetSpec target) {
        skipped(role, target);
    }

    public void record(Role role, TargetSpec target, AttemptResult result, Verdict verdict) {
        seriesOf(role, target).record(result, verdict);
    }

    /** A tick skipped because the previous attempt of the pair was still running. */
    public void skipped(Role role, TargetSpec target) {
        Series s = seriesOf(role, target);
        synchronized (s) {
            s.skipped++;
        }
    }

    /** The attempts counter of one series (for tests and the status page). */
    public long attempts(Role role, TargetSpec target, Outcome outcome) {
        Series s = series.get(key(role, target));
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return s.attempts[outcome.ordinal()];
        }
    }

    private Series seriesOf(Role role, TargetSpec target) {
        Series s = series.get(key(role, target));
        if (s != null) {
            return s;
        }
        synchronized (ordered) {
            return series.computeIfAbsent(key(role, target), k -> {
                Series created = new Series(role.label(), target.name());
                ordered.add(created);
                return created;
            });
        }
    }

    private static String key(Role role, TargetSpec target) {
        return role.label() + "/" + target.name();
    }

    /** One (role, target) pair: what the contract's series show, as plain fields. */
    private final class Series {
        final String role;
        final String target;
        final String labels; // role="…",target="…", escaped once rather than on every line of every scrape
        final long[] attempts = new long[OUTCOMES.length];
        long skipped;
        final long[] buckets = new long[BUCKETS.length]; // per bucket, not cumulative
        final TimeWindowMax max = new TimeWindowMax(clock, maxConfig);
        int lastOutcome = -1; // -1 until the first attempt: the gauges appear with it
        int verdict = -1;
        long lastAttemptMillis;
        long lastPassMillis = -1; // -1 until the first pass
        long count;
        long totalNanos;
        PeerIdentity identity;

        Series(String role, String target) {
            this.role = role;
            this.target = target;
            StringBuilder sb = new StringBuilder("role=\"");
            escaped(sb, role).append("\",target=\"");
            this.labels = escaped(sb, target).append('"').toString();
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

        /** A consistent copy, taken under the lock so that a scrape never sees half an attempt. */
        synchronized Snapshot snapshot() {
            return new Snapshot(role, target, labels, attempts.clone(), skipped, buckets.clone(),
                    max.poll(TimeUnit.SECONDS), lastOutcome, verdict, lastAttemptMillis, lastPassMillis, count, totalNanos,
                    identity);
        }
    }

    private record Snapshot(String role, String target, String labels, long[] attempts, long skipped, long[] buckets,
            double max,
            int lastOutcome, int verdict, long lastAttemptMillis, long lastPassMillis, long count,
            long totalNanos, PeerIdentity identity) {
    }

    /**
     * Writes every per-target family in the Prometheus text format 0.0.4 or OpenMetrics 1.0.0, byte for byte
     * as the Prometheus registry writes meters (label order, {@code 0.0} values, trailing comma in 0.0.4).
     *
     * @param names when not null, only the samples whose name is in this set (as the registry filters)
     */
    void render(StringBuilder sb, boolean openMetrics, Set<String> names) {
        Snapshot[] all = new Snapshot[ordered.size()];
        int n = 0;
        for (Series s : ordered) {
            if (n == all.length) {
                break; // registered during this scrape: it shows up on the next one
            }
            all[n++] = s.snapshot();
        }
        String end = openMetrics ? "} " : ",} ";
        if (wanted(names, ATTEMPTS + "_total")) {
            header(sb, openMetrics, ATTEMPTS, "counter", "Probe attempts", true);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                for (Outcome o : OUTCOMES) {
                    sb.append(ATTEMPTS_PREFIX[o.ordinal()]);
                    roleTarget(sb, s).append(end);
                    count(sb, s.attempts[o.ordinal()]).append('\n');
                }
            }
        }
        if (wanted(names, SKIPPED + "_total") && n > 0) {
            header(sb, openMetrics, SKIPPED, "counter",
                    "Ticks skipped because the previous attempt of the target was still running", true);
            for (int i = 0; i < n; i++) {
                sb.append(SKIPPED).append("_total{");
                roleTarget(sb, all[i]).append(end);
                count(sb, all[i].skipped).append('\n');
            }
        }
        if (wanted(names, LAST_OUTCOME) && anyAttempted(all, n)) {
            header(sb, openMetrics, LAST_OUTCOME, "gauge", "1 for the latest outcome", false);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                if (s.lastOutcome < 0) {
                    continue;
                }
                for (Outcome o : OUTCOMES) {
                    sb.append(LAST_OUTCOME_PREFIX[o.ordinal()]);
                    roleTarget(sb, s).append(end).append(o.ordinal() == s.lastOutcome ? "1.0\n" : "0.0\n");
                }
            }
        }
        if (wanted(names, VERDICT) && anyAttempted(all, n)) {
            header(sb, openMetrics, VERDICT, "gauge", "1 for the latest verdict", false);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                if (s.verdict < 0) {
                    continue;
                }
                for (Verdict v : VERDICTS) {
                    sb.append(VERDICT).append('{');
                    roleTarget(sb, s).append(VERDICT_SUFFIX[v.ordinal()]).append(end)
                            .append(v.ordinal() == s.verdict ? "1.0\n" : "0.0\n");
                }
            }
        }
        if (wanted(names, LAST_ATTEMPT) && anyAttempted(all, n)) {
            header(sb, openMetrics, LAST_ATTEMPT, "gauge", "Unix time of the latest attempt", false);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                if (s.lastOutcome >= 0) {
                    sb.append(LAST_ATTEMPT).append('{');
                    roleTarget(sb, s).append(end).append(s.lastAttemptMillis / 1000.0).append('\n');
                }
            }
        }
        if (wanted(names, LAST_PASS) && any(all, n, s -> s.lastPassMillis >= 0)) {
            header(sb, openMetrics, LAST_PASS, "gauge", "Unix time of the latest pass", false);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                if (s.lastPassMillis >= 0) {
                    sb.append(LAST_PASS).append('{');
                    roleTarget(sb, s).append(end).append(s.lastPassMillis / 1000.0).append('\n');
                }
            }
        }
        if (wanted(names, DURATION_MAX) && n > 0) {
            header(sb, openMetrics, DURATION_MAX, "gauge", DURATION_HELP, false);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                sb.append(DURATION_MAX).append('{');
                roleTarget(sb, s).append(end);
                value(sb, s.max).append('\n');
            }
        }
        boolean buckets = wanted(names, DURATION + "_bucket");
        boolean counts = wanted(names, DURATION + "_count");
        boolean sums = wanted(names, DURATION + "_sum");
        if ((buckets || counts || sums) && n > 0) { // a filter selects samples, not whole families
            header(sb, openMetrics, DURATION, "histogram", DURATION_HELP, false);
            String leEnd = openMetrics ? "\"} " : "\",} ";
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                if (buckets) {
                    long cumulative = 0;
                    for (int b = 0; b < BUCKET_LE.length; b++) {
                        cumulative += s.buckets[b];
                        sb.append(DURATION).append("_bucket{");
                        roleTarget(sb, s).append(",le=\"").append(BUCKET_LE[b]).append(leEnd);
                        count(sb, cumulative).append('\n');
                    }
                    sb.append(DURATION).append("_bucket{");
                    roleTarget(sb, s).append(",le=\"+Inf").append(leEnd);
                    count(sb, s.count).append('\n');
                }
                if (counts) {
                    sb.append(DURATION).append("_count{");
                    roleTarget(sb, s).append(end);
                    count(sb, s.count).append('\n');
                }
                if (sums) {
                    sb.append(DURATION).append("_sum{");
                    roleTarget(sb, s).append(end);
                    value(sb, TimeUtils.nanosToUnit(s.totalNanos, TimeUnit.SECONDS)).append('\n');
                }
            }
        }
        if (wanted(names, IDENTITY) && any(all, n, s -> s.identity != null)) {
            header(sb, openMetrics, IDENTITY, "gauge", "Identities seen on the latest mtls result", false);
            for (int i = 0; i < n; i++) {
                Snapshot s = all[i];
                if (s.identity != null) {
                    sb.append(IDENTITY).append("{client_id=\"");
                    escaped(sb, s.identity.clientId()).append("\",role=\"");
                    escaped(sb, s.role).append("\",server_id=\"");
                    escaped(sb, s.identity.serverId()).append("\",target=\"");
                    escaped(sb, s.target).append('"').append(end).append("1.0\n");
                }
            }
        }
        lastLength = Math.max(lastLength, sb.length());
    }

    /** A size hint for the next scrape's buffer, so that it does not grow by copying. */
    int expectedLength() {
        return lastLength + lastLength / 8;
    }

    private static boolean wanted(Set<String> names, String sampleName) {
        return names == null || names.isEmpty() || names.contains(sampleName);
    }

    private static boolean anyAttempted(Snapshot[] all, int n) {
        return any(all, n, s -> s.lastOutcome >= 0);
    }

    private static boolean any(Snapshot[] all, int n, java.util.function.Predicate<Snapshot> p) {
        for (int i = 0; i < n; i++) {
            if (p.test(all[i])) {
                return true;
            }
        }
        return false;
    }

    /** HELP and TYPE lines; OpenMetrics names a counter family without {@code _total} and puts TYPE first. */
    private static void header(StringBuilder sb, boolean openMetrics, String family, String type, String help,
            boolean counter) {
        String name = counter && !openMetrics ? family + "_total" : family;
        if (openMetrics) {
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        } else {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }
    }

    private static StringBuilder roleTarget(StringBuilder sb, Snapshot s) {
        return sb.append(s.labels);
    }

    /** Label value escaping of the text formats: backslash, double quote and line feed. */
    private static StringBuilder escaped(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb;
    }

    /** A count as a Go-style double: what {@code Double.toString} gives, without its cost for small ones. */
    private static StringBuilder count(StringBuilder sb, long v) {
        return v < 10_000_000 ? sb.append(v).append(".0") : sb.append((double) v);
    }

    private static StringBuilder value(StringBuilder sb, double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return sb.append("+Inf");
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return sb.append("-Inf");
        }
        return sb.append(v);
    }
}
