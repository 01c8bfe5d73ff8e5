package dev.mtlsprobe.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.LabServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The running service: metrics on the management port, status on the application port, health. */
@QuarkusTest
@QuarkusTestResource(value = LabServers.class, restrictToAnnotatedClass = true)
class ProbeServiceTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/status", management = true)
    URL peerStatus;

    @Test
    void exportsTheContractSeries() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(metrics).then().statusCode(200)
                .body(containsString("mtls_probe_last_outcome{outcome=\"reset\",role=\"naked\",target=\"strict\"} 1.0"),
                        containsString("mtls_probe_verdict{role=\"naked\",target=\"strict\",verdict=\"pass\"} 1.0"),
                        containsString("mtls_probe_last_outcome{outcome=\"plaintext\",role=\"naked\",target=\"permissive\"} 1.0"),
                        containsString("mtls_probe_verdict{role=\"naked\",target=\"permissive\",verdict=\"fail\"} 1.0"),
                        containsString("mtls_probe_last_outcome{outcome=\"mtls\",role=\"naked\",target=\"strict\"} 0.0"),
                        containsString("mtls_probe_attempts_total{outcome=\"dns_error\",role=\"naked\",target=\"strict\"} 0.0"),
                        containsString("mtls_probe_last_attempt_timestamp_seconds{role=\"naked\",target=\"strict\"}"),
                        containsString("mtls_probe_last_pass_timestamp_seconds{role=\"naked\",target=\"strict\"}"),
                        containsString("mtls_probe_duration_seconds_bucket{role=\"naked\",target=\"strict\",le=\"0.005\"}"),
                        containsString("mtls_probe_role_info{role=\"naked\",source=\"config\"} 1.0"),
                        containsString("mtls_probe_role_mismatch 0.0"),
                        containsString("mtls_probe_build_info{version=\"0.1.0\"} 1.0"),
                        containsString("mtls_probe_interval_seconds 0.3")));
    }

    @Test
    void statusShowsRoleOutcomesAndHistory() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/status?history=50").then()
                .statusCode(200)
                .body("role", equalTo("naked"), "roleMismatch", equalTo(false),
                        "targets.target", hasItems("permissive", "strict"),
                        "targets.find { it.target == 'strict' }.latest.outcome", equalTo("reset"),
                        "targets.find { it.target == 'strict' }.latest.verdict", equalTo("pass"),
                        "targets.find { it.target == 'permissive' }.latest.verdict", equalTo("fail"),
                        "targets.find { it.target == 'permissive' }.latest.reason",
                        containsString("no X-Forwarded-Client-Cert"),
                        "targets.find { it.target == 'strict' }.history.size()", lessThanOrEqualTo(20),
                        "targets.find { it.target == 'strict' }.timeline", matchesPattern("[-pifPIF]{60}"),
                        "targets.find { it.target == 'strict' }.verdictSinceMillis", notNullValue()));
    }

    @Test
    void statusIsCompactByDefaultCompressedAndRevalidatedWithAnETag() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/status").then().statusCode(200)
                .body("targets.find { it.target == 'strict' }.latest.verdict", equalTo("pass")));
        var compact = given().get("/api/status").then().statusCode(200).header("Cache-Control", "no-cache")
                .body("targets.history", everyItem(nullValue()), "targets.timeline", everyItem(nullValue()))
                .extract();
        // Two cells, the (absent) peer, the pair's verdict and the advice for the failing one.
        assertTrue(compact.body().asString().length() < 3 * 1024, "two cells: " + compact.body().asString().length());
        given().header("Accept-Encoding", "gzip").get("/api/status").then().statusCode(200)
                .header("Content-Encoding", "gzip");
        // The ETag changes with every attempt (300 ms here); ask until one is still current when it comes back.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String tag = given().get("/api/status").header("ETag");
            return given().header("If-None-Match", tag).get("/api/status").statusCode() == 304;
        });
    }

    @Test
    void thePageAsksForTimelinesWithoutHistoryAndGetsThePairAndThePeer() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/status?timeline=1").then()
                .statusCode(200)
                .body("targets.find { it.target == 'strict' }.timeline", matchesPattern("[-pifPIF]{60}"),
                        "targets.history", everyItem(nullValue()),
                        "peer.state", equalTo("off"), "peer.problem", containsString("mtls-probe.peer.url"),
                        // one process, one role: the pair is unproven, never enforced, and says why
                        "pair.headline", equalTo("not-enforced"),
                        "pair.targets.find { it.target == 'strict' }.state", equalTo("unproven"),
                        "pair.targets.find { it.target == 'strict' }.reason",
                        containsString("not probed here, and no peer"),
                        "pair.targets.find { it.target == 'permissive' }.state", equalTo("not-enforced"),
                        "pair.targets.find { it.target == 'permissive' }.advice[0].alert",
                        equalTo("MtlsProbePlaintextAccepted"),
                        "pair.targets.find { it.target == 'permissive' }.advice[0].runbook",
                        equalTo("https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/"
                                + "MtlsProbePlaintextAccepted.md")));
    }

    @Test
    void thePeerReadsACompactStatusOnTheManagementPortWithETagAndGzip() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(peerStatus).then().statusCode(200)
                .header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff")
                .body("role", equalTo("naked"),
                        "targets.find { it.target == 'strict' }.latest.verdict", equalTo("pass"),
                        "targets.find { it.target == 'strict' }.timeline", matchesPattern("[-pifPIF]{60}"),
                        "targets.history", everyItem(nullValue()),
                        "peer", nullValue(), "pair", nullValue(), "kubernetes", nullValue()));
        given().header("Accept-Encoding", "gzip").get(peerStatus).then().statusCode(200)
                .header("Content-Encoding", "gzip").body("role", equalTo("naked"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String tag = given().get(peerStatus).header("ETag");
            return given().header("If-None-Match", tag).get(peerStatus).statusCode() == 304;
        });
        given().header("Origin", "http://evil.example").get(peerStatus).then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void everyPageResponseCarriesTheSecurityHeadersAndNothingIsCachedAsImmutable() {
        for (String path : new String[] {"/", "/index.html", "/app.js", "/js/matrix.js", "/style.css", "/api/status"}) {
            var r = given().get(path).then().statusCode(200).extract();
            String csp = r.header("Content-Security-Policy");
            assertTrue(csp != null && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
                    && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), path + ": " + csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            String cache = r.header("Cache-Control");
            assertTrue(cache != null && !cache.contains("immutable") && !cache.contains("max-age"), path + ": " + cache);
        }
        String html = given().get("/").then().extract().asString();
        assertTrue(html.matches("(?s).*<script type=\"module\" src=\"app.js\"></script>.*"), html);
        long scripts = html.split("<script").length - 1;
        long byUrl = java.util.regex.Pattern.compile("<script[^>]* src=\"[^\"]+\"[^>]*></script>").matcher(html)
                .results().count();
        assertEquals(scripts, byUrl, "every script loaded by URL: nothing inline");
        assertTrue(!html.contains(" style=") && !html.contains("<style") && !html.matches("(?s).*\\son[a-z]+=.*"),
                "no inline style or event handler: " + html);
    }

    @Test
    void metricsAreStreamedWithTheRegistrysOwnSeriesAfterOurs() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(metrics).then()
                .body(containsString("mtls_probe_verdict{")));
        String text = given().header("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").get(metrics).then()
                .statusCode(200).header("Transfer-Encoding", "chunked")
                .header("Content-Type", containsString("version=0.0.4")).extract().asString();
        assertTrue(text.indexOf("mtls_probe_attempts_total{") < text.indexOf("jvm_memory_used_bytes{"), "ours first");
        String open = given().header("Accept", "application/openmetrics-text; version=1.0.0").get(metrics).then()
                .statusCode(200).header("Content-Type", containsString("openmetrics")).extract().asString();
        assertTrue(open.endsWith("# EOF\n") && open.indexOf("# EOF") == open.length() - 6, "one # EOF, at the end");
    }

    @Test
    void noOtherOriginMayReadTheManagementPort() {
        for (URL url : new URL[] {metrics, ready, live, peerStatus}) {
            given().header("Origin", "http://evil.example").get(url).then()
                    .header("Access-Control-Allow-Origin", nullValue());
        }
    }

    @Test
    void readyOnceEveryTargetWasTriedAndLive() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(ready).then().statusCode(200));
        given().get(live).then().statusCode(200).body(containsString("probe-loop"));
    }
}
