package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check overlay (k8s/overlays/check): two Jobs from one pod template, identical but for the role, each run
 * once and ended, in a pod that meets Pod Security restricted and holds no credential for the Kubernetes API.
 */
class CheckJobsTest {

    static final String DIR = "k8s/overlays/check";
    static List<HasMetadata> objects;

    @BeforeAll
    static void render() throws Exception {
        objects = Kustomize.render(DIR);
    }

    static Job job(String role) {
        return Manifests.one(objects, Job.class, "mtls-probe-check-" + role);
    }

    @Test
    void twoJobsFromOneTemplateThatDifferOnlyByTheRole() {
        assertEquals(2, Manifests.ofType(objects, Job.class).size());
        Job sidecar = job("sidecar");
        Job naked = job("naked");
        assertEquals("false", naked.getSpec().getTemplate().getMetadata().getLabels().get(Manifests.INJECT_LABEL),
                "the naked pod opts out of injection");
        assertEquals("true", sidecar.getSpec().getTemplate().getMetadata().getLabels().get(Manifests.INJECT_LABEL),
                "the sidecar pod asks for one, and states the intent its check compares with what it got");
        List<String> diff = new ArrayList<>();
        Manifests.differences(withoutRole(sidecar), withoutRole(naked), "", diff);
        assertEquals(List.of(), diff, "the Jobs may differ only by the role (name, component and intent labels)");
    }

    @Test
    void bothOptOutOfAmbientCaptureAndAskForANativeSidecar() {
        for (String role : List.of("sidecar", "naked")) {
            var template = job(role).getSpec().getTemplate().getMetadata();
            assertEquals("none", template.getLabels().get("istio.io/dataplane-mode"), role);
            assertEquals("true", template.getAnnotations().get("sidecar.istio.io/nativeSidecar"),
                    role + ": the proxy stops when the check has exited, so the Job completes");
        }
    }

    @Test
    void eachJobRunsTheCheckOnceAndEnds() {
        for (String role : List.of("sidecar", "naked")) {
            Job j = job(role);
            assertEquals(0, j.getSpec().getBackoffLimit(), role + ": a failed check is an answer, never retried");
            assertNotNull(j.getSpec().getTtlSecondsAfterFinished(), role + ": finished Jobs are cleaned up");
            assertTrue(j.getSpec().getTtlSecondsAfterFinished() >= 600, role + ": and stay long enough to be read");
            assertNotNull(j.getSpec().getActiveDeadlineSeconds(), role + ": a pod that cannot end fails the Job");
            PodSpec pod = j.getSpec().getTemplate().getSpec();
            assertEquals("Never", pod.getRestartPolicy(), role);
            assertEquals(1, pod.getContainers().size(), role);
            Container c = pod.getContainers().get(0);
            assertEquals("check", c.getArgs().get(0), role + ": " + c.getArgs());
            assertEquals("FallbackToLogsOnError", c.getTerminationMessagePolicy(), role);
            assertTrue(c.getPorts() == null || c.getPorts().isEmpty(), role + ": the check listens on nothing");
            Manifests.downwardApiFiles(DIR + " " + role, pod.getVolumes(), c.getVolumeMounts());
        }
    }

    @Test
    void restrictedPodSecurityAndNoKubernetesCredential() {
        for (String role : List.of("sidecar", "naked")) {
            Job j = job(role);
            RenderedManifestsTest.restricted("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate());
            PodSpec pod = j.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), role);
            assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(), role);
            ServiceAccount sa = Manifests.one(objects, ServiceAccount.class, pod.getServiceAccountName());
            assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());
        }
        assertEquals(List.of(), Manifests.ofType(objects, RoleBinding.class), "nothing to grant");
        assertEquals(List.of(), Manifests.ofType(objects, ClusterRoleBinding.class), "nothing to grant");
    }

    @Test
    void theConfigurationIsTheServicesKeys() {
        Container c = job("naked").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(1, c.getEnvFrom().size());
        ConfigMap config = Manifests.one(objects, ConfigMap.class, c.getEnvFrom().get(0).getConfigMapRef().getName());
        Map<String, String> data = config.getData();
        assertEquals("auto", data.get("MTLS_PROBE_ROLE"), "the role is detected, not set");
        assertEquals("http://httpbin-svc:8080/headers", data.get("MTLS_PROBE_TARGETS_HTTPBIN_URL"), "the lab's httpbin");
        assertFalse(data.keySet().stream().anyMatch(k -> !k.startsWith("MTLS_PROBE_")), data.toString());
        for (String role : List.of("sidecar", "naked")) {
            assertEquals("team-app", job(role).getMetadata().getNamespace(), "next to the lab's httpbin");
        }
    }

    /** The Job as JSON minus its name and the role: component label (everywhere) and intent label (template). */
    private static JsonNode withoutRole(Job j) {
        ObjectNode tree = Manifests.tree(j);
        ((ObjectNode) tree.get("metadata")).remove("name");
        for (String path : List.of("/metadata/labels", "/spec/template/metadata/labels")) {
            ((ObjectNode) tree.at(path)).remove(Manifests.COMPONENT_LABEL);
        }
        ((ObjectNode) tree.at("/spec/template/metadata/labels")).remove(Manifests.INJECT_LABEL);
        return tree;
    }
}
