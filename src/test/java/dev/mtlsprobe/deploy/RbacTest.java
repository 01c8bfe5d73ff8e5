package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one RBAC table (docs/kubernetes.md) is exactly what the manifests grant, and the names the grants are
 * narrowed to are the probe's own namespace and its targets' Services.
 */
class RbacTest {

    static final String TABLE_HEADER = "| where | API group | resource | verbs | names | why |";

    @ParameterizedTest
    @CsvSource({"k8s/overlays/lab, team-app", "k8s/overlays/existing, my-namespace"})
    void theDocumentedTableIsWhatTheManifestsGrant(String overlay, String namespace) throws Exception {
        List<HasMetadata> objects = Kustomize.render(overlay);
        List<String> granted = Rbac.grants(objects, namespace, "mtls-probe");
        assertEquals(documented(namespace, targetServices(objects), sweeps(objects)), granted,
                "docs/kubernetes.md's RBAC table and " + overlay + " disagree");
    }

    /**
     * The coverage sweep (the lab has it, existing does not) lists every Service and EndpointSlice of the probe's
     * namespace, and nothing outside it; the sweep is configured for that namespace in both pods alike.
     */
    @ParameterizedTest
    @CsvSource({"k8s/overlays/lab, team-app, true", "k8s/overlays/existing, my-namespace, false"})
    void theSweepReadsServicesAndEndpointSlicesOfItsNamespaceOnly(String overlay, String namespace, boolean sweep)
            throws Exception {
        List<HasMetadata> objects = Kustomize.render(overlay);
        assertEquals(sweep, sweeps(objects), overlay);
        List<String> granted = Rbac.grants(objects, namespace, "mtls-probe");
        assertEquals(sweep, granted.contains(namespace + " discovery.k8s.io/endpointslices list")
                && granted.contains(namespace + " discovery.k8s.io/endpointslices watch")
                && granted.contains(namespace + " /services list") && granted.contains(namespace + " /services watch"),
                overlay + ": " + granted);
        assertTrue(granted.stream().noneMatch(g -> g.contains("endpointslices") && !g.startsWith(namespace + " ")),
                overlay + ": EndpointSlices only in the probe's namespace: " + granted);
        assertTrue(granted.stream().noneMatch(g -> g.startsWith("* ") && !g.contains("/namespaces ")),
                overlay + ": nothing cluster-wide but the namespaces by name: " + granted);
        for (String role : List.of("sidecar", "naked")) {
            var env = Manifests.probe(objects, role).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            assertEquals(sweep, env.stream().anyMatch(e -> e.getName().equals("MTLS_PROBE_SWEEP_NAMESPACES")
                    && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())), overlay + " " + role);
        }
    }

    static boolean sweeps(List<HasMetadata> objects) {
        return Manifests.ofType(objects, io.fabric8.kubernetes.api.model.rbac.Role.class).stream()
                .anyMatch(r -> r.getMetadata().getName().equals("mtls-probe-sweep"));
    }

    /** Services are watched by name: the grant names each target's Service (a bare host in the probe's namespace). */
    @ParameterizedTest
    @CsvSource({"k8s/overlays/lab, team-app", "k8s/overlays/existing, my-namespace"})
    void servicesAndNamespacesAreNarrowedToTheTargets(String overlay, String namespace) throws Exception {
        List<HasMetadata> objects = Kustomize.render(overlay);
        Set<String> services = targetServices(objects);
        assertFalse(services.isEmpty(), overlay + ": no target");
        List<String> granted = Rbac.grants(objects, namespace, "mtls-probe");
        for (String verb : List.of("list", "watch")) {
            assertTrue(granted.contains(namespace + " /services " + verb + " " + services), overlay + ": " + granted);
            assertTrue(granted.contains("* /namespaces " + verb + " [" + namespace + "]"), overlay + ": " + granted);
        }
        assertTrue(granted.stream().noneMatch(g -> g.contains("/services get") || g.contains("/namespaces get")
                || g.contains("peerauthentications get")), overlay + ": only what the informers need: " + granted);
    }

    /**
     * The table's rows as Rbac.grants lines, for a probe in {@code namespace} with these target Services; the
     * sweep's rows only when the installation has the sweep.
     */
    static List<String> documented(String namespace, Set<String> services, boolean sweep) throws Exception {
        List<String> lines = Files.readAllLines(Kustomize.ROOT.resolve("docs/kubernetes.md"));
        int header = lines.indexOf(TABLE_HEADER);
        assertTrue(header >= 0, "docs/kubernetes.md has no RBAC table with the header " + TABLE_HEADER);
        assertEquals(1, lines.stream().filter(TABLE_HEADER::equals).count(), "one RBAC table, not several");
        TreeSet<String> out = new TreeSet<>();
        for (String row : lines.subList(header + 2, lines.size())) {
            if (!row.startsWith("|")) {
                break;
            }
            String[] cells = row.split("\\|");
            if (cells[1].strip().equals("probe namespace, with the sweep") && !sweep) {
                continue;
            }
            String where = switch (cells[1].strip()) {
                case "probe namespace", "probe namespace, with the sweep" -> namespace;
                case "cluster" -> "*";
                default -> cells[1].strip().replace("`", "");
            };
            String group = cells[2].strip().replaceFirst("^`\"\"` \\(core\\)$", "").replace("`", "");
            String resource = cells[3].strip().replace("`", "");
            String names = switch (cells[5].strip()) {
                case "any" -> "";
                case "the target Services" -> " " + services;
                case "the probe namespace" -> " [" + namespace + "]";
                default -> throw new AssertionError("unknown names cell: " + cells[5]);
            };
            for (String verb : cells[4].split(",")) {
                out.add(where + " " + group + "/" + resource + " " + verb.strip() + names);
            }
        }
        return new ArrayList<>(out);
    }

    /** The Service names of the targets the probes are configured with (MTLS_PROBE_TARGETS_*_URL). */
    static Set<String> targetServices(List<HasMetadata> objects) {
        Deployment probe = Manifests.probe(objects, "naked");
        String config = probe.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                .getConfigMapRef().getName();
        Set<String> services = new TreeSet<>();
        Manifests.configMapData(objects, config).forEach((k, v) -> {
            if (k.startsWith("MTLS_PROBE_TARGETS_") && k.endsWith("_URL")) {
                services.add(URI.create(v).getHost().split("\\.")[0]);
            }
        });
        return services;
    }
}
