package dev.mtlsprobe.kube;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns composed views into what others read: the Kubernetes series (last known values), the {@code kubernetes}
 * part of the status, and the role again when Istio ambient changes what it means.
 */
final class KubePublisher {

    private final KubeMetrics metrics = new KubeMetrics();
    private final AtomicLong version = new AtomicLong();
    private volatile KubernetesStatus status;
    private RoleState published;

    KubePublisher(KubernetesStatus initial) {
        this.status = initial;
    }

    KubernetesStatus status() {
        return status;
    }

    long version() {
        return version.get();
    }

    KubeSeries series(boolean apiUp) {
        return metrics.snapshot(apiUp);
    }

    void status(KubernetesStatus next) {
        if (!next.equals(status)) {
            status = next;
            version.incrementAndGet();
        }
    }

    /**
     * @param ownNamespace the probe's namespace, whose labels say whether ambient captures it
     * @param ownLabels    the own pod's labels (from the API, else the downward-API file)
     * @param detected     the role as detected at start; {@code roleSink} receives it again, amended, on a change
     */
    void publish(TargetViews.Composition c, ClusterState state, KubernetesStatus base, String ownNamespace,
            Map<String, String> ownLabels, RoleState detected, Consumer<RoleState> roleSink) {
        List<KubernetesStatus.TargetPolicy> policies = new ArrayList<>();
        for (TargetViews.TargetView v : c.views()) {
            KubernetesStatus.TargetPolicy p = v.policy();
            if (v.known()) {
                metrics.mode(p.target(), p.targetNamespace(), p.mode() == null ? null : MtlsMode.valueOf(p.mode()));
            }
            policies.add(p);
        }
        policies.stream().map(KubernetesStatus.TargetPolicy::targetNamespace).filter(Objects::nonNull).distinct()
                .forEach(ns -> {
                    Listed<Map<String, String>> labels = state.namespace(ns);
                    if (labels.synced()) {
                        metrics.injection(ns, labels.value() == null ? null : TargetViews.injection(labels.value()));
                    }
                });
        List<String> notes = new ArrayList<>();
        Listed<Map<String, String>> own = state.namespace(ownNamespace);
        if (own.synced() && own.value() != null) {
            ambient(ownNamespace, own.value(), ownLabels, detected, roleSink, notes);
        }
        for (KubernetesStatus.TargetPolicy p : policies) {
            if (p.ambient()) {
                notes.add("target " + p.target() + ": namespace " + p.targetNamespace() + " is in the ambient mesh ("
                        + PodFacts.DATAPLANE_MODE + "=ambient): ztunnel, not a sidecar, enforces its PeerAuthentication");
            }
        }
        status(new KubernetesStatus(true, base.reason(), base.apiUp(), base.problems(), base.pod(),
                state.peerAuthApiText(), List.copyOf(notes), List.copyOf(policies)));
    }

    /** Publishes the role again when ambient capture of the own pod starts or stops mattering. */
    private void ambient(String ns, Map<String, String> nsLabels, Map<String, String> podLabels, RoleState detected,
            Consumer<RoleState> roleSink, List<String> notes) {
        Optional<String> capture = PodFacts.ambientCapture(detected.role(), ns, nsLabels, podLabels);
        capture.ifPresent(notes::add);
        if (capture.isEmpty() && "ambient".equals(nsLabels.get(PodFacts.DATAPLANE_MODE))) {
            notes.add("namespace " + ns + " is in the ambient mesh; this pod " + (detected.role() == Role.SIDECAR
                    ? "has a sidecar, which ambient leaves alone" : "opts out with " + PodFacts.DATAPLANE_MODE + "=none"));
        }
        RoleState now = PodFacts.withAmbient(detected, capture);
        if (published == null) {
            published = detected;
        }
        if (!now.equals(published)) {
            published = now;
            roleSink.accept(now);
        }
    }
}
