package dev.mtlsprobe.metrics;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.StringWriter;
import org.jboss.logging.Logger;

/**
 * Serves {@code /q/metrics}: the probe's families, written straight from their state, then the Micrometer
 * registry's own (JVM, process), streamed to the response as they are written.
 *
 * <p>Why not the extension's handler: it renders the whole exposition into one String and then a buffer, so a
 * scrape of thousands of targets needs its full size twice in the heap, exactly when the probe has the most to
 * report. This route takes precedence on the same path and writes in bounded chunks on a worker thread.
 */
@ApplicationScoped
public class MetricsRoute {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final TargetSeries targets;
    private final ProcessFamilies process;
    private final CoverageFamilies coverage;
    private final PrometheusMeterRegistry registry;

    public MetricsRoute(TargetSeries targets, ProcessFamilies process, CoverageFamilies coverage,
            PrometheusMeterRegistry registry) {
        this.targets = targets;
        this.process = process;
        this.coverage = coverage;
        this.registry = registry;
    }

    void onManagementRouter(@Observes ManagementInterface management) {
        // Order 0: ahead of the extension's routes on this path (orders 1, 2 and 4).
        management.router().get("/q/metrics").order(0).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String type = contentType(ctx.request().getHeader("Accept"));
        HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type", type);
        ctx.vertx().executeBlocking(() -> {
            write(new ResponseWriter(response), type);
            return null;
        }, false).onComplete(done -> {
            if (done.failed()) {
                LOG.debugf("scrape ended early: %s", done.cause().toString());
                response.reset(); // a half-written exposition must not look complete
            } else if (!response.ended()) {
                response.end();
            }
        });
    }

    /** The whole exposition for one content type, to any writer. */
    void write(java.io.Writer writer, String type) throws IOException {
        boolean openMetrics = type.equals(TextFormat.CONTENT_TYPE_OPENMETRICS_100);
        Exposition out = new Exposition(writer, openMetrics);
        TargetFamilies.write(targets, out);
        process.write(out);
        coverage.write(out);
        // The registry writes its meters, and the OpenMetrics "# EOF", last.
        StringWriter rest = new StringWriter(16 * 1024);
        registry.scrape(rest, type);
        writer.append(rest.getBuffer());
        writer.flush();
    }

    /**
     * As the extension's handler negotiates, so that no scraper sees a change: text 0.0.4 when the client names
     * {@code text/plain} or {@code text/html} (Prometheus does), OpenMetrics otherwise.
     */
    static String contentType(String accept) {
        return accept != null && (accept.contains("text/plain") || accept.contains("text/html"))
                ? TextFormat.CONTENT_TYPE_004 : TextFormat.CONTENT_TYPE_OPENMETRICS_100;
    }
}
