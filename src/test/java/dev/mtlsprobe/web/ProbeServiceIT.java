package dev.mtlsprobe.web;

import dev.mtlsprobe.testsupport.LabServers;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;

/** The same checks against the packaged application. */
@QuarkusIntegrationTest
class ProbeServiceIT extends ProbeServiceTest {

    @BeforeEach
    void managementUrls() throws Exception {
        // The packaged application listens on the management port the test resource chose.
        String base = "http://localhost:" + LabServers.managementPort + "/q";
        metrics = new URL(base + "/metrics");
        ready = new URL(base + "/health/ready");
        live = new URL(base + "/health/live");
        peerStatus = new URL(base + "/status");
    }
}
