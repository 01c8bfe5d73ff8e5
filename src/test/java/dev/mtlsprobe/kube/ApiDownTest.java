package dev.mtlsprobe.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.LogCapture;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away and comes back: probing never stops, {@code mtls_probe_kube_api_up} goes to 0 and
 * back to 1, and each transition is logged once, not once per retry.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiDownTest.Cluster.class, restrictToAnnotatedClass = true)
class ApiDownTest {

    /** A crud mock API server behind a {@link ToggleProxy}, and a STRICT-like target (it resets connections). */
    public static class Cluster implements QuarkusTestResourceLifecycleManager {
        static volatile ToggleProxy proxy;
        private KubernetesServer server;
        private LocalServer target;

        @Override
        public Map<String, String> start() {
            // as the Quarkus mock server resource does: the client reads only what the test gives it
            System.setProperty("kubernetes.auth.tryKubeConfig", "false");
            System.setProperty("kubernetes.auth.tryServiceAccount", "false");
            server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
            server.before();
            new Lab(server.getClient()).namespace("mtls-probe", Map.of()).pod(new PodBuilder().withNewMetadata()
                    .withName("probe-0").withNamespace("mtls-probe").addToLabels("sidecar.istio.io/inject", "false")
                    .endMetadata().withNewSpec().addNewContainer().withName("mtls-probe").withImage("p").endContainer()
                    .endSpec().build());
            try {
                proxy = new ToggleProxy(URI(server.getClient().getConfiguration().getMasterUrl()).getPort());
                target = new LocalServer(LocalServer.reset());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> c = new java.util.HashMap<>(KubeTestConfig.kube("mtls-probe", "probe-0", Map.of(
                    "mtls-probe.targets.guarded.url", target.url("/headers"),
                    "mtls-probe.interval", "200ms", "mtls-probe.timeout", "100ms")));
            // the client's own settings, read at runtime (the quarkus.kubernetes-client.* keys are fixed at build)
            System.setProperty("kubernetes.master", proxy.url());
            System.setProperty("kubernetes.watch.reconnectInterval", "200");
            return c;
        }

        private static java.net.URI URI(String url) {
            return java.net.URI.create(url);
        }

        @Override
        public void stop() {
            try {
                proxy.close();
                target.close();
            } catch (IOException ignored) {
                // the test is over
            }
            server.after();
            System.clearProperty("kubernetes.master");
            System.clearProperty("kubernetes.watch.reconnectInterval");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    static final Pattern ATTEMPTS = Pattern.compile(
            "mtls_probe_attempts_total\\{outcome=\"reset\",role=\"naked\",target=\"guarded\"} ([0-9.E]+)");

    double attempts() {
        Matcher m = ATTEMPTS.matcher(given().get(metrics).asString());
        assertTrue(m.find());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void probingGoesOnWhileTheApiIsDownAndTheApiComesBack() throws Exception {
        LogCapture log = new LogCapture();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get(metrics).then()
                    .body(containsString("mtls_probe_kube_api_up 1.0")));

            Cluster.proxy.down();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get(metrics).then()
                    .body(containsString("mtls_probe_kube_api_up 0.0")));
            double before = attempts();
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts() >= before + 5); // still probing
            given().get("/api/status").then().body("kubernetes.apiUp", equalTo(0),
                    "kubernetes.problems", hasItem(containsString("Kubernetes API unreachable")),
                    "targets.find { it.target == 'guarded' }.latest.outcome", equalTo("reset"));

            Cluster.proxy.up();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(metrics).then()
                    .body(containsString("mtls_probe_kube_api_up 1.0")));
            given().get("/api/status").then().body("kubernetes.apiUp", equalTo(1), "kubernetes.problems.size()",
                    equalTo(0));
        } finally {
            log.close();
        }
        List<String> lines = log.lines();
        assertEquals(1, lines.stream().filter(l -> l.contains("Kubernetes API unreachable")).count(), lines::toString);
        assertEquals(1, lines.stream().filter(l -> l.contains("Kubernetes API reachable again")).count(),
                lines::toString);
        assertTrue(lines.stream().filter(l -> l.startsWith("WARNING") || l.startsWith("WARN"))
                .allMatch(l -> l.contains("Kubernetes API unreachable") || l.contains("target ")), lines::toString);
    }
}
