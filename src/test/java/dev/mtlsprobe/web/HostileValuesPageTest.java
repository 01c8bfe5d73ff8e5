package dev.mtlsprobe.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.Browser;
import dev.mtlsprobe.testsupport.LocalServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A target that echoes markup in its XFCC: the page must show it as text and never run it. */
@QuarkusTest
@TestProfile(HostileValuesPageTest.Profile.class)
class HostileValuesPageTest {

    static final String PAYLOAD = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HostileTarget.class));
        }
    }

    public static class HostileTarget implements QuarkusTestResourceLifecycleManager {
        private LocalServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = new LocalServer(LocalServer.echo("By=" + PAYLOAD + ";URI=\"" + PAYLOAD));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("mtls-probe.role", "naked", "mtls-probe.interval", "500ms", "mtls-probe.timeout", "300ms",
                    "mtls-probe.targets.hostile.url", server.url("/headers"));
        }

        @Override
        public void stop() {
            try {
                server.close();
            } catch (IOException ignored) {
                // done
            }
        }
    }

    @TestHTTPResource("/")
    URL page;

    @Test
    void networkValuesAreShownAsTextNeverRun() throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            driver.get(page.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
            wait.until(d -> d.findElement(By.id("cell-naked-hostile")).getText().contains("<script>"));
            String cell = driver.findElement(By.id("cell-naked-hostile")).getText();
            assertTrue(cell.contains("<script>window.pwned=1</script>"), cell);
            assertEquals(0L, driver.findElements(By.cssSelector("#matrix script, #matrix img")).size());
            assertEquals(null, driver.executeScript("return window.pwned === undefined ? null : window.pwned;"));
            Browser.screenshot(driver, "hostile-values");
        } finally {
            driver.quit();
        }
    }
}
