package dev.mtlsprobe.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * The whole application of the benchmark's floor builds: one endpoint and nothing of mtls-probe, so that what
 * such a process costs under the image's flags is the floor the framework and libraries set for the probe.
 */
@Path("/floor")
public class Floor {

    @GET
    public String get() {
        return "ok";
    }
}
