package dev.mtlsprobe.demo;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Switches the demo mesh between STRICT and PERMISSIVE; the next attempt (a new connection) sees it. */
@Path("/api/demo/policy")
@IfBuildProfile(anyOf = {"dev", "test"})
@Produces(MediaType.APPLICATION_JSON)
public class DemoResource {

    /** The request and response body: {@code {"policy": "STRICT"}}. */
    public record PolicyBody(String policy) {
    }

    private final DemoMesh mesh;

    public DemoResource(DemoMesh mesh) {
        this.mesh = mesh;
    }

    @GET
    public Response get() {
        return mesh.running() ? Response.ok(new PolicyBody(mesh.policy().name())).build() : notRunning();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(PolicyBody body) {
        if (!mesh.running()) {
            return notRunning();
        }
        return MeshPolicy.parse(body == null ? null : body.policy()).map(p -> {
            mesh.policy(p);
            return Response.ok(new PolicyBody(p.name())).build();
        }).orElseGet(() -> Response.status(400).entity(Map.of("error",
                "policy must be STRICT or PERMISSIVE, e.g. {\"policy\": \"PERMISSIVE\"}")).build());
    }

    private static Response notRunning() {
        return Response.status(404).entity(Map.of("error", "the demo mesh is not running")).build();
    }
}
