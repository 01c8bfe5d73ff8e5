package dev.mtlsprobe.web;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.kube.KubernetesStatus;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.pair.PairComposer;
import dev.mtlsprobe.pair.PairView;
import dev.mtlsprobe.pair.PeerView;
import dev.mtlsprobe.pair.PeerWatch;
import dev.mtlsprobe.pipeline.LaneSource;
import dev.mtlsprobe.role.CurrentRole;
import dev.mtlsprobe.status.CellView;
import dev.mtlsprobe.status.StatusStore;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Builds the status documents: the full one of {@code /api/status} (with the peer and the pair) and the compact
 * one the peer fetches from the management port (own cells and their timelines only).
 */
@ApplicationScoped
public class StatusViews {

    private final Settings settings;
    private final StatusStore store;
    private final CurrentRole role;
    private final KubeAwareness kube;
    private final PeerWatch peer;
    private final List<LaneSource> sources;

    public StatusViews(Settings settings, StatusStore store, CurrentRole role, KubeAwareness kube, PeerWatch peer,
            @All List<LaneSource> sources) {
        this.settings = settings;
        this.store = store;
        this.role = role;
        this.kube = kube;
        this.peer = peer;
        this.sources = sources;
    }

    /**
     * Changes with the own cells, the Kubernetes view, the role, the peer, and at least once per interval: the pair
     * is judged on ages, so a document must not be confirmed (304) after its judgement may have gone stale.
     */
    public String version() {
        return store.version() + "." + kube.statusVersion() + "." + role.version() + "." + peer.version() + "."
                + tick();
    }

    /** The version of the compact document: the peer's part does not count. */
    public String ownVersion() {
        return store.version() + "." + role.version() + "." + tick();
    }

    private long tick() {
        return System.currentTimeMillis() / settings.probe().interval().toMillis();
    }

    public StatusView full(String version, int history, boolean timeline) {
        long now = System.currentTimeMillis();
        List<CellView> cells = store.view(history, timeline || history > 0);
        RoleState state = role.get();
        KubernetesStatus k = state == null ? null : kube.status();
        PeerView p = peer.view();
        String ns = settings.kubernetes().podNamespace().orElse(null);
        PairView pair = PairComposer.compose(new PairComposer.Input(cells, settings.probe().interval().toMillis(), p, k,
                ns, settings.page()::runbook, now));
        return view(version, now, state, cells, k, p, pair);
    }

    public StatusView compact(String version) {
        return view(version, System.currentTimeMillis(), role.get(), store.view(0, true), null, null, null);
    }

    private StatusView view(String version, long now, RoleState state, List<CellView> cells, KubernetesStatus k,
            PeerView p, PairView pair) {
        ProbeSettings s = settings.probe();
        String interval = Durations.format(s.interval());
        String timeout = Durations.format(s.timeout());
        double seconds = s.interval().toMillis() / 1000.0;
        if (state == null) {
            LaneSource.MeshNote mesh = sources.stream().filter(x -> x.applies(settings)).findFirst()
                    .map(LaneSource::note).orElse(null);
            return new StatusView(version, now, "demo", "demo", "demo", false,
                    "demo mesh: both roles run in this process", interval, seconds, timeout, cells,
                    mesh == null ? null : new StatusView.DemoView(mesh.policy(), mesh.serverId(), mesh.clientId()),
                    null, p, pair);
        }
        return new StatusView(version, now, state.role().label(), state.source(), state.intended().label(),
                state.mismatch(), state.describe(), interval, seconds, timeout, cells, null, k, p, pair);
    }
}
