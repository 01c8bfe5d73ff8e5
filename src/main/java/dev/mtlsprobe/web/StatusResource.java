package dev.mtlsprobe.web;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.demo.DemoLanes;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.probe.ProbeEngine;
import dev.mtlsprobe.role.RoleState;
import dev.mtlsprobe.status.StatusStore;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The live state of this probe as JSON: role, and per target the latest attempt. Polled every second by each
 * open page, so it is small by default (history only on request, capped), compressed, and answered with 304
 * when nothing changed since the version the client already has.
 */
@Path("/api/status")
public class StatusResource {

    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private final ProbeEngine engine;
    private final StatusStore store;
    private final Instance<DemoLanes> demo;
    private final KubeAwareness kube;

    public StatusResource(ProbeEngine engine, StatusStore store, Instance<DemoLanes> demo, KubeAwareness kube) {
        this.engine = engine;
        this.store = store;
        this.demo = demo;
        this.kube = kube;
    }

    /** @param history recent attempts (and the hour's timeline) per cell, at most {@value StatusStore#HISTORY} */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<StatusView> status(@QueryParam("history") int history, @Context Request request) {
        int n = Math.max(0, Math.min(StatusStore.HISTORY, history));
        String version = store.version() + "." + kube.statusVersion() + "." + engine.roleVersion();
        EntityTag tag = new EntityTag(version + "-" + n);
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        if (unchanged != null) {
            return RestResponse.ResponseBuilder.<StatusView>notModified().tag(tag).cacheControl(REVALIDATE).build();
        }
        return RestResponse.ResponseBuilder.ok(view(version, n)).tag(tag).cacheControl(REVALIDATE).build();
    }

    private StatusView view(String version, int history) {
        ProbeSettings s = engine.settings();
        String interval = Durations.format(s.interval());
        String timeout = Durations.format(s.timeout());
        double seconds = s.interval().toMillis() / 1000.0;
        long now = System.currentTimeMillis();
        RoleState role = engine.roleState();
        if (role == null) {
            DemoLanes mesh = demo.get();
            return new StatusView(version, now, "demo", "demo", "demo", false,
                    "demo mesh: both roles run in this process", interval, seconds, timeout, store.view(history),
                    new StatusView.DemoView(mesh.policy().name(), mesh.serverId(), mesh.clientId()), null);
        }
        return new StatusView(version, now, role.role().label(), role.source(), role.intended().label(),
                role.mismatch(), role.describe(), interval, seconds, timeout, store.view(history), null, kube.status());
    }
}
