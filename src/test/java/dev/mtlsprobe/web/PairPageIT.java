package dev.mtlsprobe.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.Browser;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Ports;
import dev.mtlsprobe.testsupport.ProbeJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page of a real pair: two packaged jars, each with its role from downward-API files as in a pod (one with
 * Istio's status annotation, one labelled {@code sidecar.istio.io/inject="false"}), one configuration, each
 * fetching the other's compact status from the management port. On one machine there is no mesh between a pod and
 * the target, so each "pod" gets its own stand-in for what the mesh does to its calls: the naked one a STRICT-like
 * server that resets plaintext, the sidecar one an echo with a sidecar's XFCC (the end-to-end test runs the real
 * thing). Each pod's page must show both rows; a stopped server and a killed peer must turn grey, never stay green.
 */
class PairPageIT {

    static final String XFCC = "By=spiffe://cluster.local/ns/team-app/sa/httpbin;Hash=0a1b;"
            + "URI=spiffe://cluster.local/ns/team-app/sa/mtls-probe";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void bothPagesShowThePairAndTurnGreyWhenDataStops(@TempDir Path dir) throws Exception {
        List<ProbeJar> started = new ArrayList<>();
        try (LocalServer strict = new LocalServer(LocalServer.reset());
                LocalServer meshed = new LocalServer(LocalServer.echo(XFCC));
                LocalServer sidecarReady = new LocalServer(LocalServer.respond(200, "text/plain", "ok"))) {
            int nakedManagement = Ports.free();
            int sidecarManagement = Ports.free();
            ProbeJar.Launch sidecarPod = pod("sidecar", dir, meshed.url("/headers"), sidecarManagement, nakedManagement,
                    sidecarReady.url("/healthz/ready"));
            ProbeJar naked = pod("naked", dir, strict.url("/headers"), nakedManagement, sidecarManagement,
                    sidecarReady.url("/healthz/ready")).startReady(WAIT);
            started.add(naked);
            ProbeJar sidecar = sidecarPod.startReady(WAIT);
            started.add(sidecar);

            ChromeDriver d = Browser.start();
            try {
                String nakedWindow = open(d, naked);
                bothRowsPass(d, "this pod", "peer pod");
                Browser.docsScreenshot(d, "pair-enforced");
                d.switchTo().newWindow(WindowType.WINDOW);
                String sidecarWindow = open(d, sidecar);
                bothRowsPass(d, "peer pod", "this pod");

                // The naked pod stops answering (SIGSTOP): its page goes grey; the sidecar pod loses its peer.
                signal(naked, "STOP");
                d.switchTo().window(nakedWindow);
                wait(d).until(x -> state(x, "headline").equals("nodata")
                        && text(x, "summary").startsWith("No data for"));
                for (String role : List.of("naked", "sidecar")) {
                    By cell = By.id("cell-" + role + "-httpbin");
                    wait(d).until(x -> x.findElement(cell).getAttribute("class").contains("grey")
                            && x.findElement(cell).getText().contains("no data for"));
                }
                assertTrue(d.findElement(By.id("freshness")).getText().startsWith("No answer since"));
                Browser.screenshot(d, "pair-server-stopped");
                d.switchTo().window(sidecarWindow);
                peerUnreachable(d, "naked");

                // It answers again: both pages recover by themselves.
                signal(naked, "CONT");
                for (String w : List.of(nakedWindow, sidecarWindow)) {
                    d.switchTo().window(w);
                    wait(d).until(x -> text(x, "summary").equals("mTLS enforced"));
                }

                // The sidecar pod is killed: the naked pod's page shows its row as unreachable, grey, never a pass.
                sidecar.close();
                d.switchTo().window(nakedWindow);
                peerUnreachable(d, "sidecar");
                assertTrue(d.findElement(By.id("peer")).getText().startsWith("Peer unreachable since"),
                        d.findElement(By.id("peer")).getText());
                Browser.docsScreenshot(d, "pair-peer-unreachable");
            } finally {
                d.quit();
            }
        } finally {
            started.forEach(ProbeJar::close);
        }
    }

