package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probing an existing service takes edits to one file: namespace, target URL and Service, optional SPIFFE IDs. */
class ExistingOverlayTest {

    private static final String FILE = "k8s/overlays/existing/kustomization.yaml";

    @Test
    void editingTheOneFileMovesEverythingAndRetargetsBothProbes(@TempDir Path copy) throws Exception {
        copyTree(Kustomize.ROOT.resolve("k8s"), copy.resolve("k8s"));
        copyTree(Kustomize.ROOT.resolve("grafana"), copy.resolve("grafana"));
        Path file = copy.resolve(FILE);
        String original = Files.readString(file);
        // What the file's comments tell the user to do.
        String edited = original.replace("my-namespace", "payments")
                .replace("http://my-service:8080/headers", "http://ledger:8080/headers")
                .replace("value: [my-service]", "value: [ledger]")
                .replace("# - MTLS_PROBE_TARGETS_APP_EXPECTED_", "- MTLS_PROBE_TARGETS_APP_EXPECTED_");
        assertNotEquals(original, edited);
        Files.writeString(file, edited);

        List<HasMetadata> objects = Kustomize.render(file.getParent());
        assertTrue(Manifests.ofType(objects, Namespace.class).isEmpty(), "an existing namespace is not re-created");
        for (HasMetadata o : objects) {
            String id = o.getKind() + "/" + o.getMetadata().getName();
            String ns = o.getMetadata().getNamespace();
            if (o.getKind().startsWith("Cluster")) {
                assertEquals("mtls-probe:payments", o.getMetadata().getName(), id);
            } else if ("istio-system".equals(ns)) {
                assertEquals("mtls-probe:payments", o.getMetadata().getName(), id);
            } else {
                assertEquals("payments", ns, id);
            }
        }
        assertFalse(Rbac.grants(objects, "payments", "mtls-probe").isEmpty(), "the bindings follow the namespace");
        assertTrue(Rbac.grants(objects, "payments", "mtls-probe").containsAll(List.of(
                "payments /services watch [ledger]", "* /namespaces watch [payments]")),
                "the probe may watch the edited Service and namespace: " + Rbac.grants(objects, "payments", "mtls-probe"));
        assertEquals(Rbac.grants(objects, "payments", "mtls-probe").size(),
                Rbac.grants(Kustomize.render("k8s/overlays/lab"), "team-app", "mtls-probe").stream()
                        .filter(g -> !g.contains("endpointslices") && !g.matches(".* /services (list|watch)"))
                        .count(), "same grants as the lab, but for the lab's coverage sweep");

        for (String component : List.of("sidecar", "naked")) {
            Deployment probe = Manifests.probe(objects, component);
            String config = probe.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                    .getConfigMapRef().getName();
            Map<String, String> data = Manifests.configMapData(objects, config);
            assertEquals("http://ledger:8080/headers", data.get("MTLS_PROBE_TARGETS_APP_URL"));
            assertEquals("spiffe://cluster.local/ns/payments/sa/my-service", data.get("MTLS_PROBE_TARGETS_APP_EXPECTED_SERVER_ID"));
            assertEquals("spiffe://cluster.local/ns/payments/sa/mtls-probe", data.get("MTLS_PROBE_TARGETS_APP_EXPECTED_CLIENT_ID"));
            assertEquals("auto", data.get("MTLS_PROBE_ROLE"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
