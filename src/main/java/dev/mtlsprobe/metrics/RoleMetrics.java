package dev.mtlsprobe.metrics;

import dev.mtlsprobe.model.RoleState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Process-wide series: build, detected role and whether it matches the intended one. */
@ApplicationScoped
public class RoleMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger mismatch = new AtomicInteger();
    private final AtomicReference<Gauge> roleInfo = new AtomicReference<>();
    private final java.util.List<Gauge> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RoleMetrics(MeterRegistry registry) {
        this.registry = registry;
        registered.add(Gauge.builder("mtls.probe.role.mismatch", mismatch, AtomicInteger::get)
                .description("1 when the detected role differs from the intended one").strongReference(true)
                .register(registry));
    }

    /** The configured interval, so that alert rules derive staleness from it instead of assuming the default. */
    public void interval(java.time.Duration interval) {
        double seconds = interval.toMillis() / 1000.0;
        registered.add(Gauge.builder("mtls.probe.interval.seconds", () -> seconds)
                .description("The configured time between attempts per target").register(registry));
    }

    public void buildInfo(String version) {
        registered.add(Gauge.builder("mtls.probe.build.info", () -> 1).description("Build of the probe")
                .tag("version", version).register(registry));
    }

    /** The global registry outlives the application in dev mode and tests: leave no gauge of ours behind. */
    @jakarta.annotation.PreDestroy
    void unregister() {
        registered.forEach(registry::remove);
        Gauge info = roleInfo.getAndSet(null);
        if (info != null) {
            registry.remove(info);
        }
    }

    /** Publishes the current role; a later detection (e.g. from the Kubernetes API) replaces the series. */
    public synchronized void role(RoleState state) {
        mismatch.set(state.mismatch() ? 1 : 0);
        Gauge current = roleInfo.get();
        if (current != null && state.role().label().equals(current.getId().getTag("role"))
                && state.source().equals(current.getId().getTag("source"))) {
            return; // same series: registering it again would only log a duplicate warning
        }
        Gauge info = Gauge.builder("mtls.probe.role.info", () -> 1).description("The detected role")
                .tag("role", state.role().label()).tag("source", state.source()).register(registry);
        Gauge old = roleInfo.getAndSet(info);
        if (old != null && !old.getId().equals(info.getId())) {
            registry.remove(old);
        }
    }
}
