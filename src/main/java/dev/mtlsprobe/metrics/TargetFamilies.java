package dev.mtlsprobe.metrics;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Verdict;
import io.micrometer.core.instrument.util.TimeUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Writes the per-target families of {@link TargetSeries}, one table row per family: its name, type and help,
 * which cells have it, and how one cell's samples read. A scrape walks the cells once per family through one
 * reusable {@link TargetSeries.Sample}, so its memory does not grow with the number of targets.
 */
final class TargetFamilies {

    /** How one cell's samples of a family are written. */
    @FunctionalInterface
    private interface Lines {
        void write(Exposition out, TargetSeries.Sample s);
    }

    /**
     * @param present which cells have the family (e.g. none before their first attempt); the family is left out
     *                when no cell has it
     */
    private record Family(String name, String type, String help, Predicate<TargetSeries.Sample> present, Lines lines) {
    }

    private static final String DURATION = "mtls_probe_duration_seconds";
    private static final String DURATION_HELP = "Attempt duration, connect to last byte";
    private static final String[] BUCKET_LE = java.util.Arrays.stream(TargetSeries.BUCKETS)
            .map(d -> Double.toString(TimeUtils.nanosToUnit(d.toNanos(), TimeUnit.SECONDS))).toArray(String[]::new);
    private static final Predicate<TargetSeries.Sample> ALWAYS = s -> true;
    private static final Predicate<TargetSeries.Sample> ATTEMPTED = s -> s.lastOutcome >= 0;

    private static final List<Family> FAMILIES = List.of(
            new Family("mtls_probe_attempts", "counter", "Probe attempts", ALWAYS, (out, s) -> {
                for (Outcome o : TargetSeries.OUTCOMES) {
                    out.open("mtls_probe_attempts_total").label("outcome", o.label(), true).raw(",").raw(s.labels)
                            .close().count(s.attempts[o.ordinal()]);
                }
            }),
            new Family("mtls_probe_skipped_attempts", "counter",
                    "Ticks skipped because the previous attempt of the target was still running", ALWAYS,
                    (out, s) -> out.open("mtls_probe_skipped_attempts_total").raw(s.labels).close().count(s.skipped)),
            new Family("mtls_probe_last_outcome", "gauge", "1 for the latest outcome", ATTEMPTED, (out, s) -> {
                for (Outcome o : TargetSeries.OUTCOMES) {
                    out.open("mtls_probe_last_outcome").label("outcome", o.label(), true).raw(",").raw(s.labels)
                            .close().flag(o.ordinal() == s.lastOutcome);
                }
            }),
            new Family("mtls_probe_verdict", "gauge", "1 for the latest verdict", ATTEMPTED, (out, s) -> {
                for (Verdict v : TargetSeries.VERDICTS) {
                    out.open("mtls_probe_verdict").raw(s.labels).label("verdict", v.label(), false).close()
                            .flag(v.ordinal() == s.verdict);
                }
            }),
            new Family("mtls_probe_last_attempt_timestamp_seconds", "gauge", "Unix time of the latest attempt",
                    ATTEMPTED, (out, s) -> out.open("mtls_probe_last_attempt_timestamp_seconds").raw(s.labels).close()
                            .value(s.lastAttemptMillis / 1000.0).raw("\n")),
            new Family("mtls_probe_last_pass_timestamp_seconds", "gauge", "Unix time of the latest pass",
                    s -> s.lastPassMillis >= 0, (out, s) -> out.open("mtls_probe_last_pass_timestamp_seconds")
                            .raw(s.labels).close().value(s.lastPassMillis / 1000.0).raw("\n")),
            new Family(DURATION + "_max", "gauge", DURATION_HELP, ALWAYS,
                    (out, s) -> out.open(DURATION + "_max").raw(s.labels).close().value(s.max).raw("\n")),
            new Family(DURATION, "histogram", DURATION_HELP, ALWAYS, TargetFamilies::histogram),
            new Family("mtls_probe_peer_identity_info", "gauge", "Identities seen on the latest mtls result",
                    s -> s.identity != null, (out, s) -> out.open("mtls_probe_peer_identity_info")
                            .label("client_id", s.identity.clientId(), true).label("role", s.role, false)
                            .label("server_id", s.identity.serverId(), false).label("target", s.target, false)
                            .close().flag(true)));

    private TargetFamilies() {
    }

    /** Every family in table order; the series are read cell by cell while writing. */
    static void write(TargetSeries series, Exposition out) {
        List<TargetSeries.Cell> cells = series.cells();
        TargetSeries.Sample s = new TargetSeries.Sample();
        for (Family f : FAMILIES) {
            boolean headed = false;
            for (TargetSeries.Cell cell : cells) {
                cell.copyTo(s);
                if (!f.present().test(s)) {
                    continue;
                }
                if (!headed) {
                    out.header(f.name(), f.type(), f.help());
                    headed = true;
                }
                f.lines().write(out, s);
            }
        }
    }

    private static void histogram(Exposition out, TargetSeries.Sample s) {
        long cumulative = 0;
        for (int b = 0; b < BUCKET_LE.length; b++) {
            cumulative += s.buckets[b];
            out.open(DURATION + "_bucket").raw(s.labels).label("le", BUCKET_LE[b], false).close().count(cumulative);
        }
        out.open(DURATION + "_bucket").raw(s.labels).label("le", "+Inf", false).close().count(s.count);
        out.open(DURATION + "_count").raw(s.labels).close().count(s.count);
        out.open(DURATION + "_sum").raw(s.labels).close()
                .value(TimeUtils.nanosToUnit(s.totalNanos, TimeUnit.SECONDS)).raw("\n");
    }
}
