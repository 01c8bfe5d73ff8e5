package dev.mtlsprobe.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Role from a pod object, and Istio ambient capture. */
class PodFactsTest {

    static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("probe").withNamespace("mtls-probe").endMetadata()
                .withNewSpec().addNewContainer().withName("probe").withImage("mtls-probe").endContainer().endSpec();
    }

    @Test
    void statusAnnotationMeansSidecar() {
        Pod p = pod().editMetadata().addToAnnotations("sidecar.istio.io/status", "{}").endMetadata().build();
        assertEquals(Role.SIDECAR, PodFacts.role(p));
        assertEquals(Optional.of("annotation sidecar.istio.io/status"), PodFacts.sidecarEvidence(p));
    }

    @Test
    void istioProxyContainerMeansSidecar() {
        Pod p = pod().editSpec().addNewContainer().withName("istio-proxy").endContainer().endSpec().build();
        assertEquals(Role.SIDECAR, PodFacts.role(p));
        assertEquals(Optional.of("container istio-proxy"), PodFacts.sidecarEvidence(p));
    }

    @Test
    void nativeSidecarIsAnAlwaysRestartingInitContainer() {
        Pod p = pod().editSpec().addNewInitContainer().withName("istio-proxy").withRestartPolicy("Always")
                .endInitContainer().endSpec().build();
        assertEquals(Role.SIDECAR, PodFacts.role(p));
        assertTrue(PodFacts.sidecarEvidence(p).get().startsWith("native sidecar"));
    }

    @Test
    void aPlainInitContainerIsNoSidecar() {
        Pod p = pod().editSpec().addNewInitContainer().withName("istio-proxy").endInitContainer()
                .addNewInitContainer().withName("istio-init").withRestartPolicy("Always").endInitContainer().endSpec()
                .build();
        assertEquals(Role.NAKED, PodFacts.role(p));
    }

    @Test
    void nothingMeansNaked() {
        Pod p = pod().editMetadata().addToLabels("sidecar.istio.io/inject", "false").endMetadata().build();
        assertEquals(Role.NAKED, PodFacts.role(p));
        assertEquals(Map.of("sidecar.istio.io/inject", "false"), PodFacts.apiPod(p).labels());
    }

    @Test
    void ambientNamespaceCapturesAPodWithoutSidecar() {
        Optional<String> c = PodFacts.ambientCapture(Role.NAKED, "mtls-probe",
                Map.of("istio.io/dataplane-mode", "ambient"), Map.of());
        assertTrue(c.isPresent());
        assertTrue(c.get().contains("istio.io/dataplane-mode=none"), c.get());
        RoleState naked = new RoleState(Role.NAKED, "pod-spec", Role.NAKED, "label", "");
        RoleState s = PodFacts.withAmbient(naked, c);
        assertTrue(s.mismatch());
        assertEquals(Role.NAKED, s.role());
        assertTrue(s.describe().contains("ambient") && s.describe().contains("istio.io/dataplane-mode=none"),
                s.describe());
    }

    @Test
    void ambientLeavesOptedOutPodsSidecarsAndOtherNamespacesAlone() {
        Map<String, String> ambient = Map.of("istio.io/dataplane-mode", "ambient");
        assertFalse(PodFacts.ambientCapture(Role.NAKED, "ns", ambient, Map.of("istio.io/dataplane-mode", "none"))
                .isPresent());
        assertFalse(PodFacts.ambientCapture(Role.SIDECAR, "ns", ambient, Map.of()).isPresent());
        assertFalse(PodFacts.ambientCapture(Role.NAKED, "ns", Map.of("istio-injection", "enabled"), Map.of())
                .isPresent());
        RoleState sidecarIntended = new RoleState(Role.NAKED, "pod-spec", Role.SIDECAR, "label", "no sidecar");
        assertEquals(sidecarIntended, PodFacts.withAmbient(sidecarIntended, Optional.of("captured")));
    }
}
