package dev.mtlsprobe.demo;

import dev.mtlsprobe.config.DemoSettings;
import dev.mtlsprobe.probe.Lane;
import java.time.Duration;
import java.util.List;

/**
 * What the engine and the status API need from the demo mesh. They depend on this interface only, so the
 * production build, which has no demo bean, does not reach the demo's certificate code (a smaller native image).
 */
public interface DemoLanes {

    /** Starts the mesh and returns the lanes that probe through it. */
    List<Lane> start(DemoSettings settings, Duration timeout, String version);

    /** Whether the mesh runs. */
    boolean running();

    /** The mesh's current PeerAuthentication mode. */
    MeshPolicy policy();

    /** The SPIFFE ID of the demo httpbin's sidecar. */
    String serverId();

    /** The SPIFFE ID of the demo probe's sidecar. */
    String clientId();
}
