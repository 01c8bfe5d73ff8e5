package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.ProbeJar;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started the way the lab's pods start it: Dockerfile.jvm's entrypoint and JVM flags, the
 * container's memory limit, the rendered config, and the downward-API files the kubelet would write for the
 * rendered pod templates. Proves the health paths, the role detection and the memory limit fit together.
 */
class PodSpecIT {

    private static final Path FAST_JAR = Kustomize.ROOT.resolve("target/quarkus-app");
    private static final String SERVER_ID = "spiffe://cluster.local/ns/team-app/sa/httpbin";
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/team-app/sa/mtls-probe";

    @Test
    void jvmImageCopiesTheWholeFastJarLayout() throws Exception {
        Dockerfile.Stage stage = Dockerfile.read(DockerfilesTest.DOCKER.resolve("Dockerfile.jvm")).finalStage();
        List<String> copied = new ArrayList<>();
        for (String[] copy : Dockerfile.copies(stage)) {
            String source = copy[0].substring("target/quarkus-app/".length());
            try (var matches = Files.newDirectoryStream(FAST_JAR, source.endsWith("/") ? source.substring(0, source.length() - 1) : source)) {
                int n = 0;
                for (Path p : matches) {
                    copied.add(p.getFileName().toString());
                    n++;
                }
                assertTrue(n > 0, copy[0] + " matches nothing in target/quarkus-app");
            }
        }
        List<String> layout;
        try (var s = Files.list(FAST_JAR)) {
            // The dependency listing is for humans, not for the runtime.
            layout = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("quarkus-app-dependencies.txt"))
                    .sorted().toList();
        }
        assertEquals(layout, copied.stream().sorted().toList(), "every part of the fast-jar layout is copied");
        assertTrue(Files.isRegularFile(FAST_JAR.resolve("quarkus-run.jar")), "the entrypoint's jar");
    }

    @Test
    void bothLabPodsStartReadyWithTheirRoleWithinTheMemoryLimit() throws Exception {
        List<HasMetadata> lab = Kustomize.render("k8s/overlays/lab");
        try (LocalServer strict = new LocalServer(LocalServer.reset());
                LocalServer meshed = new LocalServer(LocalServer.echo("By=" + SERVER_ID + ";Hash=00;Subject=\"\";URI=" + CLIENT_ID));
                LocalServer envoyReady = new LocalServer(LocalServer.respond(200, "text/plain", ""))) {
            Map<String, String> naked = runPod(lab, "naked", strict, envoyReady, Map.of());
            assertTrue(naked.get("metrics").contains(
                    "mtls_probe_verdict{role=\"naked\",target=\"httpbin\",verdict=\"pass\"} 1.0"), naked.get("metrics"));
            // The injector adds this annotation to the sidecar pod; the probe reads it back as its role.
            Map<String, String> sidecar = runPod(lab, "sidecar", meshed, envoyReady,
                    Map.of("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}"));
            assertTrue(sidecar.get("metrics").contains(
                    "mtls_probe_verdict{role=\"sidecar\",target=\"httpbin\",verdict=\"pass\"} 1.0"), sidecar.get("metrics"));
        }
    }

    /** @return the metrics text once ready, and the RSS measured then */
    private Map<String, String> runPod(List<HasMetadata> lab, String component, LocalServer target, LocalServer envoyReady,
            Map<String, String> injected) throws Exception {
        Deployment d = Manifests.probe(lab, component);
        ObjectMeta meta = d.getSpec().getTemplate().getMetadata();
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        Path podinfo = Files.createTempDirectory("podinfo-");
        Map<String, String> annotations = new TreeMap<>(meta.getAnnotations());
        annotations.putAll(injected);
        Files.writeString(podinfo.resolve("labels"), downwardApi(meta.getLabels()));
        Files.writeString(podinfo.resolve("annotations"), downwardApi(annotations));

        Map<String, String> env = new HashMap<>(Manifests.configMapData(lab, c.getEnvFrom().get(0).getConfigMapRef().getName()));
        // Same targets, reached on loopback instead of through cluster DNS.
        env.replaceAll((k, v) -> k.matches("MTLS_PROBE_TARGETS_.*_URL") ? target.url(URI.create(v).getPath()) : v);
        env.put("POD_NAME", d.getMetadata().getName() + "-0");
        env.put("POD_NAMESPACE", d.getMetadata().getNamespace());
        env.put("MTLS_PROBE_PODINFO_LABELS", podinfo.resolve("labels").toString());
        env.put("MTLS_PROBE_PODINFO_ANNOTATIONS", podinfo.resolve("annotations").toString());
        env.put("MTLS_PROBE_SIDECAR_READY_URL", envoyReady.url("/healthz/ready"));

        Dockerfile.Stage image = Dockerfile.read(DockerfilesTest.DOCKER.resolve("Dockerfile.jvm")).finalStage();
        long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValueExact();
        // In the container the JVM reads the limit from its cgroup; here MaxRAM stands in for it.
        env.put("JDK_JAVA_OPTIONS", String.join(" ", DockerfilesTest.jdkJavaOptions(image)) + " -XX:MaxRAM=" + limit);
        List<String> cmd = DockerfilesTest.entrypoint(image).stream()
                .map(a -> a.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
                        : a.replace("/deployments/", FAST_JAR + "/"))
                .collect(Collectors.toList());
        env.put("QUARKUS_HTTP_HOST", "0.0.0.0"); // as in the pod
        env.put("QUARKUS_MANAGEMENT_HOST", "0.0.0.0");
        try (ProbeJar p = ProbeJar.launch().name("pod-" + component).command(cmd).env(env).start()) {
            String ready = c.getReadinessProbe().getHttpGet().getPath();
            String live = c.getLivenessProbe().getHttpGet().getPath();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = -1;
            while (System.nanoTime() < deadline && (status = p.status(ready)) != 200) {
                Thread.sleep(250);
            }
            assertEquals(200, status, component + " pod not ready at " + ready + ":\n" + p.output());
            assertEquals(200, p.status(live), component + " live at " + live);
            Thread.sleep(5_000); // a few attempts and scrapes in, not just the start-up footprint
            String metrics = p.get("/q/metrics").body();
            assertTrue(metrics.contains("mtls_probe_role_info{role=\"" + component + "\",source=\"downward-api\"} 1.0"),
                    component + ": role detected from the downward-API files\n" + metrics);
            assertTrue(metrics.contains("mtls_probe_role_mismatch 0.0"), component + ": no mismatch\n" + metrics);
            long rss = rssBytes(p.pid());
            System.out.printf("%s pod: RSS %d MiB 5 s after ready (memory request %s, limit %s)%n", component, rss >> 20,
                    c.getResources().getRequests().get("memory"), c.getResources().getLimits().get("memory"));
            assertTrue(rss < limit, component + ": RSS " + rss + " B above the memory limit " + limit + " B");
            return Map.of("metrics", metrics, "rss", String.valueOf(rss));
        } finally {
            for (String f : List.of("labels", "annotations")) {
                Files.deleteIfExists(podinfo.resolve(f));
            }
            Files.deleteIfExists(podinfo);
        }
    }

    /** The kubelet's format: one key="value" per line, sorted, Go-quoted values. */
    private static String downwardApi(Map<String, String> entries) {
        return new TreeMap<>(entries).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining("\n"));
    }



    private static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

}
