package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlsprobe.config.PeerSettings;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.pair.PeerPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two probe Deployments: identical but for the intent label (and the component label), and wired the way
 * the engine expects (ports, health paths, downward-API files, config, scraping under STRICT).
 */
class ProbePairTest {

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/lab", "k8s/overlays/existing"})
    void bothProbesAreIdenticalButForTheIntentLabel(String dir) throws Exception {
        List<HasMetadata> objects = Kustomize.render(dir);
        Deployment sidecar = Manifests.probe(objects, "sidecar");
        Deployment naked = Manifests.probe(objects, "naked");
        assertEquals("mtls-probe-sidecar", sidecar.getMetadata().getName());
        assertEquals("mtls-probe-naked", naked.getMetadata().getName());

        assertEquals("false", naked.getSpec().getTemplate().getMetadata().getLabels().get(Manifests.INJECT_LABEL),
                "the naked pod template opts out of injection");
        assertEquals("true", sidecar.getSpec().getTemplate().getMetadata().getLabels().get(Manifests.INJECT_LABEL),
                "the sidecar pod template states its intent, so a pod that lost injection is a mismatch");
        for (Deployment d : List.of(sidecar, naked)) {
            assertEquals("none", d.getSpec().getTemplate().getMetadata().getLabels().get("istio.io/dataplane-mode"),
                    "out of ambient: ztunnel would hide the naked pod's plaintext");
        }

        List<String> diff = new ArrayList<>();
        Manifests.differences(withoutDifferences(sidecar), withoutDifferences(naked), "", diff);
        assertEquals(List.of(), diff, dir + ": the Deployments may differ only by the intent and component labels");
    }

    /** The Deployment as JSON minus name, component label (everywhere) and intent label (pod template). */
    private static JsonNode withoutDifferences(Deployment d) {
        ObjectNode tree = Manifests.tree(d);
        ((ObjectNode) tree.get("metadata")).remove("name");
        for (String path : List.of("/metadata/labels", "/spec/selector/matchLabels", "/spec/template/metadata/labels")) {
            ((ObjectNode) tree.at(path)).remove(Manifests.COMPONENT_LABEL);
        }
        ((ObjectNode) tree.at("/spec/template/metadata/labels")).remove(Manifests.INJECT_LABEL);
        return tree;
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/lab", "k8s/overlays/existing"})
    void podsAreWiredTheWayTheEngineExpects(String dir) throws Exception {
        List<HasMetadata> objects = Kustomize.render(dir);
        Properties app = applicationProperties();
        int httpPort = Integer.parseInt(app.getProperty("quarkus.http.port"));
        int managementPort = Integer.parseInt(app.getProperty("quarkus.management.port"));
        for (String component : List.of("sidecar", "naked")) {
            Deployment d = Manifests.probe(objects, component);
            String where = dir + " " + d.getMetadata().getName();
            var pod = d.getSpec().getTemplate().getSpec();
            assertEquals(1, pod.getContainers().size(), where);
            Container c = pod.getContainers().get(0);

            Map<String, Integer> ports = c.getPorts().stream()
                    .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
            assertEquals(Map.of("http", httpPort, "management", managementPort), ports, where + ": named ports");

            probe(where + " liveness", c.getLivenessProbe(), "/q/health/live");
            probe(where + " readiness", c.getReadinessProbe(), "/q/health/ready");

            Map<String, String> fieldRefs = c.getEnv().stream().filter(e -> e.getValueFrom() != null
                    && e.getValueFrom().getFieldRef() != null)
                    .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
            assertEquals("metadata.name", fieldRefs.get("POD_NAME"), where);
            assertEquals("metadata.namespace", fieldRefs.get("POD_NAMESPACE"), where);

            Manifests.downwardApiFiles(where, pod.getVolumes(), c.getVolumeMounts());
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")
                    && pod.getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null)),
                    where + ": a writable /tmp (emptyDir) beside the read-only root filesystem");

            Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
            JsonNode proxyConfig = Serialization.jsonMapper().readTree(annotations.get("proxy.istio.io/config"));
            assertTrue(proxyConfig.path("holdApplicationUntilProxyStarts").asBoolean(), where + ": " + proxyConfig);
            Set<String> excluded = Arrays.stream(annotations.get("traffic.sidecar.istio.io/excludeInboundPorts")
                    .split(",")).map(String::strip).collect(Collectors.toSet());
            assertEquals(Set.of(String.valueOf(managementPort)), excluded,
                    where + ": only the management port bypasses the sidecar, so STRICT cannot block the scrape");
            assertEquals("true", annotations.get("prometheus.io/scrape"), where);
            assertEquals(String.valueOf(managementPort), annotations.get("prometheus.io/port"), where);
            assertEquals("/q/metrics", annotations.get("prometheus.io/path"), where);

