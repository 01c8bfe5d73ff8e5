package dev.mtlsprobe.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlsprobe.pair.PeerPlan;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * The compact status on the management port ({@value PeerPlan#PATH}), for the peer: own cells with their timelines,
 * no peer part. The management port bypasses the sidecar's inbound capture (the pod template excludes it), so the
 * pod without a sidecar reaches the meshed one here under STRICT, and the meshed one reaches it through its own
 * sidecar as any plaintext destination. ETag/304 and gzip keep the fetch every half interval cheap.
 */
@ApplicationScoped
public class PeerStatusRoute {

    private static final int COMPRESS_FROM = 1024;

    private final StatusViews views;
    private final ObjectMapper json;

    public PeerStatusRoute(StatusViews views, ObjectMapper json) {
        this.views = views;
        this.json = json;
    }

    void onManagementRouter(@Observes ManagementInterface management) {
        management.router().get(PeerPlan.PATH).blockingHandler(this::serve, false);
    }

    private void serve(RoutingContext ctx) {
        String version = views.ownVersion();
        String tag = "\"" + version + "\"";
        HttpServerResponse r = ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(HttpHeaders.ETAG, tag).putHeader(HttpHeaders.VARY, "Accept-Encoding")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (tag.equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            r.setStatusCode(304).end();
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(views.compact(version));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        r.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING);
        if (body.length >= COMPRESS_FROM && accept != null && accept.contains("gzip")) {
            body = gzip(body);
            r.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        r.end(Buffer.buffer(body));
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
