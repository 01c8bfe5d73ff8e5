package dev.mtlsprobe.sweep;

import static dev.mtlsprobe.sweep.Pods.NS;
import static dev.mtlsprobe.sweep.Pods.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.kube.Listed;
import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.probe.Greeting;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure plan of a round from canned objects: no API server, no informers. */
class CoveragePlannerTest {

    /** What the watches would know; anything not put here is "not listed yet". */
    static final class Canned implements SweepState {
        Listed<List<String>> namespaces = Listed.of(List.of(NS));
        final Map<String, Listed<Map<String, String>>> labels = new HashMap<>();
        final Map<String, List<Service>> services = new HashMap<>();
        final Map<String, List<EndpointSlice>> slices = new HashMap<>();
        final Map<String, List<Pod>> pods = new HashMap<>();
        Expectations.Policies policies = new Expectations.Policies(List.of(
                Pods.policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of())), "");

        @Override
        public Listed<List<String>> namespaces() {
            return namespaces;
        }

        @Override
        public Listed<Map<String, String>> namespaceLabels(String namespace) {
            return labels.getOrDefault(namespace, Listed.pending());
        }

        @Override
        public Listed<List<Service>> services(String namespace) {
            return listed(services.get(namespace));
        }

        @Override
        public Listed<List<EndpointSlice>> endpointSlices(String namespace) {
            return listed(slices.get(namespace));
        }

        @Override
        public Listed<List<Pod>> pods(String namespace) {
            return listed(pods.get(namespace));
        }

        @Override
        public Expectations.Policies policies(String namespace) {
            return policies;
        }

        private static <T> Listed<List<T>> listed(List<T> items) {
            return items == null ? Listed.pending() : Listed.of(items);
        }

        /** A Service with these ports (name:port), its selector-less slice of endpoints (pod:address[:ready]). */
        Canned service(String name, List<String> ports, List<String> endpoints) {
            ServiceBuilder svc = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                    .withNewSpec().endSpec();
            EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withName(name + "-x")
                    .withNamespace(NS).addToLabels(CoveragePlanner.SERVICE_NAME_LABEL, name).endMetadata()
                    .withAddressType("IPv4");
            for (String p : ports) {
                String[] np = p.split(":");
                int port = Integer.parseInt(np[1]);
                svc.editSpec().addNewPort().withName(np[0]).withPort(port).withTargetPort(new IntOrString(port + 1000))
                        .endPort().endSpec();
                slice.addNewPort().withName(np[0]).withPort(port + 1000).endPort();
            }
            for (String e : endpoints) {
                String[] pa = e.split(":");
                EndpointBuilder b = new EndpointBuilder().withAddresses(pa[1]).withNewTargetRef().withKind("Pod")
                        .withName(pa[0]).withNamespace(NS).endTargetRef();
                if (pa.length > 2) {
                    b.withNewConditions().withReady(Boolean.parseBoolean(pa[2])).endConditions();
                }
                slice.addToEndpoints(b.build());
            }
            services.computeIfAbsent(NS, k -> new ArrayList<>()).add(svc.build());
            slices.computeIfAbsent(NS, k -> new ArrayList<>()).add(slice.build());
            return this;
        }

