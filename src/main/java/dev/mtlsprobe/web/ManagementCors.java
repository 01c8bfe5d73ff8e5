package dev.mtlsprobe.web;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * No browser page of another origin may read the management port (metrics name every target, health tells the
 * probe's state). Quarkus puts a CORS handler allowing any origin on the management router; this takes its
 * {@code Access-Control-Allow-Origin} off every response there, so a cross-origin read is refused by the browser.
 */
@ApplicationScoped
public class ManagementCors {

    void onManagementRouter(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> ctx.response().headers()
                    .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                    .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS)
                    .remove(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS));
            ctx.next();
        });
    }
}
