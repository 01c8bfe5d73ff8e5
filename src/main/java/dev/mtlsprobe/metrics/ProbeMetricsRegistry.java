package dev.mtlsprobe.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exemplars.ExemplarSampler;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Set;

/**
 * The Prometheus registry behind {@code /q/metrics}, plus the per-target families of {@link ProbeMetrics},
 * written first (so that OpenMetrics' {@code # EOF} stays last). Everything else (JVM, role, build, sidecar
 * series) is the registry's own output, unchanged.
 */
public class ProbeMetricsRegistry extends PrometheusMeterRegistry {

    private final ProbeMetrics probes;

    public ProbeMetricsRegistry(PrometheusConfig config, CollectorRegistry registry, Clock clock,
            ExemplarSampler exemplarSampler, ProbeMetrics probes) {
        super(config, registry, clock, exemplarSampler);
        this.probes = probes;
    }

    // Every public scrape variant ends in one of the two Writer variants; the String ones are overridden too
    // so that a large scrape is built once in a StringBuilder instead of char by char in a StringWriter.

    @Override
    public String scrape(String contentType) {
        return scrape(contentType, (Set<String>) null);
    }

    @Override
    public String scrape(String contentType, Set<String> includedNames) {
        StringWriter rest = new StringWriter(8192);
        try {
            rest(rest, contentType, includedNames); // first: an unknown content type fails as before
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        StringBuilder sb = new StringBuilder(probes.expectedLength() + rest.getBuffer().length());
        probes.render(sb, openMetrics(contentType), includedNames);
        return sb.append(rest.getBuffer()).toString();
    }

    @Override
    public void scrape(Writer writer, String contentType) throws IOException {
        scrape(writer, contentType, null);
    }

    @Override
    public void scrape(Writer writer, String contentType, Set<String> includedNames) throws IOException {
        StringWriter rest = new StringWriter(8192);
        rest(rest, contentType, includedNames);
        StringBuilder sb = new StringBuilder(probes.expectedLength());
        probes.render(sb, openMetrics(contentType), includedNames);
        writer.append(sb).append(rest.getBuffer());
    }

    private void rest(Writer writer, String contentType, Set<String> includedNames) throws IOException {
        if (includedNames == null) {
            super.scrape(writer, contentType);
        } else {
            super.scrape(writer, contentType, includedNames);
        }
    }

    private static boolean openMetrics(String contentType) {
        return TextFormat.CONTENT_TYPE_OPENMETRICS_100.equals(contentType);
    }
}
