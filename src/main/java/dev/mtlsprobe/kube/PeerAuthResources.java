package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Optional;

/** Where the API serves PeerAuthentications: read as generic resources at the version API discovery names. */
public final class PeerAuthResources {

    static final String GROUP = "security.istio.io";
    static final String PLURAL = "peerauthentications";
    /** Why there is no version, for the status. */
    public static final String NOT_SERVED = "not served: the API has no " + PLURAL + " in " + GROUP
            + " (v1 or v1beta1); is Istio installed?";

    private PeerAuthResources() {
    }

    /**
     * v1 if served, else v1beta1 (older Istio), else empty (Istio is not installed).
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when discovery itself fails
     */
    public static Optional<ResourceDefinitionContext> served(KubernetesClient client) {
        for (String version : List.of("v1", "v1beta1")) {
            APIResourceList list = client.getApiResources(GROUP + "/" + version);
            if (list != null && list.getResources() != null
                    && list.getResources().stream().anyMatch(r -> PLURAL.equals(r.getName()))) {
                return Optional.of(new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version)
                        .withPlural(PLURAL).withKind("PeerAuthentication").withNamespaced(true).build());
            }
        }
        return Optional.empty();
    }

    /** The permission an informer of a namespace's PeerAuthentications needs. */
    public static String permission(String namespace) {
        return "list/watch " + PLURAL + "." + GROUP + " in namespace " + namespace;
    }
}
