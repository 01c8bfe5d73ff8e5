package dev.mtlsprobe.web;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.probe.ProbeEngine;
import dev.mtlsprobe.role.RoleState;
import dev.mtlsprobe.status.StatusStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The live state of this probe as JSON: role, and per target the latest attempts. */
@Path("/api/status")
public class StatusResource {

    private final ProbeEngine engine;
    private final StatusStore store;
    private final KubeAwareness kube;

    public StatusResource(ProbeEngine engine, StatusStore store, KubeAwareness kube) {
        this.engine = engine;
        this.store = store;
        this.kube = kube;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public StatusView status() {
        RoleState role = engine.roleState();
        return new StatusView(role.role().label(), role.source(), role.intended().label(), role.mismatch(),
                role.describe(), Durations.format(engine.settings().interval()),
                Durations.format(engine.settings().timeout()), store.snapshot(), kube.status());
    }
}
