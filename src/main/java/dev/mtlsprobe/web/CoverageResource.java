package dev.mtlsprobe.web;

import dev.mtlsprobe.sweep.CoverageView;
import dev.mtlsprobe.sweep.Sweep;
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
 * The coverage sweep as JSON: every covered service port, the findings first. Compact by default (endpoints only for
 * ports that are not enforced), bounded by the sweep's caps, compressed, and answered with 304 when nothing changed
 * since the version the client has.
 */
@Path("/api/coverage")
public class CoverageResource {

    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private final Sweep sweep;

    public CoverageResource(Sweep sweep) {
        this.sweep = sweep;
    }

    /** @param endpoints {@code all} for the endpoints of every port, enforced ones included */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<CoverageView> coverage(@QueryParam("endpoints") String endpoints, @Context Request request) {
        boolean all = "all".equals(endpoints);
        EntityTag tag = new EntityTag(sweep.version() + (all ? "-all" : ""));
        if (request.evaluatePreconditions(tag) != null) {
            return RestResponse.ResponseBuilder.<CoverageView>notModified().tag(tag).cacheControl(REVALIDATE).build();
        }
        return RestResponse.ResponseBuilder.ok(sweep.view(all)).tag(tag).cacheControl(REVALIDATE).build();
    }
}
