package dev.mtlsprobe.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers on every response of the application port (the page, its scripts, {@code /api/status}): a
 * Content-Security-Policy that allows only the page's own files (no inline script or style, no framing, no
 * plugins, requests only to its own origin), no MIME sniffing, no referrer. The page's files are not fingerprinted,
 * so they are revalidated on every load instead of cached as immutable (a new version must show at once).
 */
@ApplicationScoped
public class PageHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    void onRouter(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                HttpServerResponse r = ctx.response();
                r.headers().set("Content-Security-Policy", CSP).set("X-Content-Type-Options", "nosniff")
                        .set("Referrer-Policy", "no-referrer").set("X-Frame-Options", "DENY");
                String cache = r.headers().get(HttpHeaders.CACHE_CONTROL);
                if (cache == null || cache.contains("immutable") || cache.contains("max-age")) {
                    r.headers().set(HttpHeaders.CACHE_CONTROL, "no-cache");
                }
            });
            ctx.next();
        });
    }
}
