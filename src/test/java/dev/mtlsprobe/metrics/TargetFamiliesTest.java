package dev.mtlsprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-target families are written without Micrometer meters; this proves the text is the one the
 * Prometheus registry writes for the equivalent meters (the former implementation, kept here as the
 * reference), in both exposition formats that {@code /q/metrics} serves.
 */
class TargetFamiliesTest {

    private static final TargetSpec IDLE = target("never-tried");
    private static final TargetSpec STRICT = target("strict");
    private static final TargetSpec MESHED = target("meshed");
    private static final TargetSpec GONE = target("gone.example");

    @ParameterizedTest
    @ValueSource(strings = {TextFormat.CONTENT_TYPE_004, TextFormat.CONTENT_TYPE_OPENMETRICS_100})
    void writesWhatThePrometheusRegistryWritesForTheSameAttempts(String contentType) throws Exception {
        PrometheusMeterRegistry reference = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TargetSeries probes = new TargetSeries();
        Reference ref = new Reference(reference);

        for (Role role : Role.values()) {
            for (TargetSpec t : List.of(IDLE, STRICT, MESHED, GONE)) {
                ref.register(role, t);
                probes.prepare(role, t);
            }
        }
        long now = 1_795_840_394_503L;
        record(ref, probes, Role.NAKED, STRICT, attempt(Outcome.RESET, now, 1_000_000, null), Verdict.PASS);
        record(ref, probes, Role.NAKED, STRICT, attempt(Outcome.RESET, now + 5000, 1_000_001, null), Verdict.PASS);
        record(ref, probes, Role.NAKED, STRICT, attempt(Outcome.PLAINTEXT, now + 10_000, 7_345_678, null),
                Verdict.FAIL);
        record(ref, probes, Role.NAKED, GONE, attempt(Outcome.DNS_ERROR, now, 0, null), Verdict.INCONCLUSIVE);
        record(ref, probes, Role.NAKED, MESHED, attempt(Outcome.TIMEOUT, now, 6_000_000_000L, null),
                Verdict.INCONCLUSIVE);
        record(ref, probes, Role.NAKED, MESHED, attempt(Outcome.CLOSED, now + 5000, 3_000_000, null),
                Verdict.INCONCLUSIVE);
        PeerIdentity first = new PeerIdentity("spiffe://cluster.local/ns/a/sa/probe",
                "spiffe://cluster.local/ns/b/sa/httpbin");
        PeerIdentity odd = new PeerIdentity("spiffe://cluster.local/ns/a/sa/\"quoted\\\"", PeerIdentity.UNKNOWN);
        record(ref, probes, Role.SIDECAR, MESHED, attempt(Outcome.MTLS, now, 2_500_000_000L, first), Verdict.PASS);
        record(ref, probes, Role.SIDECAR, MESHED, attempt(Outcome.MTLS, now + 5000, 123_456, odd), Verdict.FAIL);
        record(ref, probes, Role.SIDECAR, STRICT, attempt(Outcome.MESH_ERROR, now, 499_999_999, null),
                Verdict.FAIL);
        for (int i = 0; i < 3; i++) {
            ref.skipped(Role.NAKED, MESHED);
            probes.onSkipped(Role.NAKED, MESHED);
        }

        Map<String, Family> expected = families(reference.scrape(contentType));
        StringBuilder text = new StringBuilder();
        TargetFamilies.write(probes, new Exposition(text, contentType.equals(TextFormat.CONTENT_TYPE_OPENMETRICS_100)));
        Map<String, Family> actual = families(text.toString());
        assertEquals(expected.keySet(), actual.keySet(), "the same families");
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name), actual.get(name), "family " + name);
        }
        assertTrue(actual.get(contentType.startsWith("text/plain") ? "mtls_probe_attempts_total"
                : "mtls_probe_attempts").samples.size() == 12 * 8, "every outcome counter of every pair exists");
        String closed = contentType.startsWith("text/plain")
                ? "mtls_probe_attempts_total{outcome=\"closed\",role=\"naked\",target=\"meshed\",} 1.0"
                : "mtls_probe_attempts_total{outcome=\"closed\",role=\"naked\",target=\"meshed\"} 1.0";
        assertTrue(actual.get(contentType.startsWith("text/plain") ? "mtls_probe_attempts_total"
                : "mtls_probe_attempts").samples.contains(closed), "the TCP check's own outcome is a member: " + text);
    }

    private static void record(Reference ref, TargetSeries probes, Role role, TargetSpec t, AttemptResult r,
            Verdict v) {
        ref.record(role, t, r, v);
        probes.record(role, t, r, v);
    }

    private static AttemptResult attempt(Outcome o, long startedAt, long nanos, PeerIdentity id) {
        return new AttemptResult(o, "test", Optional.ofNullable(id), startedAt, nanos, 0, true);
    }

    private static TargetSpec target(String name) {
        return new TargetSpec(name, "http://" + name + ":8080/headers", false, name, 8080, "/headers", true,
                Optional.empty(), Optional.empty());
    }

    /** HELP/TYPE lines in order, and the samples of the family as a set (their order is not defined). */
    private record Family(List<String> header, Set<String> samples) {
    }

    private static Map<String, Family> families(String text) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, List<String>> samples = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                headers.computeIfAbsent(current, k -> new ArrayList<>()).add(line);
                samples.computeIfAbsent(current, k -> new ArrayList<>());
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                samples.get(current).add(line);
            }
        }
        Map<String, Family> out = new LinkedHashMap<>();
        headers.forEach((name, h) -> {
            List<String> s = samples.get(name);
            assertEquals(s.size(), Set.copyOf(s).size(), "no duplicate sample in " + name);
            out.put(name, new Family(h, Set.copyOf(s)));
        });
        return out;
    }

    /** The former implementation: one Micrometer meter per series. */
    private static final class Reference {
        private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
        };
        private final MeterRegistry registry;
        private final Map<String, Series> series = new LinkedHashMap<>();

        Reference(MeterRegistry registry) {
            this.registry = registry;
        }

        void register(Role role, TargetSpec t) {
            series.computeIfAbsent(role.label() + "/" + t.name(), k -> new Series(Tags.of("target", t.name(),
                    "role", role.label())));
        }

        void record(Role role, TargetSpec t, AttemptResult r, Verdict v) {
            series.get(role.label() + "/" + t.name()).record(r, v);
        }

        void skipped(Role role, TargetSpec t) {
            series.get(role.label() + "/" + t.name()).skipped.increment();
        }

        private final class Series {
            final Tags tags;
            final Counter[] attempts = new Counter[Outcome.values().length];
            final Counter skipped;
            final AtomicInteger[] lastOutcome = new AtomicInteger[Outcome.values().length];
            final AtomicInteger[] verdict = new AtomicInteger[Verdict.values().length];
            final AtomicLong lastAttempt = new AtomicLong();
            final AtomicLong lastPass = new AtomicLong();
            final Timer duration;
            boolean gauges;
            boolean passGauge;
            Gauge identityGauge;
            PeerIdentity identity;

            Series(Tags tags) {
                this.tags = tags;
                for (Outcome o : Outcome.values()) {
                    attempts[o.ordinal()] = Counter.builder("mtls.probe.attempts").description("Probe attempts")
                            .tags(tags).tag("outcome", o.label()).register(registry);
                    lastOutcome[o.ordinal()] = new AtomicInteger();
                }
                for (Verdict v : Verdict.values()) {
                    verdict[v.ordinal()] = new AtomicInteger();
                }
                skipped = Counter.builder("mtls.probe.skipped.attempts")
                        .description("Ticks skipped because the previous attempt of the target was still running")
                        .tags(tags).register(registry);
                duration = Timer.builder("mtls.probe.duration").description("Attempt duration, connect to last byte")
                        .tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
            }

            void record(AttemptResult r, Verdict v) {
                for (Outcome o : Outcome.values()) {
                    lastOutcome[o.ordinal()].set(o == r.outcome() ? 1 : 0);
                }
                for (Verdict each : Verdict.values()) {
                    verdict[each.ordinal()].set(each == v ? 1 : 0);
                }
                lastAttempt.set(r.startedAtMillis());
                if (!gauges) {
                    for (Outcome o : Outcome.values()) {
                        Gauge.builder("mtls.probe.last.outcome", lastOutcome[o.ordinal()], AtomicInteger::get)
                                .description("1 for the latest outcome").tags(tags).tag("outcome", o.label())
                                .strongReference(true).register(registry);
                    }
                    for (Verdict each : Verdict.values()) {
                        Gauge.builder("mtls.probe.verdict", verdict[each.ordinal()], AtomicInteger::get)
                                .description("1 for the latest verdict").tags(tags).tag("verdict", each.label())
                                .strongReference(true).register(registry);
                    }
                    millis("mtls.probe.last.attempt.timestamp.seconds", "Unix time of the latest attempt", lastAttempt);
                    gauges = true;
                }
                if (v == Verdict.PASS) {
                    lastPass.set(r.startedAtMillis());
                    if (!passGauge) {
                        millis("mtls.probe.last.pass.timestamp.seconds", "Unix time of the latest pass", lastPass);
                        passGauge = true;
                    }
                }
                if (r.durationNanos() > 0) {
                    duration.record(r.durationNanos(), TimeUnit.NANOSECONDS);
                }
                attempts[r.outcome().ordinal()].increment();
                r.identity().ifPresent(id -> {
                    if (id.equals(identity)) {
                        return;
                    }
                    if (identityGauge != null) {
                        registry.remove(identityGauge);
                    }
                    identity = id;
                    identityGauge = Gauge.builder("mtls.probe.peer.identity.info", () -> 1)
                            .description("Identities seen on the latest mtls result").tags(tags)
                            .tag("client_id", id.clientId()).tag("server_id", id.serverId()).register(registry);
                });
            }

            private void millis(String name, String description, AtomicLong value) {
                Gauge.builder(name, value, m -> m.get() / 1000.0).description(description).tags(tags)
                        .strongReference(true).register(registry);
            }
        }
    }
}
