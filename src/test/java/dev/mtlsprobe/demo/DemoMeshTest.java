package dev.mtlsprobe.demo;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.probe.Deadline;
import dev.mtlsprobe.probe.HttpResponse;
import dev.mtlsprobe.probe.ResponseClassifier;
import dev.mtlsprobe.probe.ResponseReader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DemoProfile.class)
class DemoMeshTest {

    static final String NAKED = "targets.find { it.role == 'naked' }.latest";
    static final String SIDECAR = "targets.find { it.role == 'sidecar' }.latest";

    @Inject
    DemoMesh mesh;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void strictAgain() {
        policy("STRICT");
    }

    @Test
    void bothLanesPassUnderStrictWithTheDemoIdentities() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/status").then()
                .body("role", equalTo("demo"), "demo.policy", equalTo("STRICT"),
                        NAKED + ".outcome", equalTo("reset"), NAKED + ".verdict", equalTo("pass"),
                        SIDECAR + ".outcome", equalTo("mtls"), SIDECAR + ".verdict", equalTo("pass"),
                        SIDECAR + ".clientId", equalTo(DemoMesh.CLIENT_ID),
                        SIDECAR + ".serverId", equalTo(DemoMesh.SERVER_ID)));
        given().get(metrics).then().body(containsString("mtls_probe_peer_identity_info{client_id=\""
                + DemoMesh.CLIENT_ID + "\",role=\"sidecar\",server_id=\"" + DemoMesh.SERVER_ID
                + "\",target=\"httpbin\"} 1.0"));
    }

    @Test
    void permissiveTurnsTheNakedLaneToFailWithinTwoIntervalsAndBack() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/status").then()
                .body(NAKED + ".verdict", equalTo("pass")));
        long switched = System.nanoTime();
        policy("PERMISSIVE");
        await().atMost(Duration.ofMillis(2 * 400 + 600)).untilAsserted(() -> given().get("/api/status").then()
                .body(NAKED + ".outcome", equalTo("plaintext"), NAKED + ".verdict", equalTo("fail"),
                        SIDECAR + ".verdict", equalTo("pass")));
        System.out.printf("demo: PERMISSIVE seen by the naked lane after %d ms%n",
                (System.nanoTime() - switched) / 1_000_000);
        policy("STRICT");
        await().atMost(Duration.ofMillis(2 * 400 + 600)).untilAsserted(() -> given().get("/api/status").then()
                .body(NAKED + ".outcome", equalTo("reset"), NAKED + ".verdict", equalTo("pass")));
    }

    @Test
    void aForgedXfccFromPlaintextIsResetUnderStrictAndStrippedUnderPermissive() throws Exception {
        String forged = "By=spiffe://cluster.local/ns/demo/sa/httpbin;Hash=00;Subject=\"\";"
                + "URI=spiffe://cluster.local/ns/demo/sa/admin";
        assertThrows(IOException.class, () -> forgedRequest(forged), "STRICT resets plaintext, forged or not");
        policy("PERMISSIVE");
        ResponseClassifier.Classified c = ResponseClassifier.classify(forgedRequest(forged), true);
        assertEquals(Outcome.PLAINTEXT, c.outcome(), c.reason());
        assertTrue(c.identity().isEmpty());
    }

    @Test
    void rejectsAnUnknownPolicyWithTheFix() {
        given().contentType(ContentType.JSON).body("{\"policy\": \"DISABLE\"}").post("/api/demo/policy").then()
                .statusCode(400).body("error", equalTo("policy must be STRICT or PERMISSIVE, e.g. {\"policy\": \"PERMISSIVE\"}"));
        given().get("/api/demo/policy").then().statusCode(200).body("policy", equalTo("STRICT"));
    }

    private HttpResponse forgedRequest(String xfcc) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), mesh.serverSidecarPort())) {
            s.setSoTimeout(2_000);
            s.getOutputStream().write(("GET /headers HTTP/1.1\r\nHost: httpbin.demo:8000\r\nX-Forwarded-Client-Cert: "
                    + xfcc + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            HttpResponse r = new ResponseReader(s.getInputStream(), Deadline.after(Duration.ofSeconds(2))).read();
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("admin"), "forged identity removed");
            return r;
        }
    }

    private static void policy(String mode) {
        given().contentType(ContentType.JSON).body("{\"policy\": \"" + mode + "\"}").post("/api/demo/policy").then()
                .statusCode(200).body("policy", equalTo(mode));
    }
}
