package dev.mtlsprobe.web;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.demo.DemoLanes;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.probe.ProbeEngine;
import dev.mtlsprobe.role.RoleState;
import dev.mtlsprobe.status.StatusStore;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The live state of this probe as JSON: role, and per target the latest attempts. */
@Path("/api/status")
public class StatusResource {

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

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public StatusView status() {
        String interval = Durations.format(engine.settings().interval());
        String timeout = Durations.format(engine.settings().timeout());
        RoleState role = engine.roleState();
        if (role == null) {
            DemoLanes mesh = demo.get();
            return new StatusView("demo", "demo", "demo", false, "demo mesh: both roles run in this process",
                    interval, timeout, store.snapshot(), new StatusView.DemoView(mesh.policy().name(),
                            mesh.serverId(), mesh.clientId()), null);
        }
        return new StatusView(role.role().label(), role.source(), role.intended().label(), role.mismatch(),
                role.describe(), interval, timeout, store.snapshot(), null, kube.status());
    }
}
