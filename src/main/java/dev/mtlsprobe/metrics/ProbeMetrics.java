package dev.mtlsprobe.metrics;

import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.probe.AttemptResult;
import dev.mtlsprobe.probe.Outcome;
import dev.mtlsprobe.probe.PeerIdentity;
import dev.mtlsprobe.probe.Role;
import dev.mtlsprobe.probe.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The per-target series of the contract: attempts, latest outcome and verdict, duration, timestamps. */
@ApplicationScoped
public class ProbeMetrics {

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };

    private final MeterRegistry registry;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public ProbeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Every attempt counter exists at 0 from the start, so increase() sees a first occurrence. */
    public void register(Role role, TargetSpec target) {
        series.computeIfAbsent(key(role, target), k -> new Series(Tags.of("target", target.name(), "role",
                role.label())));
    }

    public void record(Role role, TargetSpec target, AttemptResult result, Verdict verdict) {
        Series s = series.computeIfAbsent(key(role, target), k -> new Series(Tags.of("target", target.name(),
                "role", role.label())));
        s.record(result, verdict);
    }

    private static String key(Role role, TargetSpec target) {
        return role.label() + "/" + target.name();
    }

    private final class Series {
        private final Tags tags;
        private final Counter[] attempts = new Counter[OUTCOMES.length];
        private final AtomicInteger[] lastOutcome = new AtomicInteger[OUTCOMES.length];
        private final AtomicInteger[] verdict = new AtomicInteger[VERDICTS.length];
        private final AtomicLong lastAttemptMillis = new AtomicLong();
        private final AtomicLong lastPassMillis = new AtomicLong();
        private final Timer duration;
        private boolean gauges;
        private boolean passGauge;
        private Gauge identityGauge;
        private PeerIdentity identity;

        Series(Tags tags) {
            this.tags = tags;
            for (Outcome o : OUTCOMES) {
                attempts[o.ordinal()] = Counter.builder("mtls.probe.attempts").description("Probe attempts")
                        .tags(tags).tag("outcome", o.label()).register(registry);
                lastOutcome[o.ordinal()] = new AtomicInteger();
            }
            for (Verdict v : VERDICTS) {
                verdict[v.ordinal()] = new AtomicInteger();
            }
            duration = Timer.builder("mtls.probe.duration").description("Attempt duration, connect to last byte")
                    .tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
        }

        synchronized void record(AttemptResult r, Verdict v) {
            for (Outcome o : OUTCOMES) {
                lastOutcome[o.ordinal()].set(o == r.outcome() ? 1 : 0);
            }
            for (Verdict each : VERDICTS) {
                verdict[each.ordinal()].set(each == v ? 1 : 0);
            }
            lastAttemptMillis.set(r.startedAtMillis());
            if (!gauges) {
                registerGauges(); // after the values are set: no scrape ever sees an all-zero set
                gauges = true;
            }
            if (v == Verdict.PASS) {
                lastPassMillis.set(r.startedAtMillis());
                if (!passGauge) {
                    gauge("mtls.probe.last.pass.timestamp.seconds", "Unix time of the latest pass", tags,
                            lastPassMillis);
                    passGauge = true;
                }
            }
            if (r.durationNanos() > 0) { // no connection, no duration: a DNS error is not a fast attempt
                duration.record(r.durationNanos(), TimeUnit.NANOSECONDS);
            }
            attempts[r.outcome().ordinal()].increment();
            r.identity().ifPresent(this::identity);
        }

        private void registerGauges() {
            for (Outcome o : OUTCOMES) {
                Gauge.builder("mtls.probe.last.outcome", lastOutcome[o.ordinal()], AtomicInteger::get)
                        .description("1 for the latest outcome").tags(tags).tag("outcome", o.label())
                        .strongReference(true).register(registry);
            }
            for (Verdict v : VERDICTS) {
                Gauge.builder("mtls.probe.verdict", verdict[v.ordinal()], AtomicInteger::get)
                        .description("1 for the latest verdict").tags(tags).tag("verdict", v.label())
                        .strongReference(true).register(registry);
            }
            gauge("mtls.probe.last.attempt.timestamp.seconds", "Unix time of the latest attempt", tags,
                    lastAttemptMillis);
        }

        private void identity(PeerIdentity id) {
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
        }
    }

    private void gauge(String name, String description, Tags tags, AtomicLong millis) {
        Gauge.builder(name, millis, m -> m.get() / 1000.0).description(description).tags(tags)
                .strongReference(true).register(registry);
    }
}
