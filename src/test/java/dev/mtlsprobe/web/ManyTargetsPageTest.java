package dev.mtlsprobe.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlsprobe.testsupport.Browser;
import dev.mtlsprobe.testsupport.LocalServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at 1,000 targets: this process probes them as the naked pod, a peer on a real socket reports the
 * sidecar side of every one as a pass. What needs attention comes first and alone, the 990 enforced targets are
 * folded away, a filter finds any one, and the document the page polls stays small.
 */
@QuarkusTest
@TestProfile(ManyTargetsPageTest.Profile.class)
class ManyTargetsPageTest {

    static final int TARGETS = 1000;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Pair.class));
        }
    }

    /** The naked side's targets (990 reset, 5 accept plaintext, 5 refuse) and the sidecar peer. */
    public static class Pair implements QuarkusTestResourceLifecycleManager {
        private LocalServer strict;
        private LocalServer plaintext;
        private LocalServer peer;

        @Override
        public Map<String, String> start() {
            try {
                strict = new LocalServer(LocalServer.reset());
                plaintext = new LocalServer(LocalServer.echo(null));
                peer = new LocalServer(s -> {
                    LocalServer.readHead(s.getInputStream());
                    LocalServer.write(s, 200, "application/json", sidecarPeer().getBytes(StandardCharsets.UTF_8));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>(Map.of("mtls-probe.role", "naked", "mtls-probe.interval", "5s",
                    "mtls-probe.timeout", "1s", "mtls-probe.peer.url", peer.url("/q/status")));
            for (int i = 0; i < TARGETS; i++) {
                String url = i < 5 ? plaintext.url("/headers") : i < 10 ? "http://127.0.0.1:1/headers"
                        : strict.url("/headers");
                config.put("mtls-probe.targets." + name(i) + ".url", url);
            }
            return config;
        }

        @Override
        public void stop() {
            for (LocalServer s : new LocalServer[] {strict, plaintext, peer}) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // done
                }
            }
        }
    }

    static String name(int i) {
        return String.format("t%04d", i);
    }

    /** A sidecar probe's compact status in which every target passes, fresh at every request. */
    static String sidecarPeer() {
        ObjectMapper json = new ObjectMapper();
        long now = System.currentTimeMillis();
        ObjectNode doc = json.createObjectNode().put("version", String.valueOf(now)).put("generatedAtMillis", now)
                .put("role", "sidecar").put("roleSource", "downward-api").put("intendedRole", "sidecar")
                .put("roleMismatch", false).put("roleReason", "role sidecar (detected from downward-api), as intended")
                .put("interval", "5s").put("intervalSeconds", 5.0);
        ArrayNode cells = doc.putArray("targets");
        for (int i = 0; i < TARGETS; i++) {
            ObjectNode c = cells.addObject().put("target", name(i)).put("url", "http://app-" + i + ":8080/headers")
                    .put("role", "sidecar").put("echo", true).put("verdictSinceMillis", now - 600_000)
                    .put("lastPassMillis", now - 300).put("timeline", "-".repeat(50) + "p".repeat(10));
            c.putObject("latest").put("startedAtMillis", now - 300).put("outcome", "mtls").put("verdict", "pass")
                    .put("reason", "HTTP 200 over mutual TLS").put("durationSeconds", 0.002).put("httpStatus", 200)
                    .put("clientId", "spiffe://cluster.local/ns/team-app/sa/mtls-probe")
                    .put("serverId", "spiffe://cluster.local/ns/team-app/sa/app-" + i);
        }
        return doc.toString();
    }

    @TestHTTPResource("/")
    URL page;

    @Test
    void attentionFirstEnforcedFoldedFilterFindsAnyAndThePollStaysSmall() throws Exception {
        ChromeDriver d = Browser.start();
        try {
            d.get(page.toString());
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(x -> x.findElement(By.id("counts")).getText().equals(
                    "1000 targets: 5 not enforced, 5 unproven, 990 enforced \u00b7 990 enforced hidden"));
            var groups = d.findElements(By.cssSelector("#matrix tbody.target"));
            assertEquals(10, groups.size());
            assertEquals("target-t0000", groups.get(0).getAttribute("id"), "not enforced first");
            assertEquals("target-t0005", groups.get(5).getAttribute("id"), "then unproven");
            assertEquals("mTLS NOT enforced", d.findElement(By.id("summary")).getText());
            assertTrue(d.findElement(By.id("summary-detail")).getText().contains("t0000, t0001, t0002, t0003, t0004"));
            Browser.screenshot(d, "many-targets");

            d.findElement(By.id("show-enforced")).click();
            wait.until(x -> x.findElements(By.cssSelector("#matrix tbody.target")).size() == 50);
            assertEquals("Show 50 more (50 of 1000 shown)", d.findElement(By.id("more")).getText());
            d.findElement(By.id("more")).click();
            wait.until(x -> x.findElements(By.cssSelector("#matrix tbody.target")).size() == 100);

            d.findElement(By.id("filter")).sendKeys("t0999");
            wait.until(x -> x.findElements(By.cssSelector("#matrix tbody.target")).size() == 1);
            assertEquals("enforced", d.findElement(By.cssSelector("#target-t0999 .pair-state")).getAttribute("data-state"));
        } finally {
            d.quit();
        }

        HttpResponse<byte[]> poll = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(page + "api/status?timeline=1")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", poll.headers().firstValue("Content-Encoding").orElse(""));
        int size = poll.body().length;
        System.out.printf("/api/status?timeline=1 at %d targets and their peer: %d bytes gzip%n", TARGETS, size);
        assertTrue(size < 200 * 1024, "the page's poll at 1,000 targets and their peer: " + size + " bytes");
    }
}
