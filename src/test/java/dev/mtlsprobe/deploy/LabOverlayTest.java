package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `kubectl apply -k k8s/overlays/lab` reproduces the lab and has Prometheus scrape it. */
class LabOverlayTest {

    private static final String NS = "team-app";
    private static List<HasMetadata> lab;

    @BeforeAll
    static void render() throws Exception {
        lab = Kustomize.render("k8s/overlays/lab");
    }

    @Test
    void namespaceWithInjectionAndStrictPeerAuthentication() {
        Namespace ns = Manifests.one(lab, Namespace.class, NS);
        assertEquals("enabled", Manifests.label(ns, "istio-injection"));

        GenericKubernetesResource pa = Manifests.oneOfKind(lab, "PeerAuthentication", "mutual-tls-auth");
        assertTrue(pa.getApiVersion().startsWith("security.istio.io/"), pa.getApiVersion());
        assertEquals(NS, pa.getMetadata().getNamespace());
        JsonNode spec = Manifests.spec(pa);
        assertEquals("STRICT", spec.at("/mtls/mode").asText());
        assertTrue(spec.path("selector").isMissingNode(), "namespace-wide: no selector");
    }

    @Test
    void httpbinBehindHttpbinSvcAndBothProbesTargetingIt() {
        Deployment httpbin = Manifests.one(lab, Deployment.class, "httpbin");
        assertEquals("httpbin", Manifests.label(httpbin, "app"));
        assertTrue(httpbin.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
                .startsWith("mccutchen/go-httpbin:"));
        Service svc = Manifests.one(lab, Service.class, "httpbin-svc");
        ServicePort port = svc.getSpec().getPorts().get(0);
        assertEquals(8080, port.getPort());
        assertEquals(8080, port.getTargetPort().getIntVal());
        Map<String, String> podLabels = httpbin.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(Map.of("app", "httpbin"), svc.getSpec().getSelector());
        assertTrue(podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()), "the Service selects httpbin");
        assertTrue(httpbin.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .anyMatch(p -> p.getContainerPort() == 8080), "httpbin listens on the target port");

        for (String component : List.of("sidecar", "naked")) {
            Deployment probe = Manifests.probe(lab, component);
            String config = probe.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                    .getConfigMapRef().getName();
            assertEquals("http://httpbin-svc:8080/headers",
                    Manifests.configMapData(lab, config).get("MTLS_PROBE_TARGETS_HTTPBIN_URL"));
        }
    }

    @Test
    void everythingLivesInTeamAppButTheMeshRootGrant() {
        for (HasMetadata o : lab) {
            String ns = o.getMetadata().getNamespace();
            String id = o.getKind() + "/" + o.getMetadata().getName();
            if (o instanceof Namespace || o.getKind().startsWith("Cluster")) {
                assertNull(ns, id + " is cluster-scoped");
            } else if (ns != null && ns.equals("istio-system")) {
                assertTrue(List.of("Role", "RoleBinding").contains(o.getKind()), id + " in istio-system");
            } else {
                assertEquals(NS, ns, id);
            }
        }
    }

    /** warn and audit, never enforce: istio-init needs NET_ADMIN and NET_RAW unless Istio CNI is used. */
    @Test
    void theNamespaceWarnsAndAuditsAgainstRestrictedWithoutEnforcingIt() throws Exception {
        Map<String, String> labels = Manifests.one(lab, Namespace.class, NS).getMetadata().getLabels();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/warn"));
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/audit"));
        assertNull(labels.get("pod-security.kubernetes.io/enforce"), "enforce would reject every pod with istio-init");
        String doc = Files.readString(Kustomize.ROOT.resolve("docs/kubernetes.md"));
        assertTrue(doc.contains("NET_ADMIN") && doc.contains("istio-cni") && doc.contains("enforce"),
                "docs/kubernetes.md says why enforce is not used");
    }

    @Test
    void podMonitorScrapesBothProbesOnTheManagementPort() {
        GenericKubernetesResource pm = Manifests.oneOfKind(lab, "PodMonitor", "mtls-probe");
        assertEquals(NS, pm.getMetadata().getNamespace(), "a PodMonitor selects pods of its own namespace");
        JsonNode spec = Manifests.spec(pm);
        Map<String, String> selector = new ObjectMapper().convertValue(spec.at("/selector/matchLabels"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        assertFalse(selector.isEmpty());
        List<Deployment> selected = Manifests.ofType(lab, Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
        assertEquals(List.of("mtls-probe-naked", "mtls-probe-sidecar"),
                selected.stream().map(d -> d.getMetadata().getName()).sorted().toList(), "selected pods");
        JsonNode endpoints = spec.get("podMetricsEndpoints");
        assertEquals(1, endpoints.size());
        String port = endpoints.get(0).get("port").asText();
        assertEquals("management", port);
        assertEquals("/q/metrics", endpoints.get(0).get("path").asText());
        for (Deployment d : selected) {
            assertTrue(d.getSpec().getTemplate().getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts().stream()).anyMatch(p -> port.equals(p.getName())),
                    d.getMetadata().getName() + " has a container port named " + port);
        }
    }

    /** The pair only: rules, dashboards and routing are installed once per cluster (k8s/monitoring). */
    @Test
    void kubePrometheusStackPicksUpTheMonitorAndNothingOfTheClusterWideMonitoring() {
        GenericKubernetesResource pm = Manifests.oneOfKind(lab, "PodMonitor", "mtls-probe");
        assertEquals("kube-prometheus-stack", Manifests.label(pm, "release"));
        assertEquals(List.of(), Manifests.ofKind(lab, "PrometheusRule"));
        assertEquals(List.of(), Manifests.ofKind(lab, "AlertmanagerConfig"));
        assertTrue(Manifests.ofType(lab, ConfigMap.class).stream()
                .noneMatch(c -> c.getMetadata().getLabels() != null
                        && c.getMetadata().getLabels().containsKey("grafana_dashboard")), "no dashboard ConfigMap");
    }
}
