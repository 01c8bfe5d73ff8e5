package dev.mtlsprobe.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.InvalidConfigException;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.RoleSetting;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.testsupport.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoleDetectorTest {

    @TempDir
    Path dir;

    ProbeSettings settings(RoleSetting role) {
        return new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), role, List.of(Targets.local("t", 80)),
                dir.resolve("annotations"), dir.resolve("labels"), java.net.URI.create("http://127.0.0.1:15021/healthz/ready"));
    }

    void write(String file, String content) throws Exception {
        Files.writeString(dir.resolve(file), content);
    }

    @Test
    void injectedPodIsSidecarAsIntended() throws Exception {
        write("annotations", "kubectl.kubernetes.io/restartedAt=\"2026-01-01\"\nsidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-init\\\"]}\"\n");
        write("labels", "app=\"mtls-probe\"\n");
        RoleState s = RoleDetector.detect(settings(RoleSetting.AUTO));
        assertEquals(Role.SIDECAR, s.role());
        assertEquals("downward-api", s.source());
        assertFalse(s.mismatch());
    }

    @Test
    void optedOutPodIsNakedAsIntended() throws Exception {
        write("annotations", "kubernetes.io/config.seen=\"x\"\n");
        write("labels", "sidecar.istio.io/inject=\"false\"\n");
        RoleState s = RoleDetector.detect(settings(RoleSetting.AUTO));
        assertEquals(Role.NAKED, s.role());
        assertFalse(s.mismatch());
    }

    @Test
    void nakedIntentWithASidecarIsAMismatchWithTheFix() throws Exception {
        write("annotations", "sidecar.istio.io/status=\"{}\"\n");
        write("labels", "sidecar.istio.io/inject=\"false\"\n");
        RoleState s = RoleDetector.detect(settings(RoleSetting.AUTO));
        assertEquals(Role.SIDECAR, s.role());
        assertEquals(Role.NAKED, s.intended());
        assertTrue(s.mismatch());
        assertTrue(s.describe().contains("sidecar.istio.io/inject=\"false\""), s.describe());
    }

    @Test
    void configuredRoleOutsideAPod() {
        RoleState s = RoleDetector.detect(settings(RoleSetting.NAKED));
        assertEquals(Role.NAKED, s.role());
        assertEquals("config", s.source());
        assertFalse(s.mismatch());
    }

    @Test
    void autoOutsideAPodTellsTheUserToSetTheRole() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RoleDetector.detect(settings(RoleSetting.AUTO)));
        assertEquals("Invalid configuration: mtls-probe.role=\"auto\": cannot detect the role outside a pod (no "
                + "downward-API file at " + dir.resolve("annotations") + "); set mtls-probe.role (env MTLS_PROBE_ROLE) "
                + "to sidecar or naked", e.getMessage());
    }

    @Test
    void parsesGoQuotedValues() {
        assertEquals(Map.of("a", "x\"y\\z", "b", "plain"), PodInfoFile.parse("a=\"x\\\"y\\\\z\"\nb=plain\nnoise\n"));
    }
}
