package dev.mtlsprobe.web;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.pipeline.LaneSource;
import dev.mtlsprobe.role.CurrentRole;
import dev.mtlsprobe.status.StatusStore;
import io.quarkus.arc.All;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The live state of this probe as JSON: role, and per target the latest attempt. Polled every second by each
 * open page, so it is small by default (history only on request, capped), compressed, and answered with 304
 * when nothing changed since the version the client already has.
 */
@Path("/api/status")
public class StatusResource {

    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private final Settings settings;
    private final StatusStore store;
    private final CurrentRole role;
    private final KubeAwareness kube;
    private final List<LaneSource> sources;

    public StatusResource(Settings settings, StatusStore store, CurrentRole role, KubeAwareness kube,
            @All List<LaneSource> sources) {
        this.settings = settings;
        this.store = store;
        this.role = role;
        this.kube = kube;
        this.sources = sources;
    }

    /** @param history recent attempts (and the hour's timeline) per cell, at most {@value StatusStore#HISTORY} */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<StatusView> status(@QueryParam("history") int history, @Context Request request) {
        int n = Math.max(0, Math.min(StatusStore.HISTORY, history));
        String version = store.version() + "." + kube.statusVersion() + "." + role.version();
        EntityTag tag = new EntityTag(version + "-" + n);
        if (request.evaluatePreconditions(tag) != null) {
            return RestResponse.ResponseBuilder.<StatusView>notModified().tag(tag).cacheControl(REVALIDATE).build();
        }
        return RestResponse.ResponseBuilder.ok(view(version, n)).tag(tag).cacheControl(REVALIDATE).build();
    }

    private StatusView view(String version, int history) {
        ProbeSettings s = settings.probe();
        String interval = Durations.format(s.interval());
        String timeout = Durations.format(s.timeout());
        double seconds = s.interval().toMillis() / 1000.0;
        long now = System.currentTimeMillis();
        RoleState state = role.get();
        if (state == null) {
            LaneSource.MeshNote mesh = sources.stream().filter(x -> x.applies(settings)).findFirst()
                    .map(LaneSource::note).orElse(null);
            return new StatusView(version, now, "demo", "demo", "demo", false,
                    "demo mesh: both roles run in this process", interval, seconds, timeout, store.view(history),
                    mesh == null ? null : new StatusView.DemoView(mesh.policy(), mesh.serverId(), mesh.clientId()),
                    null);
        }
        return new StatusView(version, now, state.role().label(), state.source(), state.intended().label(),
                state.mismatch(), state.describe(), interval, seconds, timeout, store.view(history), null,
                kube.status());
    }
}
