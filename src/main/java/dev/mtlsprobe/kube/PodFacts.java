package dev.mtlsprobe.kube;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.role.RoleDetector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a pod object says about the mesh: its sidecar, and whether the ambient mesh captures it. */
public final class PodFacts {

    static final String PROXY_CONTAINER = "istio-proxy";
    static final String DATAPLANE_MODE = "istio.io/dataplane-mode";

    private PodFacts() {
    }

    /** @return how the pod shows a sidecar, or empty when it has none */
    public static Optional<String> sidecarEvidence(Pod pod) {
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(RoleDetector.STATUS_ANNOTATION)) {
            return Optional.of("annotation " + RoleDetector.STATUS_ANNOTATION);
        }
        if (pod.getSpec() == null) {
            return Optional.empty();
        }
        if (named(pod.getSpec().getContainers()).anyMatch(c -> true)) {
            return Optional.of("container " + PROXY_CONTAINER);
        }
        // Kubernetes native sidecar: an init container that keeps running alongside the app
        if (named(pod.getSpec().getInitContainers()).anyMatch(c -> "Always".equals(c.getRestartPolicy()))) {
            return Optional.of("native sidecar (init container " + PROXY_CONTAINER + " with restartPolicy Always)");
        }
        return Optional.empty();
    }

    public static Role role(Pod pod) {
        return sidecarEvidence(pod).isPresent() ? Role.SIDECAR : Role.NAKED;
    }

    public static RoleDetector.ApiPod apiPod(Pod pod) {
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return new RoleDetector.ApiPod(role(pod), labels == null ? Map.of() : labels);
    }

    private static java.util.stream.Stream<Container> named(List<Container> containers) {
        return containers == null ? java.util.stream.Stream.empty()
                : containers.stream().filter(c -> PROXY_CONTAINER.equals(c.getName()));
    }

    /**
     * Istio ambient: a pod without a sidecar in a namespace labelled {@code istio.io/dataplane-mode=ambient} is
     * captured by ztunnel unless the pod itself opts out with {@code istio.io/dataplane-mode=none}.
     *
     * @return why the pod is in the ambient mesh, or empty when it is not
     */
    public static Optional<String> ambientCapture(Role role, String namespace, Map<String, String> namespaceLabels,
            Map<String, String> podLabels) {
        if (role != Role.NAKED || !"ambient".equals(namespaceLabels.get(DATAPLANE_MODE))) {
            return Optional.empty();
        }
        if ("none".equals(podLabels.get(DATAPLANE_MODE))) {
            return Optional.empty();
        }
        return Optional.of("namespace " + namespace + " has " + DATAPLANE_MODE + "=ambient, so ztunnel wraps this "
                + "pod's traffic in mTLS and plaintext is never tested; label the pod " + DATAPLANE_MODE
                + "=none (in its template) or run the naked probe in a namespace outside the ambient mesh");
    }

    /**
     * The detected role state with the ambient finding applied: only a probe meant to be naked is harmed by
     * ambient capture (a sidecar-intended pod without one already is a mismatch, with its own fix).
     */
    public static RoleState withAmbient(RoleState base, Optional<String> capture) {
        if (capture.isEmpty() || base.intended() != Role.NAKED) {
            return base;
        }
        return new RoleState(base.role(), base.source(), base.intended(), base.intendedSource(), capture.get(), true);
    }
}
