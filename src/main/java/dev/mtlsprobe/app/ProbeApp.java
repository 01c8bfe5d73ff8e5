package dev.mtlsprobe.app;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.pipeline.AttemptPipeline;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.pipeline.LaneSource;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.Probers;
import dev.mtlsprobe.probe.Resolver;
import dev.mtlsprobe.role.CurrentRole;
import dev.mtlsprobe.role.RoleDetector;
import dev.mtlsprobe.role.SidecarReadiness;
import dev.mtlsprobe.sweep.Sweep;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The composition root: wires the parts and sequences the start, and does nothing else. Settings (already
 * validated), then the lanes: a {@link LaneSource} when one applies (the dev-mode demo), else the pod's own
 * network with its detected role; then the attempt pipeline; then the Kubernetes watches, which never hold up
 * probing.
 */
@ApplicationScoped
public class ProbeApp {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final Settings settings;
    private final AttemptPipeline pipeline;
    private final List<LaneSource> sources;
    private final KubeAwareness kube;
    private final CurrentRole role;
    private final SidecarReadiness sidecar;
    private final Sweep sweep;
    private final String version;

    public ProbeApp(Settings settings, AttemptPipeline pipeline, @All List<LaneSource> sources, KubeAwareness kube,
            CurrentRole role, SidecarReadiness sidecar, Sweep sweep,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.sources = sources;
        this.kube = kube;
        this.role = role;
        this.sidecar = sidecar;
        this.sweep = sweep;
        this.version = version;
    }

    void onStart(@Observes StartupEvent event) {
        ProbeSettings s = settings.probe();
        Optional<LaneSource> source = sources.stream().filter(x -> x.applies(settings)).findFirst();
        if (source.isPresent()) {
            start(s, source.get().start(settings, version));
            return;
        }
        if (settings.demo().enabled()) {
            LOG.warn("mtls-probe.demo.enabled=true is ignored: the demo mesh exists only in dev mode (./mvnw quarkus:dev)");
        }
        kube.configure(settings.kubernetes());
        RoleState detected = RoleDetector.detect(s, kube::ownPod);
        role.publish(detected);
        if (detected.role() == Role.SIDECAR) {
            sidecar.watch(s.sidecarReady(), version);
        }
        start(s, List.of(new Lane(detected.role(), Probers.byProtocol(Resolver.SYSTEM, Dialer.DIRECT, s.timeout(), version),
                detected.role() == Role.SIDECAR ? sidecar::ready : () -> true)));
        kube.start(s, detected, role::publish); // watches on a thread of their own
        sweep.start(detected); // the coverage sweep, when configured: naked role, Kubernetes API
    }

    private void start(ProbeSettings s, List<Lane> lanes) {
        pipeline.start(s, lanes);
        LOG.infof("probing %d target(s) every %s with a %s timeout", s.targets().size(),
                Durations.format(s.interval()), Durations.format(s.timeout()));
    }
}
