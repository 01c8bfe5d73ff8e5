package dev.mtlsprobe.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.ProbeJar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as the naked probe pod of the lab, configured the way the manifests configure it: the target
 * is the bare Service name {@code http://httpbin-svc:PORT/headers}, the pod is known only by POD_NAME and
 * POD_NAMESPACE, and the API server is the mock seeded with the lab.
 *
 * <p>The jar's JVM resolves names from a hosts file of the test ({@code jdk.net.hosts.file}) in which
 * {@code httpbin-svc} is 127.0.0.1, so the probe really connects to a local STRICT-like server and no DNS query
 * leaves the machine.
 */
class KubeLabIT {

    @Test
    void nakedProbeInTheLabReportsTheStrictPolicyAndPasses() throws Exception {
        KubernetesServer api = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        api.before();
        Path hosts = Files.createTempFile("mtls-probe-hosts", "");
        try (LocalServer httpbin = new LocalServer(LocalServer.reset())) {
            var client = api.getClient();
            new Lab(client).peerAuthenticationApi("v1")
                    .namespace("team-app", Map.of("istio-injection", "enabled"))
                    .workload("team-app", "httpbin-5d7f9c-abcde", Map.of("app", "httpbin"), 8080)
                    .peerAuthentication(Policies.resource("v1", "team-app", "mutual-tls-auth", null, null, "STRICT",
                            null))
                    .pod(new PodBuilder().withNewMetadata().withName("mtls-probe-naked-7c9d").withNamespace("team-app")
                            .withLabels(Map.of("app", "mtls-probe", "sidecar.istio.io/inject", "false")).endMetadata()
                            .withNewSpec().addNewContainer().withName("mtls-probe").withImage("mtls-probe")
                            .endContainer().endSpec().build());
            // the Service's port is the local server's, so the URL port maps to the pod's named port 8080
            client.services().inNamespace("team-app").resource(new ServiceBuilder().withNewMetadata()
                    .withName("httpbin-svc").endMetadata().withNewSpec().withSelector(Map.of("app", "httpbin"))
                    .addNewPort().withName("http").withPort(httpbin.port()).withTargetPort(new IntOrString("http"))
                    .endPort().endSpec().build()).create();
            Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 httpbin-svc\n");
            int apiPort = URI.create(client.getConfiguration().getMasterUrl()).getPort();

            try (ProbeJar probe = ProbeJar.launch().env(Map.ofEntries(
                    Map.entry("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts),
                    Map.entry("KUBERNETES_MASTER", "http://127.0.0.1:" + apiPort),
                    Map.entry("KUBERNETES_AUTH_TRYKUBECONFIG", "false"),
                    Map.entry("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false"),
                    Map.entry("POD_NAME", "mtls-probe-naked-7c9d"),
                    Map.entry("POD_NAMESPACE", "team-app"),
                    Map.entry("MTLS_PROBE_PODINFO_ANNOTATIONS", "/nonexistent/podinfo/annotations"),
                    Map.entry("MTLS_PROBE_PODINFO_LABELS", "/nonexistent/podinfo/labels"),
                    Map.entry("MTLS_PROBE_INTERVAL", "2s"),
                    Map.entry("MTLS_PROBE_TIMEOUT", "1s"),
                    Map.entry("MTLS_PROBE_PEER_ENABLED", "false"), // one pod without its pair
                    Map.entry("MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://httpbin-svc:" + httpbin.port() + "/headers"))).start()) {
                String want = "mtls_probe_peer_authentication_mode{mode=\"STRICT\",target=\"httpbin\","
                        + "target_namespace=\"team-app\"} 1.0";
                String metrics = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline && !(metrics.contains(want)
                        && metrics.contains("mtls_probe_verdict{role=\"naked\",target=\"httpbin\",verdict=\"pass\"} 1.0"))) {
                    Thread.sleep(300);
                    try {
                        metrics = probe.get("/q/metrics").body();
                    } catch (java.io.IOException starting) {
                        // not listening yet
                    }
                }
                String out = probe.output();
                assertTrue(metrics.contains(want), out + metrics);
                for (String line : List.of(
                        "mtls_probe_peer_authentication_mode{mode=\"PERMISSIVE\",target=\"httpbin\",target_namespace=\"team-app\"} 0.0",
                        "mtls_probe_namespace_injection_enabled{target_namespace=\"team-app\"} 1.0",
                        "mtls_probe_kube_api_up 1.0",
                        "mtls_probe_role_info{role=\"naked\",source=\"pod-spec\"} 1.0",
                        "mtls_probe_role_mismatch 0.0",
                        "mtls_probe_last_outcome{outcome=\"reset\",role=\"naked\",target=\"httpbin\"} 1.0",
                        "mtls_probe_verdict{role=\"naked\",target=\"httpbin\",verdict=\"pass\"} 1.0")) {
                    assertTrue(metrics.contains(line), line + "\n" + out);
                }
                String status = probe.get("/api/status").body();
                assertTrue(status.contains("\"policy\":\"team-app/mutual-tls-auth\""), status);
                assertTrue(status.contains("\"roleMismatch\":false"), status);
                assertTrue(out.contains("Kubernetes features on: pod team-app/mtls-probe-naked-7c9d"), out);
                assertEquals(0, out.lines().filter(l -> l.contains(" WARN ") && !l.contains("target ")).count(), out);
            }
        } finally {
            api.after();
            Files.deleteIfExists(hosts);
        }
    }
}
