package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `kubectl apply -k k8s/monitoring` installs the generated rules and dashboards and the routing, as generated. */
class MonitoringInstallTest {

    private static List<HasMetadata> monitoring;

    @BeforeAll
    static void render() throws Exception {
        monitoring = Kustomize.render("k8s/monitoring");
    }

    @Test
    void thePrometheusRuleIsTheGeneratedOneLabelledForKubePrometheusStack() throws Exception {
        GenericKubernetesResource rule = Manifests.oneOfKind(monitoring, "PrometheusRule", "mtls-probe");
        assertEquals("kube-prometheus-stack", Manifests.label(rule, "release"));
        JsonNode generated = new ObjectMapper(new YAMLFactory()).readTree(
                Kustomize.ROOT.resolve("k8s/monitoring/prometheusrule.yaml").toFile());
        assertEquals(generated.path("spec"), Manifests.spec(rule));
        Manifests.oneOfKind(monitoring, "AlertmanagerConfig", "mtls-probe");
    }

    @Test
    void everyDashboardIsAConfigMapWithTheSameJsonInTheConfiguredFolder() throws Exception {
        List<ConfigMap> dashboards = Manifests.ofType(monitoring, ConfigMap.class).stream()
                .filter(c -> "1".equals(Manifests.label(c, "grafana_dashboard"))).toList();
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(Kustomize.ROOT.resolve("grafana"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 2, "dashboards: " + files);
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<ConfigMap> holding = dashboards.stream().filter(c -> c.getData().containsKey(name)).toList();
            assertEquals(1, holding.size(), "one dashboard ConfigMap holds " + name);
            ConfigMap cm = holding.get(0);
            // Generated without a hash suffix: Grafana's sidecar and users find it by a stable name.
            assertEquals("grafana-dashboard-" + name.replaceFirst("\\.json$", ""), cm.getMetadata().getName());
            assertEquals(Map.of("grafana_folder", "mtls-probe"), cm.getMetadata().getAnnotations());
            assertEquals(json.readTree(Files.readString(file)), json.readTree(cm.getData().get(name)),
                    name + " differs from grafana/" + name);
            // kubectl apply keeps a copy in an annotation, capped at 256 KiB.
            assertTrue(cm.getData().get(name).getBytes(StandardCharsets.UTF_8).length < 200 * 1024, name);
        }
        assertEquals(files.size(), dashboards.size(), "one ConfigMap per dashboard file");
    }
}
