package dev.mtlsprobe.sweep;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlsprobe.kube.Lab;
import dev.mtlsprobe.kube.Policies;
import dev.mtlsprobe.testsupport.Browser;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.ProbeJar;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The packaged jar with a sweep configured, as a pair runs it (one configuration, both roles), against a mock API
 * holding a STRICT namespace and two loopback servers: the naked probe finds the port without a sidecar that
 * answers plaintext, names it in {@code /api/coverage} (ETag, 304), in the metrics per service port only, and in
 * its log with the pod; the sidecar probe does not sweep and says why.
 */
class CoverageIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theNakedProbeReportsAPortWithoutASidecarAsAFinding() throws Exception {
        KubernetesServer api = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        api.before();
        Path dir = Files.createTempDirectory("coverage-it");
        try (LocalServer reset = new LocalServer(LocalServer.reset());
                LocalServer legacy = new LocalServer(LocalServer.respond(200, "text/plain", "hello"))) {
            new Lab(api.getClient()).peerAuthenticationApi("v1").namespace("shop", Map.of("istio-injection", "enabled"))
                    .namespace("istio-system", Map.of())
                    .peerAuthentication(Policies.resource("v1", "shop", "default", null, null, "STRICT", null));
            Workloads.create(api.getClient(), "shop", "orders", "http", 80, reset.port(), true, "{}");
            Workloads.create(api.getClient(), "shop", "legacy", "http", 80, legacy.port(), false, "{}");
            Map<String, String> pair = new HashMap<>(Map.of("KUBERNETES_MASTER", api.getClient().getConfiguration()
                    .getMasterUrl(), "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
                    "false", "POD_NAMESPACE", "shop", "MTLS_PROBE_SWEEP_NAMESPACES", "shop",
                    "MTLS_PROBE_SWEEP_INTERVAL", "10s", "MTLS_PROBE_SWEEP_RATE", "20"));
            try (ProbeJar naked = ProbeJar.launch().outsideAPod("naked", "http://127.0.0.1:" + reset.port() + "/",
                    "http://127.0.0.1:1/", dir).env(pair).startReady(Duration.ofSeconds(30));
                    ProbeJar sidecar = ProbeJar.launch().outsideAPod("sidecar", "http://127.0.0.1:" + reset.port() + "/",
                            "http://127.0.0.1:1/", dir).env(pair).startReady(Duration.ofSeconds(30))) {
                JsonNode[] view = new JsonNode[1];
                await().atMost(Duration.ofSeconds(40)).until(() -> {
                    view[0] = json(coverage(naked, null).body());
                    return view[0] != null && view[0].path("counts").path("enforced").asInt() == 1
                            && view[0].path("counts").path("finding").asInt() == 1;
                });
                JsonNode first = view[0].path("ports").get(0);
                assertEquals("legacy", first.path("service").asText(), "findings first");
                assertEquals("finding", first.path("state").asText());
                assertEquals("legacy-1", first.path("endpoints").get(0).path("pod").asText());
                assertTrue(first.path("why").asText().contains("no sidecar"), first.toString());

                HttpResponse<String> full = coverage(naked, null);
                String etag = full.headers().firstValue("ETag").orElseThrow();
                assertEquals(304, coverage(naked, etag).statusCode(), "unchanged: 304");

                String metrics = naked.get("/q/metrics").body();
                assertTrue(metrics.contains("mtls_probe_sweep_port_state{port=\"80\",service=\"legacy\","
                        + "state=\"finding\",target_namespace=\"shop\"} 1.0"), metrics);
                assertTrue(metrics.contains("mtls_probe_sweep_port_state{port=\"80\",service=\"orders\","
                        + "state=\"enforced\",target_namespace=\"shop\"} 1.0"), metrics);
                assertFalse(metrics.contains("legacy-1") || metrics.contains("127.0.0.1"),
                        "no pod name, no address in a metric");
                assertTrue(naked.logTail().contains("coverage: port shop/legacy:80 accepts plaintext"),
                        naked.logTail());

                page(naked);

                JsonNode off = json(coverage(sidecar, null).body());
                assertFalse(off.path("running").asBoolean());
                assertTrue(off.path("reason").asText().contains("only the naked role can"), off.toString());
                assertFalse(sidecar.get("/q/metrics").body().contains("mtls_probe_sweep_"),
                        "no sweep series where no sweep runs");
            }
        } finally {
            api.after();
        }
    }

    /** The page's coverage view in a real browser: the finding first, with why and what was observed. */
    static void page(ProbeJar naked) throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            driver.get("http://127.0.0.1:" + naked.httpPort + "/");
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElement(By.id("coverage-summary"))
                    .getText().startsWith("1 of 2 service port(s) expected STRICT accept plaintext"));
            List<WebElement> rows = driver.findElements(By.cssSelector("#coverage tbody tr"));
            assertEquals(List.of("finding", "enforced"), rows.stream().map(r -> r.getAttribute("data-state")).toList());
            String finding = rows.get(0).getText();
            assertTrue(finding.contains("legacy") && finding.contains("no sidecar") && finding.contains("legacy-1")
                    && finding.contains("accepted"), finding);
            Browser.screenshot(driver, "coverage-finding");
        } finally {
            driver.quit();
        }
    }

    static HttpResponse<String> coverage(ProbeJar probe, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probe.httpPort
                + "/api/coverage")).timeout(Duration.ofSeconds(5));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }
}
