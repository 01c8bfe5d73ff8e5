package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The opt-in components, added to the lab as a user adds them: the NetworkPolicy admits only Prometheus (from the
 * namespace k8s/monitoring installs into) to the ports it scrapes, only the page's labelled clients to 8080 and only
 * the other probe of the pair to the port its status is fetched from; without the Kubernetes API, no token is
 * mounted and no grant installed.
 */
class OptInComponentsTest {

    static final String LAB = "k8s/overlays/lab";

    @Test
    void theNetworkPolicyLetsOnlyPrometheusScrapeAndOnlyPageClientsReachThePage() throws Exception {
        List<HasMetadata> objects = Kustomize.compose("lab-network-policy", List.of(LAB),
                List.of("k8s/components/network-policy"));
        List<NetworkPolicy> policies = Manifests.ofType(objects, NetworkPolicy.class);
        assertEquals(1, policies.size());
        var spec = policies.get(0).getSpec();
        assertEquals(List.of("Ingress"), spec.getPolicyTypes(), "inbound only: the probe's own calls stay open");

        Map<String, String> selector = spec.getPodSelector().getMatchLabels();
        Set<String> selected = Manifests.ofType(objects, Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(selector.entrySet()))
                .map(d -> d.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("mtls-probe-naked", "mtls-probe-sidecar"), selected, "the policy selects the probes only");

        Map<String, Integer> ports = Manifests.probe(objects, "naked").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        String prometheusNamespace = Kustomize.render("k8s/monitoring").get(0).getMetadata().getNamespace();
        String scraped = Manifests.spec(Manifests.oneOfKind(objects, "PodMonitor", "mtls-probe"))
                .path("podMetricsEndpoints").get(0).path("port").asText();

        assertEquals(3, spec.getIngress().size(), "three rules: Prometheus, page clients, the peer");
        NetworkPolicyIngressRule prometheus = spec.getIngress().get(0);
        NetworkPolicyIngressRule page = spec.getIngress().get(1);
        NetworkPolicyIngressRule peer = spec.getIngress().get(2);
        assertEquals(Set.of(ports.get(scraped), 15020, 15090), portNumbers(prometheus),
                "Prometheus reaches the port the PodMonitor scrapes, and Istio's metrics ports");
        NetworkPolicyPeer from = only(prometheus.getFrom());
        assertEquals(Map.of("kubernetes.io/metadata.name", prometheusNamespace),
                from.getNamespaceSelector().getMatchLabels(), "the namespace k8s/monitoring installs into");
        assertEquals(null, from.getPodSelector());

        assertEquals(Set.of(ports.get("http")), portNumbers(page), "the page's port");
        NetworkPolicyPeer client = only(page.getFrom());
        assertEquals(Map.of("mtls-probe.dev/page-client", "true"), client.getPodSelector().getMatchLabels());
        assertNotNull(client.getNamespaceSelector(), "page clients in any namespace, by their label");

        assertEquals(Set.of(ports.get("management")), portNumbers(peer), "the peer's status is on the management port");
        NetworkPolicyPeer probes = only(peer.getFrom());
        assertEquals(null, probes.getNamespaceSelector(), "the peer runs in the same namespace");
        assertEquals(selector, probes.getPodSelector().getMatchLabels(), "both probes, and only them");

        assertEquals(List.of(), Manifests.ofType(Kustomize.render(LAB), NetworkPolicy.class), "opt-in: not by default");
    }

    @Test
    void withoutTheKubernetesApiThereIsNoTokenNoGrantAndTheFeaturesAreOff() throws Exception {
        List<HasMetadata> objects = Kustomize.compose("lab-without-kubernetes-api", List.of(LAB),
                List.of("k8s/components/without-kubernetes-api"));
        assertTrue(objects.stream().noneMatch(o -> o.getApiVersion().startsWith("rbac.authorization.k8s.io/")),
                "no RBAC object");
        for (String role : List.of("sidecar", "naked")) {
            Deployment d = Manifests.probe(objects, role);
            assertEquals(Boolean.FALSE, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(), role);
            String config = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                    .getConfigMapRef().getName();
            assertEquals("false", Manifests.configMapData(objects, config).get("MTLS_PROBE_KUBERNETES_ENABLED"), role);
        }
        // Where the features are used (the default), the token is mounted and the grants exist.
        List<HasMetadata> lab = Kustomize.render(LAB);
        assertEquals(Boolean.TRUE, Manifests.probe(lab, "naked").getSpec().getTemplate().getSpec()
                .getAutomountServiceAccountToken());
        assertTrue(!Rbac.grants(lab, "team-app", "mtls-probe").isEmpty());
    }

    private static Set<Integer> portNumbers(NetworkPolicyIngressRule rule) {
        return rule.getPorts().stream().peek(p -> assertEquals("TCP", p.getProtocol()))
                .map(NetworkPolicyPort::getPort).map(p -> p.getIntVal()).collect(Collectors.toSet());
    }

    private static NetworkPolicyPeer only(List<NetworkPolicyPeer> peers) {
        assertEquals(1, peers.size(), "one peer: " + peers);
        return peers.get(0);
    }
}
