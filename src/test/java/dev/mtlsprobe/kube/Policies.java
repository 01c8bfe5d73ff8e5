package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** PeerAuthentications written the way users write them, as YAML. */
public final class Policies {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Policies() {
    }

    /**
     * @param selector e.g. {@code "app: httpbin"}, or null for none
     * @param mode     e.g. {@code "STRICT"}, or null for no {@code mtls} block
     * @param ports    e.g. {@code "8080: STRICT"}, or null for no {@code portLevelMtls}
     */
    public static GenericKubernetesResource resource(String apiVersion, String namespace, String name, String created,
            String selector, String mode, String ports) {
        StringBuilder y = new StringBuilder("apiVersion: security.istio.io/" + apiVersion
                + "\nkind: PeerAuthentication\nmetadata:\n  name: " + name + "\n  namespace: " + namespace + "\n");
        if (created != null) {
            y.append("  creationTimestamp: \"").append(created).append("\"\n");
        }
        y.append("spec:\n");
        if (selector != null) {
            y.append("  selector:\n    matchLabels:\n      ").append(selector).append("\n");
        }
        if (mode != null) {
            y.append("  mtls:\n    mode: ").append(mode).append("\n");
        }
        if (ports != null) {
            y.append("  portLevelMtls:\n");
            for (String p : ports.split(",")) {
                String[] kv = p.split(":");
                y.append("    ").append(kv[0].trim()).append(":\n      mode: ").append(kv[1].trim()).append("\n");
            }
        }
        return YAML.unmarshal(y.toString(), GenericKubernetesResource.class);
    }

    static PeerAuthPolicy policy(String namespace, String name, String created, String selector, String mode,
            String ports) {
        return PeerAuthPolicy.of(resource("v1", namespace, name, created, selector, mode, ports));
    }
}
