package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two probed namespaces (the lab's team-app and an existing one) plus the monitoring installed once: applied
 * together, no object is declared twice, one PrometheusRule carries every rule group once, and every dashboard uid
 * exists once.
 */
class ClusterInstallTest {

    static final List<String> PER_NAMESPACE = List.of("k8s/overlays/lab", "k8s/overlays/existing");
    static final String ONCE = "k8s/monitoring";

    @Test
    void twoProbedNamespacesAndOneMonitoringInstallHoldNothingTwice() throws Exception {
        List<HasMetadata> all = new ArrayList<>();
        for (String dir : PER_NAMESPACE) {
            all.addAll(Kustomize.render(dir));
        }
        all.addAll(Kustomize.render(ONCE));

        Map<String, Integer> ids = new TreeMap<>();
        for (HasMetadata o : all) {
            String group = o.getApiVersion().contains("/") ? o.getApiVersion().split("/")[0] : "";
            ids.merge(group + "/" + o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                    1, Integer::sum);
        }
        ids.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), ids, "objects declared more than once: one would overwrite or delete the other");

        List<GenericKubernetesResource> rules = Manifests.ofKind(all, "PrometheusRule");
        assertEquals(1, rules.size(), "one PrometheusRule for the cluster");
        Map<String, Integer> groups = new TreeMap<>();
        for (GenericKubernetesResource r : rules) {
            Manifests.spec(r).path("groups").forEach(g -> groups.merge(g.path("name").asText(), 1, Integer::sum));
        }
        assertTrue(groups.size() >= 4, "rule groups: " + groups);
        groups.forEach((name, n) -> assertEquals(1, n, "rule group " + name + " loaded " + n + " times"));

        Map<String, Integer> uids = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (ConfigMap cm : Manifests.ofType(all, ConfigMap.class)) {
            if ("1".equals(Manifests.label(cm, "grafana_dashboard"))) {
                for (String dashboard : cm.getData().values()) {
                    JsonNode d = json.readTree(dashboard);
                    uids.merge(d.path("uid").asText(), 1, Integer::sum);
                }
            }
        }
        assertEquals(Map.of("mtls-probe-istio-traffic", 1, "mtls-probe-overview", 1), uids, "dashboard uids");
        assertEquals(1, Manifests.ofKind(all, "AlertmanagerConfig").size(), "one AlertmanagerConfig");
    }

    /** What goes once holds no probe, no grant and no scrape config of a namespace; what goes per namespace, no rule. */
    @Test
    void theTwoLayersDoNotOverlap() throws Exception {
        for (HasMetadata o : Kustomize.render(ONCE)) {
            assertTrue(List.of("PrometheusRule", "AlertmanagerConfig", "ConfigMap").contains(o.getKind()),
                    ONCE + " installs " + o.getKind() + "/" + o.getMetadata().getName());
            assertEquals("monitoring", o.getMetadata().getNamespace(), o.getKind() + " " + o.getMetadata().getName());
        }
        for (String dir : PER_NAMESPACE) {
            for (HasMetadata o : Kustomize.render(dir)) {
                assertTrue(!List.of("PrometheusRule", "AlertmanagerConfig").contains(o.getKind())
                        && Manifests.label(o, "grafana_dashboard") == null,
                        dir + " installs " + o.getKind() + "/" + o.getMetadata().getName() + ", which goes once");
            }
        }
    }
}
