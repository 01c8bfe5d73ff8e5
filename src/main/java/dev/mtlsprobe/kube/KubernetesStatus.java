package dev.mtlsprobe.kube;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The {@code kubernetes} part of {@code /api/status}.
 *
 * @param enabled               whether the Kubernetes features are on
 * @param reason                why they are off, or how the API is reached
 * @param apiUp                 the value of {@code mtls_probe_kube_api_up} (null when off)
 * @param problems              what is wrong with the API right now, one sentence each
 * @param pod                   {@code namespace/name} of the own pod, when known
 * @param peerAuthenticationApi the PeerAuthentication API version in use, or why there is none
 * @param ambientNotes          how Istio ambient affects this probe and its targets
 * @param targets               the policy view of every target
 */
@RegisterForReflection
public record KubernetesStatus(boolean enabled, String reason, Integer apiUp, List<String> problems, String pod,
        String peerAuthenticationApi, List<String> ambientNotes, List<TargetPolicy> targets) {

    /**
     * One target as the cluster sees it.
     *
     * @param service          {@code namespace/name} of the Service the URL host names, or null
     * @param targetNamespace  the Service's namespace (the metric's {@code target_namespace})
     * @param mode             the effective PeerAuthentication mode, or null when it cannot be known
     * @param policy           {@code namespace/name} of the deciding policy, null for Istio's default
     * @param scope            {@code workload-port}, {@code workload}, {@code namespace}, {@code mesh} or {@code default}
     * @param containerPorts   the container ports the target reaches (port-level settings are keyed by them)
     * @param injectionEnabled whether the namespace has {@code istio-injection=enabled} or {@code istio.io/rev}
     * @param ambient          whether the namespace is in the ambient mesh
     * @param reason           how the mode was decided, or why it is unknown
     */
    @RegisterForReflection
    public record TargetPolicy(String target, String service, String targetNamespace, String mode, String policy,
            String scope, List<Integer> containerPorts, Boolean injectionEnabled, boolean ambient, String reason) {
    }

    static KubernetesStatus off(String reason) {
        return new KubernetesStatus(false, reason, null, List.of(), null, null, List.of(), List.of());
    }
}
