package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.EffectiveMode;
import dev.mtlsprobe.kube.ModeDecision;
import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.kube.PeerAuthPolicy;
import dev.mtlsprobe.kube.PodFacts;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.sweep.Expectation.Protection;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The expectation of one endpoint's port, as a pure function of what the API says: the effective
 * PeerAuthentication for the pod's labels and this container port (port-level settings included), whether the pod
 * carries a sidecar that captures the port, or is carried by ambient's ztunnel. Unknown stays unknown.
 */
final class Expectations {

    /**
     * The PeerAuthentications of the namespace and the root namespace, or why they are not known.
     *
     * @param policies null while not known
     * @param note     why they are not known, or what else to say (e.g. Istio not installed), or empty
     */
    record Policies(List<PeerAuthPolicy> policies, String note) {
        static Policies unknown(String why) {
            return new Policies(null, why);
        }
    }

    private Expectations() {
    }

    /**
     * @param namespaceLabels the namespace's labels, or null when not known
     * @param pod             the pod behind the endpoint, or null when none is known
     * @param port            the container port the endpoint's port reaches
     */
    static Expectation of(String namespace, String root, Policies policies, Map<String, String> namespaceLabels,
            Pod pod, int port) {
        if (pod == null) {
            return new Expectation(null, Protection.UNKNOWN, "no pod of namespace " + namespace + " stands behind "
                    + "this endpoint, so no PeerAuthentication is known to apply to it");
        }
        String name = pod.getMetadata().getName();
        Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
        Protection protection;
        String how;
        Optional<String> sidecar = PodFacts.sidecarEvidence(pod);
        Optional<String> ambient = namespaceLabels == null ? Optional.empty()
                : PodFacts.ambientCapture(Role.NAKED, namespace, namespaceLabels, labels);
        if (sidecar.isPresent()) {
            Optional<String> bypass = InboundCapture.bypass(orEmpty(pod.getMetadata().getAnnotations()), port);
            protection = bypass.isPresent() ? Protection.NOT_CAPTURED : Protection.SIDECAR;
            how = bypass.map(b -> b + ": pod " + name + "'s sidecar never sees it")
                    .orElse("pod " + name + "'s sidecar captures port " + port);
        } else if (ambient.isPresent()) {
            protection = Protection.AMBIENT;
            how = "pod " + name + " has no sidecar, but ztunnel carries its traffic (ambient mesh)";
        } else {
            protection = Protection.NO_SIDECAR;
            how = "pod " + name + " has no sidecar" + noSidecarCause(namespace, namespaceLabels, labels);
        }
        if (policies.policies() == null) {
            return new Expectation(null, protection, "the mode is unknown (" + policies.note() + "); " + how);
        }
        ModeDecision d = EffectiveMode.decide(namespace, root, policies.policies(),
                new EffectiveMode.Workload(labels, OptionalInt.of(port)));
        boolean unenforced = d.mode() == MtlsMode.STRICT
                && (protection == Protection.NO_SIDECAR || protection == Protection.NOT_CAPTURED);
        String why = d.reason() + (policies.note().isEmpty() ? "" : " (" + policies.note() + ")")
                + (unenforced ? "; but " + how + ", so nothing enforces it" : "; " + how);
        return new Expectation(d.mode(), protection, why);
    }

    private static String noSidecarCause(String namespace, Map<String, String> namespaceLabels,
            Map<String, String> podLabels) {
        if ("false".equals(podLabels.get("sidecar.istio.io/inject"))) {
            return " (its label sidecar.istio.io/inject=false opts it out)";
        }
        if (namespaceLabels != null && !"enabled".equals(namespaceLabels.get("istio-injection"))
                && !namespaceLabels.containsKey("istio.io/rev")) {
            return " (namespace " + namespace + " has neither istio-injection=enabled nor istio.io/rev)";
        }
        return " (it may predate the namespace's injection label: restart it to inject)";
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
