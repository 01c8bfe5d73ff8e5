package dev.mtlsprobe.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether there is an API to talk to, from files and settings alone. */
class ClusterAccessTest {

    @TempDir
    Path dir;

    Optional<String> how(Map<String, String> config, Map<String, String> env, Map<String, String> system) {
        return ClusterAccess.how(new ClusterAccess.Sources(config::get, env::get, system::get,
                dir.resolve("token"), dir.resolve("home")));
    }

    @Test
    void nothingOutsideACluster() {
        assertEquals(Optional.empty(), how(Map.of(), Map.of(), Map.of()));
        assertEquals(Optional.empty(), how(Map.of(), Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), Map.of()),
                "no token, no service account");
    }

    @Test
    void serviceAccountInAPod() throws Exception {
        Files.writeString(dir.resolve("token"), "t");
        assertEquals(Optional.of("the pod's service account"),
                how(Map.of(), Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), Map.of()));
    }

    @Test
    void kubeconfigOrExplicitUrl() throws Exception {
        Files.createDirectories(dir.resolve("home/.kube"));
        Files.writeString(dir.resolve("home/.kube/config"), "apiVersion: v1");
        assertTrue(how(Map.of(), Map.of(), Map.of()).get().startsWith("kubeconfig "));
        assertEquals(Optional.empty(), how(Map.of(), Map.of(), Map.of("kubernetes.auth.tryKubeConfig", "false")));
        assertEquals(Optional.of("quarkus.kubernetes-client.api-server-url=http://127.0.0.1:1"),
                how(Map.of("quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:1"), Map.of(), Map.of()));
    }
}
