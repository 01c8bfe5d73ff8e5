package dev.mtlsprobe.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.RoleSetting;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.role.RoleDetector;
import dev.mtlsprobe.testsupport.Targets;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The role read from the own pod as the API serves it (no downward-API files), and ambient capture read from
 * the own namespace; each test in a fresh namespace.
 */
@EnableKubernetesMockClient(crud = true)
class RoleFromApiTest {

    private static final AtomicInteger NS = new AtomicInteger();

    static KubernetesClient client;
    String ns;

    @BeforeEach
    void namespace() {
        ns = "role-" + NS.incrementAndGet();
        new Lab(client).namespace(ns, Map.of("istio-injection", "enabled"));
    }

    PodBuilder probe(String inject) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("probe").withNamespace(ns).addToLabels("app",
                "mtls-probe").endMetadata().withNewSpec().addNewContainer().withName("mtls-probe").withImage("p")
                .endContainer().endSpec();
        return inject == null ? b : b.editMetadata().addToLabels("sidecar.istio.io/inject", inject).endMetadata();
    }

    RoleState detect(PodBuilder pod, RoleSetting configured) {
        new Lab(client).pod(pod.build());
        ProbeSettings settings = new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), configured,
                List.of(Targets.local("t", 80)), Path.of("/nonexistent/annotations"), Path.of("/nonexistent/labels"),
                java.net.URI.create("http://127.0.0.1:15021/healthz/ready"));
        return RoleDetector.detect(settings,
                () -> Optional.of(PodFacts.apiPod(client.pods().inNamespace(ns).withName("probe").get())));
    }

    @Test
    void annotation() {
        RoleState s = detect(probe(null).editMetadata().addToAnnotations("sidecar.istio.io/status", "{\"containers\":"
                + "[\"istio-proxy\"]}").endMetadata(), RoleSetting.AUTO);
        assertEquals(Role.SIDECAR, s.role());
        assertEquals("pod-spec", s.source());
        assertFalse(s.mismatch(), s.describe());
    }

    @Test
    void container() {
        RoleState s = detect(probe("true").editSpec().addNewContainer().withName("istio-proxy").withImage("proxyv2")
                .endContainer().endSpec(), RoleSetting.AUTO);
        assertEquals(Role.SIDECAR, s.role());
        assertEquals(Role.SIDECAR, s.intended());
        assertFalse(s.mismatch(), s.describe());
    }

    @Test
    void nativeSidecar() {
        RoleState s = detect(probe(null).editSpec().addNewInitContainer().withName("istio-proxy").withImage("proxyv2")
                .withRestartPolicy("Always").endInitContainer().endSpec(), RoleSetting.AUTO);
        assertEquals(Role.SIDECAR, s.role());
    }

    @Test
    void none() {
        RoleState s = detect(probe("false"), RoleSetting.AUTO);
        assertEquals(Role.NAKED, s.role());
        assertEquals(Role.NAKED, s.intended());
        assertEquals("label", s.intendedSource(), "intent from the pod's label, read from the API");
        assertFalse(s.mismatch(), s.describe());
    }

    @Test
    void mismatchNakedIntentButInjected() {
        RoleState s = detect(probe("false").editSpec().addNewContainer().withName("istio-proxy").withImage("proxyv2")
                .endContainer().endSpec(), RoleSetting.AUTO);
        assertEquals(Role.SIDECAR, s.role());
        assertEquals(Role.NAKED, s.intended());
        assertTrue(s.mismatch());
        assertTrue(s.describe().contains("sidecar.istio.io/inject=\"false\""), s.describe());
    }

    @Test
    void ambient() {
        new Lab(client).namespace(ns, Map.of("istio.io/dataplane-mode", "ambient"));
        RoleState base = detect(probe("false"), RoleSetting.AUTO);
        try (ClusterWatches view = new ClusterWatches(client, new ApiHealth(), () -> { })) {
            view.start(List.of(ns), List.of());
            Pod[] own = {view.check(ns, Optional.of("probe"), List.of()).orElseThrow()};
            await().atMost(Duration.ofSeconds(10)).until(() -> view.namespace(ns).synced());
            Supplier<Optional<String>> capture = () -> PodFacts.ambientCapture(base.role(), ns,
                    view.namespace(ns).value(), own[0].getMetadata().getLabels());
            RoleState captured = PodFacts.withAmbient(base, capture.get());
            assertEquals(Role.NAKED, captured.role());
            assertTrue(captured.mismatch(), captured.describe());
            assertTrue(captured.describe().contains("label the pod istio.io/dataplane-mode=none"), captured.describe());

            client.pods().inNamespace(ns).withName("probe").edit(p -> new PodBuilder(p).editMetadata()
                    .addToLabels("istio.io/dataplane-mode", "none").endMetadata().build());
            own[0] = view.check(ns, Optional.of("probe"), List.of()).orElseThrow(); // re-read each check
            Pod optedOut = own[0];
            assertEquals("none", optedOut.getMetadata().getLabels().get("istio.io/dataplane-mode"));
            assertFalse(PodFacts.withAmbient(base, capture.get()).mismatch());
        }
    }
}
