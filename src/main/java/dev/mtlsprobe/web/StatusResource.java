package dev.mtlsprobe.web;

import dev.mtlsprobe.pair.PeerWatch;
import dev.mtlsprobe.status.StatusStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The live state of this probe and its peer as JSON. Polled by each open page, so it is small by default (history
 * and timelines only on request, capped), compressed, and answered with 304 when nothing changed since the version
 * the client already has. Asking for it keeps the peer's part current ({@link PeerWatch#touch}).
 */
@Path("/api/status")
public class StatusResource {

    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private final StatusViews views;
    private final PeerWatch peer;

    public StatusResource(StatusViews views, PeerWatch peer) {
        this.views = views;
        this.peer = peer;
    }

    /**
     * @param history  recent attempts (and the hour's timeline) per cell, at most {@value StatusStore#HISTORY}
     * @param timeline {@code 1} or {@code true}: the hour's timeline per cell, without the attempts (what the page
     *                 draws)
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<StatusView> status(@QueryParam("history") int history, @QueryParam("timeline") String timeline,
            @Context Request request) {
        peer.touch();
        int n = Math.max(0, Math.min(StatusStore.HISTORY, history));
        boolean withTimeline = "1".equals(timeline) || "true".equals(timeline);
        String version = views.version();
        EntityTag tag = new EntityTag(version + "-" + n + (withTimeline ? "t" : ""));
        if (request.evaluatePreconditions(tag) != null) {
            return RestResponse.ResponseBuilder.<StatusView>notModified().tag(tag).cacheControl(REVALIDATE).build();
        }
        return RestResponse.ResponseBuilder.ok(views.full(version, n, withTimeline)).tag(tag).cacheControl(REVALIDATE)
                .build();
    }
}
