package dev.mtlsprobe.probe;

import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.demo.DemoLanes;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.metrics.ProbeMetrics;
import dev.mtlsprobe.metrics.RoleMetrics;
import dev.mtlsprobe.role.RoleDetector;
import dev.mtlsprobe.role.RoleState;
import dev.mtlsprobe.role.SidecarReadiness;
import dev.mtlsprobe.status.AttemptRecord;
import dev.mtlsprobe.status.StatusStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Validates the configuration, detects the role and runs the probe loop for the life of the process. */
@ApplicationScoped
public class ProbeEngine {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final ProbeMetrics metrics;
    private final RoleMetrics roleMetrics;
    private final StatusStore store;
    private final SidecarReadiness sidecar;
    private final Instance<DemoLanes> demo; // present only in dev and test builds
    private final String version;
    private final KubeAwareness kube;
    private final org.eclipse.microprofile.config.Config raw;
    private volatile ProbeSettings settings;
    private volatile RoleState roleState;
    private final java.util.concurrent.atomic.AtomicLong roleVersion = new java.util.concurrent.atomic.AtomicLong();
    private volatile ProbeLoop loop;

    public ProbeEngine(ProbeMetrics metrics, RoleMetrics roleMetrics, StatusStore store,
            SidecarReadiness sidecar, Instance<DemoLanes> demo,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
            KubeAwareness kube, org.eclipse.microprofile.config.Config raw) {
        this.raw = raw;
        this.metrics = metrics;
        this.roleMetrics = roleMetrics;
        this.store = store;
        this.sidecar = sidecar;
        this.demo = demo;
        this.version = version;
        this.kube = kube;
    }

    void onStart(@Observes StartupEvent event) {
        Settings all = Settings.read(raw); // bad config: one line, non-zero exit
        ProbeSettings s = all.probe();
        settings = s;
        roleMetrics.buildInfo(version);
        roleMetrics.interval(s.interval());
        if (all.demo().enabled() && demo.isResolvable()) {
            start(demo.get().start(all.demo(), s.timeout(), version));
            return;
        }
        if (all.demo().enabled()) {
            LOG.warn("mtls-probe.demo.enabled=true is ignored: the demo mesh exists only in dev mode (./mvnw quarkus:dev)");
        }
        kube.configure(all.kubernetes());
        RoleState role = RoleDetector.detect(s, kube::ownPod);
        useRole(role);
        if (role.role() == Role.SIDECAR) {
            sidecar.watch(s.sidecarReady(), version);
        }
        start(List.of(new Lane(role.role(), new Prober(Resolver.SYSTEM, Dialer.DIRECT, s.timeout(), version),
                role.role() == Role.SIDECAR ? sidecar::ready : () -> true)));
        kube.start(s, role, this::useRole); // watches on a thread of its own; probing never waits for the API
    }

    /** Starts probing the configured targets on the given lanes. */
    public synchronized void start(List<Lane> lanes) {
        for (Lane lane : lanes) {
            for (TargetSpec target : settings.targets()) {
                metrics.register(lane.role(), target);
                store.register(lane.role(), target);
            }
        }
        loop = new ProbeLoop(settings.interval(), lanes, settings.targets(), new ProbeLoop.Sink() {
            @Override
            public void accept(Lane lane, TargetSpec target, AttemptResult result) {
                record(lane, target, result);
            }

            @Override
            public void skipped(Lane lane, TargetSpec target) {
                metrics.skipped(lane.role(), target);
            }
        });
        loop.start();
        LOG.infof("probing %d target(s) every %s with a %s timeout", settings.targets().size(),
                dev.mtlsprobe.config.Durations.format(settings.interval()),
                dev.mtlsprobe.config.Durations.format(settings.timeout()));
    }

    /** Publishes a (re)detected role. */
    public void useRole(RoleState role) {
        roleState = role;
        roleVersion.incrementAndGet();
        roleMetrics.role(role);
        if (role.mismatch()) {
            LOG.warnf("role mismatch: %s", role.describe());
        } else {
            LOG.infof("%s", role.describe());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        ProbeLoop l = loop;
        if (l != null) {
            l.close();
        }
    }

    private void record(Lane lane, TargetSpec target, AttemptResult result) {
        Judgement judgement = Verdicts.judge(lane.role(), result, target, lane.sidecarReady().getAsBoolean());
        metrics.record(lane.role(), target, result, judgement.verdict());
        AttemptRecord attempt = AttemptRecord.of(result, judgement, store.latest(lane.role(), target));
        AttemptRecord previous = store.record(lane.role(), target, attempt);
        if (previous == null || !previous.outcome().equals(attempt.outcome())
                || !previous.verdict().equals(attempt.verdict())) {
            String line = String.format("target %s (%s): %s, verdict %s%s: %s", target.name(), lane.role().label(),
                    attempt.outcome(), attempt.verdict(), previous == null ? "" : " (was " + previous.outcome() + ")",
                    attempt.reason());
            if (judgement.verdict() == Verdict.FAIL) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
        }
    }

    public ProbeSettings settings() {
        return settings;
    }

    /** Grows whenever the role state changes. */
    public long roleVersion() {
        return roleVersion.get();
    }

    /** The detected role, or null when the demo mesh runs both roles in this process. */
    public RoleState roleState() {
        return roleState;
    }

    /** Empty when the loop is healthy; see {@link ProbeLoop#problem()}. */
    public Optional<String> problem() {
        ProbeLoop l = loop;
        return l == null ? Optional.of("the probe loop has not started") : l.problem();
    }
}
