package dev.mtlsprobe.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.PageSettings;
import dev.mtlsprobe.demo.DemoMesh;
import dev.mtlsprobe.demo.DemoProfile;
import dev.mtlsprobe.testsupport.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser against the demo mesh (dev mode): both roles in one process, the policy switch
 * turning the naked cell to fail with the alert, its runbook and the fix, and back.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class MatrixPageTest {

    @TestHTTPResource("/")
    URL page;

    @Test
    void showsTheMatrixAndFollowsThePolicySwitch() throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            driver.get(page.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
            wait.until(d -> d.findElement(By.id("summary")).getText().equals("mTLS enforced"));
            String naked = driver.findElement(By.id("cell-naked-httpbin")).getText();
            String sidecar = driver.findElement(By.id("cell-sidecar-httpbin")).getText();
            assertTrue(naked.startsWith("PASS") && naked.contains("reset"), naked);
            assertTrue(sidecar.startsWith("PASS") && sidecar.contains("mtls"), sidecar);
            assertTrue(sidecar.contains(DemoMesh.CLIENT_ID + " \u2192 " + DemoMesh.SERVER_ID), sidecar);
            assertTrue(driver.findElement(By.id("demo")).isDisplayed(), "dev mode shows the demo controls");
            assertTrue(driver.findElement(By.id("demo")).getText().contains("demo mesh"));
            assertEquals("off", driver.findElement(By.id("peer")).getAttribute("data-state"));
            Browser.docsScreenshot(driver, "matrix-strict");

            driver.findElement(By.id("permissive")).click();
            wait.until(d -> d.findElement(By.id("cell-naked-httpbin")).getText().startsWith("FAIL"));
            assertTrue(driver.findElement(By.id("cell-naked-httpbin")).getText().contains("plaintext"));
            wait.until(d -> d.findElement(By.id("summary")).getText().equals("mTLS NOT enforced"));
            assertEquals("fail", driver.findElement(By.id("cell-naked-httpbin")).getAttribute("data-verdict"));
            String failing = driver.findElement(By.id("cell-naked-httpbin")).getText();
            assertTrue(failing.contains("failing since") && failing.contains("last pass"), failing);
            WebElement runbook = driver.findElement(By.cssSelector("#cell-naked-httpbin .advice a"));
            assertEquals("MtlsProbePlaintextAccepted", runbook.getText());
            assertEquals(PageSettings.DEFAULT_RUNBOOKS.replace("%s", "MtlsProbePlaintextAccepted"),
                    runbook.getAttribute("href"));
            assertTrue(driver.findElement(By.cssSelector("#cell-naked-httpbin code.command")).getText()
                    .contains("patch peerauthentication"), failing);
            Browser.docsScreenshot(driver, "matrix-permissive");

            driver.findElement(By.id("strict")).click();
            wait.until(d -> d.findElement(By.id("cell-naked-httpbin")).getText().startsWith("PASS"));
            wait.until(d -> d.findElement(By.id("summary")).getText().equals("mTLS enforced"));
        } finally {
            driver.quit();
        }
    }
}