            ServiceAccount sa = Manifests.one(objects, ServiceAccount.class, pod.getServiceAccountName());
            assertEquals(d.getMetadata().getNamespace(), sa.getMetadata().getNamespace(), where);
            assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(),
                    where + ": service links would inject MTLS_PROBE_* variables for a Service named mtls-probe");

            assertEquals(1, c.getEnvFrom().size(), where);
            ConfigMap config = Manifests.one(objects, ConfigMap.class, c.getEnvFrom().get(0).getConfigMapRef().getName());
            assertEquals("auto", config.getData().get("MTLS_PROBE_ROLE"), where + ": the role is detected, not set");
            assertTrue(config.getData().keySet().stream().anyMatch(k -> k.matches("MTLS_PROBE_TARGETS_[A-Z0-9]+_URL")),
                    where + ": at least one target URL in " + config.getData());
        }
    }

    /**
     * Each pod finds its peer by a name the probe derives itself (PeerPlan): the other role's Service on the
     * management port, which selects exactly that role's pod.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/lab", "k8s/overlays/existing"})
    void eachRoleHasTheServiceItsPeerCalls(String dir) throws Exception {
        List<HasMetadata> objects = Kustomize.render(dir);
        int managementPort = Integer.parseInt(applicationProperties().getProperty("quarkus.management.port"));
        for (Role role : Role.values()) {
            Role peer = role == Role.NAKED ? Role.SIDECAR : Role.NAKED;
            Deployment d = Manifests.probe(objects, role.label());
            String ns = d.getMetadata().getNamespace();
            URI url = PeerPlan.of(new PeerSettings(true, Optional.empty(), Duration.ofSeconds(1)), Optional.of(ns),
                    "cluster.local", role, managementPort).url();
            String[] host = url.getHost().split("\\.");
            Service svc = Manifests.one(objects, Service.class, host[0]);
            String where = dir + " " + svc.getMetadata().getName();
            assertEquals(ns, host[1], where);
            assertEquals(ns, svc.getMetadata().getNamespace(), where);
            Map<String, String> selector = svc.getSpec().getSelector();
            assertTrue(Manifests.probe(objects, peer.label()).getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(selector.entrySet()), where + " selects the peer's pod");
            assertFalse(d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                    where + " does not select the pod that calls it");
            ServicePort port = svc.getSpec().getPorts().stream().filter(p -> p.getPort() == url.getPort()).findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": no port " + url.getPort()));
            assertEquals("management", port.getTargetPort().getStrVal(), where + ": the port that bypasses the sidecar");
            assertTrue(d.getSpec().getTemplate().getMetadata().getAnnotations()
                    .get("traffic.sidecar.istio.io/excludeInboundPorts").contains(String.valueOf(managementPort)));
        }
    }

    private static void probe(String where, Probe probe, String path) {
        assertNotNull(probe, where);
        assertEquals(path, probe.getHttpGet().getPath(), where);
        assertEquals("management", probe.getHttpGet().getPort().getStrVal(), where);
    }

    static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Kustomize.ROOT.resolve("src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }
}