        Canned pod(Pod p) {
            pods.computeIfAbsent(NS, k -> new ArrayList<>()).add(p);
            return this;
        }
    }

    static Canned lab() {
        Canned c = new Canned();
        c.labels.put(NS, Listed.of(Map.of("istio-injection", "enabled")));
        c.pods.put(NS, new ArrayList<>());
        c.services.put(NS, new ArrayList<>());
        c.slices.put(NS, new ArrayList<>());
        return c;
    }

    static CoveragePlan plan(Canned c, int maxPorts, int maxEndpoints) {
        return CoveragePlanner.plan(c, ROOT, maxPorts, maxEndpoints);
    }

    @Test
    void everyTcpPortOfEveryServiceWithItsReadyEndpointsAndTheirExpectations() {
        Canned c = lab().service("api", List.of("grpc-api:9090", "http:80"), List.of("api-1:10.0.0.1",
                "api-2:10.0.0.2:false", "api-3:10.0.0.3:true"))
                .pod(Pods.withSidecar("api-1", Map.of("app", "api"), Map.of()))
                .pod(Pods.withSidecar("api-3", Map.of("app", "api"), Map.of()));
        c.services.get(NS).get(0).getSpec().getPorts().add(new io.fabric8.kubernetes.api.model.ServicePortBuilder()
                .withName("dns").withProtocol("UDP").withPort(53).build());
        CoveragePlan plan = plan(c, 100, 100);
        assertEquals(List.of("team-app/api:80", "team-app/api:9090"), plan.ports().stream().map(PortPlan::key).toList(),
                "TCP ports in order; UDP has no TLS handshake to refuse");
        PortPlan http = plan.ports().get(0);
        assertEquals(Greeting.HTTP, http.greeting());
        assertEquals(Greeting.HTTP2, plan.ports().get(1).greeting());
        assertEquals(2, http.readyEndpoints(), "a not-ready endpoint is not checked");
        assertEquals(List.of("10.0.0.1:1080", "10.0.0.3:1080"), http.endpoints().stream().map(EndpointPlan::key)
                .toList(), "the slice's port, the container port, is what the check connects to");
        assertEquals(MtlsMode.STRICT, http.endpoints().get(0).expectation().mode());
        assertEquals(Expectation.Protection.SIDECAR, http.endpoints().get(0).expectation().protection());
        assertEquals(List.of(), plan.waiting());
    }

    @Test
    void capsKeepTheSamePortsAndTheRiskiestEndpointsAndCountTheRest() {
        Canned c = lab().service("a", List.of("http:80", "metrics:81"), List.of("a-1:10.0.0.1", "a-2:10.0.0.2",
                "a-3:10.0.0.3"))
                .service("b", List.of("http:80"), List.of("b-1:10.0.1.1"))
                .pod(Pods.withSidecar("a-1", Map.of(), Map.of()))
                .pod(Pods.plain("a-2", Map.of())) // no sidecar under STRICT: kept first under the cap
                .pod(Pods.withSidecar("a-3", Map.of(), Map.of()));
        CoveragePlan plan = plan(c, 2, 2);
        assertEquals(List.of("team-app/a:80", "team-app/a:81"), plan.ports().stream().map(PortPlan::key).toList());
        assertEquals(1, plan.skippedServicePorts(), "b:80 is beyond max-service-ports");
        assertEquals(2, plan.skippedEndpoints(), "one endpoint of each port of a is beyond max-endpoints-per-port");
        assertEquals(List.of("a-2", "a-1"), plan.ports().get(0).endpoints().stream().map(EndpointPlan::pod).toList(),
                "the endpoint nothing protects is never the one left out");
        assertEquals(3, plan.ports().get(0).readyEndpoints());
        assertEquals(4, plan.checks());
    }

    @Test
    void slicesOfOtherServicesFqdnSlicesAndEndpointsWithoutAPodAreTakenAsTheyAre() {
        Canned c = lab().service("a", List.of("http:80"), List.of("gone:10.0.0.9"));
        c.slices.get(NS).add(new EndpointSliceBuilder().withNewMetadata().withName("ext").addToLabels(
                CoveragePlanner.SERVICE_NAME_LABEL, "a").endMetadata().withAddressType("FQDN").addNewPort()
                .withName("http").withPort(1080).endPort().addNewEndpoint().withAddresses("db.example.com")
                .endEndpoint().build());
        c.service("b", List.of("http:80"), List.of());
        PortPlan a = plan(c, 10, 10).ports().get(0);
        assertEquals(1, a.endpoints().size(), "the FQDN slice is not checked, b's slice is not a's");
        assertEquals(Expectation.Protection.UNKNOWN, a.endpoints().get(0).expectation().protection(),
                "a pod the API does not list");
        assertEquals(null, a.endpoints().get(0).expectation().mode());
        PortPlan b = plan(c, 10, 10).ports().get(1);
        assertEquals(List.of(), b.endpoints(), "a port with no ready endpoint is still covered, and unknown");
    }

    @Test
    void untilTheApiHasListedANamespaceItIsWaitingAndSaysForWhat() {
        Canned c = lab().service("a", List.of("http:80"), List.of("a-1:10.0.0.1"));
        c.pods.remove(NS);
        assertEquals(List.of("waiting for the Kubernetes API (pods of namespace team-app)"), plan(c, 10, 10).waiting());
        assertTrue(plan(c, 10, 10).ports().isEmpty());
        c = lab();
        c.labels.put(NS, Listed.of(null));
        assertEquals(List.of("namespace team-app does not exist"), plan(c, 10, 10).waiting());
        c.namespaces = Listed.pending();
        assertEquals(List.of("waiting for the Kubernetes API (the namespaces the selector matches)"),
                plan(c, 10, 10).waiting());
    }
}
