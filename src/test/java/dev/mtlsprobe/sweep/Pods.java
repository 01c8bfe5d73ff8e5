package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.kube.PeerAuthPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.Map;

/** Canned pods and policies for the sweep's pure tests, as the API would serve them. */
final class Pods {

    static final String NS = "team-app";
    static final String ROOT = "istio-system";

    private Pods() {
    }

    /** A pod with Istio's sidecar (as the injector leaves it) and these annotations. */
    static Pod withSidecar(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels)
                .withAnnotations(annotations).addToAnnotations("sidecar.istio.io/status", "{}").endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer().addNewContainer()
                .withName("istio-proxy").endContainer().endSpec().build();
    }

    /** A pod without any proxy. */
    static Pod plain(String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer().endSpec().build();
    }

    static PeerAuthPolicy policy(String ns, String name, Map<String, String> selector, MtlsMode mode,
            Map<Integer, MtlsMode> ports) {
        return new PeerAuthPolicy(ns, name, Instant.EPOCH, selector, mode, ports);
    }
}
