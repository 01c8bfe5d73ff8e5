package dev.mtlsprobe.app;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.pair.PeerPlan;
import dev.mtlsprobe.pair.PeerWatch;
import dev.mtlsprobe.pipeline.AttemptPipeline;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.role.CurrentRole;
import dev.mtlsprobe.sweep.Sweep;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The composition root of the service: wires the parts and sequences the start, and does nothing else. Settings
 * (already validated), then the lanes ({@link Lanes}), then the attempt pipeline; then the Kubernetes watches and
 * the peer, which never hold up probing. A check ({@link Main}) starts none of this.
 */
@ApplicationScoped
public class ProbeApp {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final Provider<Settings> settings;
    private final AttemptPipeline pipeline;
    private final Lanes lanes;
    private final KubeAwareness kube;
    private final CurrentRole role;
    private final PeerWatch peer;
    private final Sweep sweep;
    private final String version;
    private final int managementPort;

    /**
     * @param settings a provider: a check process observes the start too, and reads the settings in its own
     *                 sequence (the application-scoped parts are proxies, created on first use)
     */
    public ProbeApp(Provider<Settings> settings, AttemptPipeline pipeline, Lanes lanes, KubeAwareness kube,
            CurrentRole role, PeerWatch peer, Sweep sweep,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
            @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000") int managementPort) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.lanes = lanes;
        this.kube = kube;
        this.role = role;
        this.peer = peer;
        this.sweep = sweep;
        this.version = version;
        this.managementPort = managementPort;
    }

    void onStart(@Observes StartupEvent event) {
        if (Main.checking()) {
            return; // the check runs once, in CheckCommand: no loop, no watches
        }
        Settings all = settings.get();
        ProbeSettings s = all.probe();
        Optional<List<Lane>> simulated = lanes.simulated(all);
        if (simulated.isPresent()) {
            start(s, simulated.get());
            peer.off("both roles run in this process (demo mesh)");
            return;
        }
        kube.configure(all.kubernetes());
        RoleState detected = lanes.detect(s, kube::ownPod);
        start(s, List.of(lanes.own(s, detected)));
        kube.start(s, detected, role::publish); // watches on a thread of their own
        sweep.start(detected); // the coverage sweep, when configured: naked role, Kubernetes API
        PeerPlan plan = PeerPlan.of(all.peer(), all.kubernetes().podNamespace(), all.kubernetes().clusterDomain(),
                detected.intended(), managementPort);
        if (plan.url() == null) {
            peer.off(plan.off());
        } else {
            peer.start(plan.url(), all.peer().timeout(), PeerPlan.maxBytes(s.targets().size()),
                    PeerPlan.period(s.interval()), version); // on a thread of its own, while someone looks
        }
    }

    private void start(ProbeSettings s, List<Lane> lanes) {
        pipeline.start(s, lanes);
        LOG.infof("probing %d target(s) every %s with a %s timeout", s.targets().size(),
                Durations.format(s.interval()), Durations.format(s.timeout()));
    }
}
