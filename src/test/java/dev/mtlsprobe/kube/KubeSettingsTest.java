package dev.mtlsprobe.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mtlsprobe.config.InvalidConfigException;
import dev.mtlsprobe.config.MtlsProbeConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mtls-probe.kubernetes.* keys: downward-API env fallbacks, and one line per bad value. */
class KubeSettingsTest {

    record K(boolean enabled, Optional<String> podName, Optional<String> podNamespace, String rootNamespace,
            String clusterDomain, String checkInterval) implements MtlsProbeConfig.Kubernetes {
    }

    static K defaults() {
        return new K(true, Optional.empty(), Optional.empty(), "istio-system", "cluster.local", "10s");
    }

    @Test
    void podNameAndNamespaceComeFromTheDownwardApiEnv() {
        Map<String, String> env = Map.of("POD_NAME", "probe-0", "POD_NAMESPACE", "team-app");
        KubeSettings s = KubeSettings.from(defaults(), env::get);
        assertEquals(Optional.of("probe-0"), s.podName());
        assertEquals(Optional.of("team-app"), s.podNamespace());
        assertEquals(Duration.ofSeconds(10), s.checkInterval());
        K configured = new K(true, Optional.of("other"), Optional.of("ns"), "mesh-root", "corp.example", "500ms");
        KubeSettings c = KubeSettings.from(configured, env::get);
        assertEquals(Optional.of("other"), c.podName());
        assertEquals(Optional.of("ns"), c.podNamespace());
        assertEquals("mesh-root", c.rootNamespace());
        assertEquals(Optional.empty(), KubeSettings.from(defaults(), k -> null).podNamespace());
    }

    @Test
    void badValuesNameTheKeyAndTheFix() {
        assertEquals("Invalid configuration: mtls-probe.kubernetes.check-interval=\"soon\": not a positive duration; "
                + "use e.g. 10s, 500ms or 1m", assertThrows(InvalidConfigException.class, () -> KubeSettings.from(
                        new K(true, Optional.empty(), Optional.empty(), "istio-system", "cluster.local", "soon"),
                        k -> null)).getMessage());
        assertEquals("Invalid configuration: mtls-probe.kubernetes.root-namespace=\"Istio_System\": not a namespace "
                + "name (lower-case letters, digits and '-', at most 63)", assertThrows(InvalidConfigException.class,
                        () -> KubeSettings.from(new K(true, Optional.empty(), Optional.empty(), "Istio_System",
                                "cluster.local", "10s"), k -> null)).getMessage());
        assertThrows(InvalidConfigException.class, () -> KubeSettings.from(defaults(),
                Map.of("POD_NAMESPACE", "Bad Namespace")::get));
        assertThrows(InvalidConfigException.class, () -> KubeSettings.from(new K(true, Optional.empty(),
                Optional.empty(), "istio-system", "cluster..local", "10s"), k -> null));
    }
}
