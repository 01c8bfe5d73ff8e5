package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.config.Settings;
import java.util.List;

/**
 * Where probing lanes come from when they are not the pod's own network: a port for the composition root, so
 * that a simulated mesh (the dev-mode demo) can provide its lanes without production code knowing about it.
 */
public interface LaneSource {

    /** Whether this source applies to the configuration. */
    boolean applies(Settings settings);

    /** Starts whatever the lanes need and returns them. */
    List<Lane> start(Settings settings, String version);

    /** What the page shows about the simulated mesh while it runs. */
    MeshNote note();

    /** The simulated mesh's PeerAuthentication mode and the identities it issued. */
    record MeshNote(String policy, String serverId, String clientId) {
    }
}
