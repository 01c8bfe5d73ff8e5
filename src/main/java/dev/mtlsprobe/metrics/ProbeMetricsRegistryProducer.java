package dev.mtlsprobe.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exemplars.ExemplarSampler;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.Optional;

/** Replaces the extension's Prometheus registry (priority 2100) with {@link ProbeMetricsRegistry}. */
@Singleton
public class ProbeMetricsRegistryProducer {

    @Produces
    @Singleton
    @Alternative
    @Priority(Interceptor.Priority.APPLICATION + 200)
    public PrometheusMeterRegistry registry(PrometheusConfig config, CollectorRegistry collectorRegistry,
            Optional<ExemplarSampler> exemplarSampler, Clock clock, ProbeMetrics probes) {
        return new ProbeMetricsRegistry(config, collectorRegistry, clock, exemplarSampler.orElse(null), probes);
    }
}
