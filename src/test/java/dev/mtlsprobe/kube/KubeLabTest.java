package dev.mtlsprobe.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The lab against the mock API server: a naked probe pod (no downward-API files, so its role comes from its
 * pod spec) probing httpbin in team-app, where a namespace-wide PeerAuthentication is STRICT.
 *
 * <p>The target host is the Service's full name under a cluster domain in {@code .invalid}: the probe's resolver
 * answers such names itself (RFC 6761), so no DNS query leaves the machine, while the Service lookup reads the
 * same name a real cluster would.
 */
@QuarkusTest
@WithKubernetesTestServer(setup = KubeLabTest.Seed.class)
@TestProfile(KubeLabTest.Profile.class)
class KubeLabTest {

    public static class Seed implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            Lab.seedTeamApp(server.getClient());
            new Lab(server.getClient()).namespace("mtls-probe", Map.of("istio-injection", "enabled"))
                    .pod(new PodBuilder().withNewMetadata().withName("mtls-probe-naked-0").withNamespace("mtls-probe")
                            .withLabels(Map.of("app", "mtls-probe", "sidecar.istio.io/inject", "false")).endMetadata()
                            .withNewSpec().addNewContainer().withName("mtls-probe").withImage("mtls-probe")
                            .endContainer().endSpec().build());
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return KubeTestConfig.kube("mtls-probe", "mtls-probe-naked-0", Map.of(
                    "mtls-probe.targets.httpbin.url", "http://httpbin-svc.team-app.svc.lab.invalid:8000/headers"));
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void nakedProbeSeesTheStrictPolicyOfTheLab() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get(metrics).then().statusCode(200)
                .body(containsString("mtls_probe_peer_authentication_mode{mode=\"STRICT\",target=\"httpbin\","
                        + "target_namespace=\"team-app\"} 1.0"),
                        containsString("mtls_probe_peer_authentication_mode{mode=\"PERMISSIVE\",target=\"httpbin\","
                                + "target_namespace=\"team-app\"} 0.0"),
                        containsString("mtls_probe_peer_authentication_mode{mode=\"DISABLE\",target=\"httpbin\","
                                + "target_namespace=\"team-app\"} 0.0"),
                        containsString("mtls_probe_namespace_injection_enabled{target_namespace=\"team-app\"} 1.0"),
                        containsString("mtls_probe_kube_api_up 1.0"),
                        containsString("mtls_probe_role_info{role=\"naked\",source=\"pod-spec\"} 1.0"),
                        containsString("mtls_probe_role_mismatch 0.0")));
        given().get("/api/status").then().statusCode(200).body("role", equalTo("naked"),
                "roleSource", equalTo("pod-spec"), "roleMismatch", equalTo(false),
                "kubernetes.enabled", equalTo(true), "kubernetes.apiUp", equalTo(1),
                "kubernetes.pod", equalTo("mtls-probe/mtls-probe-naked-0"),
                "kubernetes.peerAuthenticationApi", equalTo("security.istio.io/v1"),
                "kubernetes.targets[0].target", equalTo("httpbin"),
                "kubernetes.targets[0].service", equalTo("team-app/httpbin-svc"),
                "kubernetes.targets[0].targetNamespace", equalTo("team-app"),
                "kubernetes.targets[0].mode", equalTo("STRICT"),
                "kubernetes.targets[0].policy", equalTo("team-app/mutual-tls-auth"),
                "kubernetes.targets[0].scope", equalTo("namespace"),
                "kubernetes.targets[0].containerPorts[0]", equalTo(8080),
                "kubernetes.targets[0].injectionEnabled", equalTo(true),
                "kubernetes.targets[0].reason", containsString("STRICT from namespace policy team-app/mutual-tls-auth"));
    }

    @TestHTTPResource("/")
    URL page;

    @Test
    void thePageShowsTheEffectivePolicyPerTarget() throws Exception {
        org.openqa.selenium.chrome.ChromeDriver driver = dev.mtlsprobe.testsupport.Browser.start();
        try {
            driver.get(page.toString());
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d
                    .findElement(org.openqa.selenium.By.cssSelector("#target-httpbin .target-policy")).getText()
                    .equals("PeerAuthentication STRICT from team-app/mutual-tls-auth (namespace) \u00b7 injection on"));
            String kube = driver.findElement(org.openqa.selenium.By.id("kube")).getText();
            org.junit.jupiter.api.Assertions.assertTrue(kube.startsWith("Kubernetes API reachable \u00b7 pod "
                    + "mtls-probe/mtls-probe-naked-0"), kube);
        } finally {
            driver.quit();
        }
    }

    @Test
    void followsPolicyChangesThroughTheWatches() {
        var pas = server.getClient().genericKubernetesResources(Lab.context("v1")).inNamespace("team-app");
        pas.resource(Policies.resource("v1", "team-app", "httpbin-port-permissive", null, "app: httpbin", null,
                "8080: PERMISSIVE")).create();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(metrics).then()
                    .body(containsString("mtls_probe_peer_authentication_mode{mode=\"PERMISSIVE\",target=\"httpbin\","
                            + "target_namespace=\"team-app\"} 1.0")));
            given().get("/api/status").then().body("kubernetes.targets[0].policy",
                    equalTo("team-app/httpbin-port-permissive"), "kubernetes.targets[0].scope", equalTo("workload-port"));
        } finally {
            pas.withName("httpbin-port-permissive").delete();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(metrics).then()
                .body(containsString("mtls_probe_peer_authentication_mode{mode=\"STRICT\",target=\"httpbin\","
                        + "target_namespace=\"team-app\"} 1.0")));
    }

    @Test
    void ambientNamespaceMakesTheNakedProbeAMismatchUntilThePodOptsOut() {
        var ns = server.getClient().namespaces().withName("mtls-probe");
        var pod = server.getClient().pods().inNamespace("mtls-probe").withName("mtls-probe-naked-0");
        ns.edit(n -> new io.fabric8.kubernetes.api.model.NamespaceBuilder(n).editMetadata()
                .addToLabels("istio.io/dataplane-mode", "ambient").endMetadata().build());
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(metrics).then()
                    .body(containsString("mtls_probe_role_mismatch 1.0"),
                            containsString("mtls_probe_role_info{role=\"naked\",source=\"pod-spec\"} 1.0")));
            given().get("/api/status").then().body("roleMismatch", equalTo(true),
                    "roleReason", containsString("label the pod istio.io/dataplane-mode=none"),
                    "kubernetes.ambientNotes[0]", containsString("istio.io/dataplane-mode=ambient"));
            pod.edit(p -> new PodBuilder(p).editMetadata().addToLabels("istio.io/dataplane-mode", "none").endMetadata()
                    .build());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(metrics).then()
                    .body(containsString("mtls_probe_role_mismatch 0.0")));
            given().get("/api/status").then().body("roleMismatch", equalTo(false),
                    "kubernetes.ambientNotes[0]", containsString("opts out"));
        } finally {
            ns.edit(n -> new io.fabric8.kubernetes.api.model.NamespaceBuilder(n).editMetadata()
                    .removeFromLabels("istio.io/dataplane-mode").endMetadata().build());
            pod.edit(p -> new PodBuilder(p).editMetadata().removeFromLabels("istio.io/dataplane-mode").endMetadata()
                    .build());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/status").then()
                .body("kubernetes.ambientNotes", org.hamcrest.Matchers.empty(), "roleMismatch", equalTo(false)));
        given().get(metrics).then().body(not(containsString("mtls_probe_role_mismatch 1.0")));
    }
}