    /**
     * One pod of the pair. The configuration both share is the production one plus short intervals; what differs
     * is what differs between two pods (the downward-API files, here in a directory per pod) and what one machine
     * needs (ports, the peer's address, the target stand-in).
     */
    static ProbeJar.Launch pod(String role, Path dir, String target, int management, int peerManagement,
            String sidecarReady) throws Exception {
        Path pod = Files.createDirectories(dir.resolve(role));
        Files.writeString(pod.resolve("labels"), "app.kubernetes.io/name=\"mtls-probe\"\n"
                + "app.kubernetes.io/component=\"" + role + "\"\n"
                + (role.equals("naked") ? "sidecar.istio.io/inject=\"false\"\n" : ""));
        Files.writeString(pod.resolve("annotations"), role.equals("sidecar")
                ? "sidecar.istio.io/status=\"{\\\"containers\\\":[\\\"istio-proxy\\\"]}\"\n" : "kubectl.kubernetes.io/restartedAt=\"x\"\n");
        return ProbeJar.launch().name("pair-" + role).managementPort(management).env(Map.of(
                "MTLS_PROBE_ROLE", "auto", "MTLS_PROBE_INTERVAL", "1s", "MTLS_PROBE_TIMEOUT", "500ms",
                "MTLS_PROBE_TARGETS_HTTPBIN_URL", target, "MTLS_PROBE_SIDECAR_READY_URL", sidecarReady,
                "MTLS_PROBE_PODINFO_ANNOTATIONS", pod.resolve("annotations").toString(),
                "MTLS_PROBE_PODINFO_LABELS", pod.resolve("labels").toString(),
                "MTLS_PROBE_PEER_URL", "http://127.0.0.1:" + peerManagement + "/q/status"));
    }

    private static String open(ChromeDriver d, ProbeJar jar) {
        d.get("http://127.0.0.1:" + jar.httpPort + "/");
        return d.getWindowHandle();
    }

    private static void bothRowsPass(ChromeDriver d, String nakedSource, String sidecarSource) {
        wait(d).until(x -> text(x, "summary").equals("mTLS enforced"));
        assertEquals("pass", state(d, "headline"));
        String naked = text(d, "cell-naked-httpbin");
        String sidecar = text(d, "cell-sidecar-httpbin");
        assertTrue(naked.startsWith("PASS") && naked.contains("reset"), naked);
        assertTrue(sidecar.startsWith("PASS") && sidecar.contains("mtls"), sidecar);
        assertTrue(sidecar.contains("spiffe://cluster.local/ns/team-app/sa/mtls-probe \u2192 "
                + "spiffe://cluster.local/ns/team-app/sa/httpbin"), sidecar);
        assertTrue(text(d, "row-naked-httpbin").contains(nakedSource), text(d, "row-naked-httpbin"));
        assertTrue(text(d, "row-sidecar-httpbin").contains(sidecarSource), text(d, "row-sidecar-httpbin"));
        assertEquals(60, d.findElements(By.cssSelector("#row-sidecar-httpbin .timeline .slot")).size());
        // The production page has no demo controls: the section is hidden and empty.
        assertFalse(d.findElement(By.id("demo")).isDisplayed());
        assertEquals(0, d.findElements(By.cssSelector("#demo button, #strict, #permissive")).size());
    }

    private static void peerUnreachable(ChromeDriver d, String role) {
        By cell = By.id("cell-" + role + "-httpbin");
        wait(d).until(x -> {
            WebElement c = x.findElement(cell);
            return c.getText().startsWith("UNREACHABLE") && c.getText().contains("peer unreachable since")
                    && "unreachable".equals(c.getAttribute("data-state")) && c.getAttribute("class").contains("grey");
        });
        wait(d).until(x -> state(x, "headline").equals("unproven") && text(x, "summary").equals("mTLS unproven"));
    }

    /** The page redraws a group when what it shows changes: a lookup may meet the old one. */
    private static WebDriverWait wait(ChromeDriver d) {
        WebDriverWait w = new WebDriverWait(d, WAIT);
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    private static String text(org.openqa.selenium.WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    private static String state(org.openqa.selenium.WebDriver d, String id) {
        return d.findElement(By.id(id)).getAttribute("data-state");
    }

    private static void signal(ProbeJar jar, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(jar.pid())).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + signal);
    }
}
