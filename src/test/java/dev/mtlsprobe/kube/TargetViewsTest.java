package dev.mtlsprobe.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.testsupport.Targets;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure composition of a target's view, from canned objects: no API server, no watches. */
class TargetViewsTest {

    static final String NS = "team-app";
    static final String ROOT = "istio-system";
    static final TargetSpec HTTPBIN = Targets.http("httpbin", "httpbin-svc", 8000, "/headers");

    /** What the watches would know, object by object; anything not put here is "not listed yet". */
    static final class Canned implements ClusterState {
        final Map<String, Listed<Map<String, String>>> namespaces = new HashMap<>();
        final Map<String, Listed<Service>> services = new HashMap<>();
        final Map<String, Listed<List<Pod>>> pods = new HashMap<>();
        final Map<String, Listed<List<PeerAuthPolicy>>> policies = new HashMap<>();
        PeerAuthApi api = PeerAuthApi.SERVED;

        @Override
        public Listed<Map<String, String>> namespace(String name) {
            return namespaces.getOrDefault(name, Listed.pending());
        }

        @Override
        public Listed<Service> service(ServiceRef ref) {
            return services.getOrDefault(ref.ref(), Listed.pending());
        }

        @Override
        public Listed<List<Pod>> pods(String namespace, Map<String, String> selector) {
            return pods.getOrDefault(new PodSelector(namespace, selector).key(), Listed.pending());
        }

        @Override
        public PeerAuthApi peerAuthApi() {
            return api;
        }

        @Override
        public String peerAuthApiText() {
            return api == PeerAuthApi.NOT_SERVED ? "not served: is Istio installed?" : "security.istio.io/v1";
        }

        @Override
        public Listed<List<PeerAuthPolicy>> peerAuthentications(String namespace) {
            return policies.getOrDefault(namespace, Listed.pending());
        }
    }

    static Canned lab() {
        Canned c = new Canned();
        c.namespaces.put(NS, Listed.of(Map.of("istio-injection", "enabled")));
        c.services.put(NS + "/httpbin-svc", Listed.of(service(new IntOrString("http"))));
        c.pods.put(NS + "/app=httpbin", Listed.of(List.of(pod("httpbin-1", "v1", 8080))));
        c.policies.put(NS, Listed.of(List.of()));
        c.policies.put(ROOT, Listed.of(List.of()));
        return c;
    }

    static Service service(IntOrString targetPort) {
        return new ServiceBuilder().withNewMetadata().withName("httpbin-svc").withNamespace(NS).endMetadata()
                .withNewSpec().addToSelector("app", "httpbin").addNewPort().withPort(8000).withTargetPort(targetPort)
                .endPort().endSpec().build();
    }

