package dev.mtlsprobe.app;

import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.pipeline.LaneSource;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.Probers;
import dev.mtlsprobe.probe.Resolver;
import dev.mtlsprobe.role.CurrentRole;
import dev.mtlsprobe.role.RoleDetector;
import dev.mtlsprobe.role.SidecarReadiness;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where the lanes of this process come from, one sequence for the service and the check: a {@link LaneSource}'s
 * when one applies (the dev-mode demo), else the pod's own network with its detected role.
 */
@ApplicationScoped
public class Lanes {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final List<LaneSource> sources;
    private final CurrentRole role;
    private final SidecarReadiness sidecar;
    private final String version;

    public Lanes(@All List<LaneSource> sources, CurrentRole role, SidecarReadiness sidecar,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.sources = sources;
        this.role = role;
        this.sidecar = sidecar;
        this.version = version;
    }

    /** The started lanes of the source that applies, or empty when none does (the pod's own lane then). */
    Optional<List<Lane>> simulated(Settings settings) {
        Optional<LaneSource> source = sources.stream().filter(x -> x.applies(settings)).findFirst();
        if (source.isEmpty() && settings.demo().enabled()) {
            LOG.warn("mtls-probe.demo.enabled=true is ignored: the demo mesh exists only in dev mode (./mvnw quarkus:dev)");
        }
        return source.map(s -> s.start(settings, version));
    }

    /**
     * Detects the role and publishes it.
     *
     * @param apiPod the own pod from the Kubernetes API, asked only when there are no downward-API files
     */
    RoleState detect(ProbeSettings s, Supplier<Optional<RoleDetector.ApiPod>> apiPod) {
        RoleState detected = RoleDetector.detect(s, apiPod);
        role.publish(detected);
        return detected;
    }

    /** The pod's own lane; in the sidecar role its attempts count only while the sidecar is ready. */
    Lane own(ProbeSettings s, RoleState detected) {
        boolean withSidecar = detected.role() == Role.SIDECAR;
        if (withSidecar) {
            sidecar.watch(s.sidecarReady(), version);
        }
        return new Lane(detected.role(), Probers.byProtocol(Resolver.SYSTEM, Dialer.DIRECT, s.timeout(), version),
                withSidecar ? sidecar::ready : () -> true);
    }
}
