package dev.mtlsprobe.pair;

import dev.mtlsprobe.config.PeerSettings;
import dev.mtlsprobe.model.Role;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where this probe finds its peer, decided once at start. The pair runs with one configuration, so the default
 * comes from what the manifests create: a Service per role on the management port ({@code mtls-probe-sidecar},
 * {@code mtls-probe-naked}), which bypasses the sidecar's inbound capture, so the call works under STRICT in both
 * directions. The peer is the other role of the one this pod was <em>meant</em> to have (its Deployment), not of
 * the one detected: a naked pod that got a sidecar still looks for the sidecar pod.
 *
 * @param url where to fetch, or null when there is no peer
 * @param off why there is none
 */
public record PeerPlan(URI url, String off) {

    /** The path of the compact status on the management port. */
    public static final String PATH = "/q/status";
    private static final int BASE_BYTES = 64 * 1024;
    private static final int BYTES_PER_TARGET = 4 * 1024;

    public static PeerPlan of(PeerSettings s, Optional<String> podNamespace, String clusterDomain, Role intended,
            int managementPort) {
        if (!s.enabled()) {
            return new PeerPlan(null, "the peer is off (mtls-probe.peer.enabled=false)");
        }
        if (s.url().isPresent()) {
            return new PeerPlan(s.url().get(), null);
        }
        if (podNamespace.isEmpty()) {
            return new PeerPlan(null, "outside a pod there is no peer to find; set mtls-probe.peer.url to the other "
                    + "probe's http://HOST:" + managementPort + PATH);
        }
        Role peer = intended == Role.NAKED ? Role.SIDECAR : Role.NAKED;
        return new PeerPlan(URI.create("http://mtls-probe-" + peer.label() + "." + podNamespace.get() + ".svc."
                + clusterDomain + ":" + managementPort + PATH), null);
    }

    /** The largest status a peer with the same targets can send; anything larger is refused unread. */
    public static int maxBytes(int targets) {
        return BASE_BYTES + BYTES_PER_TARGET * targets;
    }

    /**
     * Time between fetches: half an interval, so that the peer's cells are seldom older on the page than the own
     * ones, but not more often than four times a second nor less than every five seconds.
     */
    public static Duration period(Duration interval) {
        long half = interval.toMillis() / 2;
        return Duration.ofMillis(Math.max(250, Math.min(5000, half)));
    }
}