    static Pod pod(String name, String version, int httpPort) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", "httpbin")
                .addToLabels("version", version).endMetadata().withNewSpec().addNewContainer().withName("app")
                .addNewPort().withName("http").withContainerPort(httpPort).endPort().endContainer().endSpec().build();
    }

    static PeerAuthPolicy policy(String ns, String name, Map<String, String> selector, MtlsMode mode,
            Map<Integer, MtlsMode> ports) {
        return new PeerAuthPolicy(ns, name, java.time.Instant.EPOCH, selector, mode, ports);
    }

    static TargetViews.Composition compose(Canned state) {
        return TargetViews.compose(List.of(HTTPBIN), Map.of("httpbin", ServiceRef.parse("httpbin-svc", NS,
                "cluster.local")), ROOT, state);
    }

    @Test
    void aNamedTargetPortResolvesThroughEachPodAndPortLevelSettingsFollowIt() {
        Canned c = lab();
        c.policies.put(NS, Listed.of(List.of(policy(NS, "httpbin", Map.of("app", "httpbin"), MtlsMode.PERMISSIVE,
                Map.of(8080, MtlsMode.STRICT)))));
        TargetViews.Composition out = compose(c);
        TargetViews.TargetView v = out.views().get(0);
        assertTrue(v.known());
        assertEquals("STRICT", v.policy().mode(), v.policy().reason());
        assertEquals("workload-port", v.policy().scope());
        assertEquals(List.of(8080), v.policy().containerPorts());
        assertEquals(Set.of(new PodSelector(NS, Map.of("app", "httpbin"))), out.pods(), "the pods it needed");
    }

    @Test
    void theWeakestPodDecidesWhenPodsDiffer() {
        Canned c = lab();
        c.pods.put(NS + "/app=httpbin", Listed.of(List.of(pod("a", "v1", 8080), pod("b", "v2", 8080))));
        c.policies.put(NS, Listed.of(List.of(policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of()),
                policy(NS, "v2", Map.of("version", "v2"), MtlsMode.PERMISSIVE, Map.of()))));
        TargetViews.TargetView v = compose(c).views().get(0);
        assertEquals("PERMISSIVE", v.policy().mode(), v.policy().reason());
        assertEquals(NS + "/v2", v.policy().policy());
    }

    @Test
    void untilEveryWatchHasListedTheViewIsWaitingAndSaysForWhat() {
        Canned c = lab();
        c.services.remove(NS + "/httpbin-svc");
        assertWaiting(c, "Service team-app/httpbin-svc");
        c = lab();
        c.pods.clear();
        assertWaiting(c, "pods of team-app/httpbin-svc");
        c = lab();
        c.api = ClusterState.PeerAuthApi.UNKNOWN;
        assertWaiting(c, "API discovery");
        c = lab();
        c.policies.remove(ROOT);
        assertWaiting(c, "PeerAuthentications in istio-system");
    }

    static void assertWaiting(Canned c, String what) {
        TargetViews.TargetView v = compose(c).views().get(0);
        assertFalse(v.known());
        assertNull(v.policy().mode());
        assertEquals("waiting for the Kubernetes API (" + what + ")", v.policy().reason());
    }

    @Test
    void aMissingServiceAndNamespaceAreAnswersNotWaiting() {
        Canned c = lab();
        c.services.put(NS + "/httpbin-svc", Listed.of(null));
        c.namespaces.put(NS, Listed.of(null));
        TargetViews.TargetView v = compose(c).views().get(0);
        assertTrue(v.known());
        assertEquals("Service team-app/httpbin-svc not found (namespace team-app does not exist)", v.policy().reason());
        assertNull(v.policy().injectionEnabled());
    }

    @Test
    void withoutTheIstioApiTheDefaultAppliesAndTheReasonSaysWhy() {
        Canned c = lab();
        c.api = ClusterState.PeerAuthApi.NOT_SERVED;
        TargetViews.TargetView v = compose(c).views().get(0);
        assertEquals("PERMISSIVE", v.policy().mode());
        assertTrue(v.policy().reason().contains("PeerAuthentication API not served: is Istio installed?"),
                v.policy().reason());
    }

    @Test
    void anAddressIsNotAServiceAndNeedsNoWatch() {
        TargetViews.Composition out = TargetViews.compose(List.of(Targets.local("t", 80)),
                Map.of("t", ServiceRef.parse("127.0.0.1", NS, "cluster.local")), ROOT, new Canned());
        assertTrue(out.views().get(0).known());
        assertTrue(out.views().get(0).policy().reason().contains("is an address, not a Service name"));
        assertEquals(Set.of(), out.pods());
    }

    @Test
    void injectionAndAmbientComeFromTheTargetNamespace() {
        Canned c = lab();
        c.namespaces.put(NS, Listed.of(Map.of("istio.io/rev", "1-22", "istio.io/dataplane-mode", "ambient")));
        TargetViews.TargetView v = compose(c).views().get(0);
        assertEquals(Boolean.TRUE, v.policy().injectionEnabled());
        assertTrue(v.policy().ambient());
    }
}
