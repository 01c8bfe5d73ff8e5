package dev.mtlsprobe.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (no driver or browser download). Missing
 * outside CI: the test is skipped with one line; under CI=true it fails, since .ci/run installs both.
 */
public final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    public static ChromeDriver start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            Prerequisites.missing("chromium or chromedriver not found: install them with apt-get install -y "
                    + "--no-install-recommends chromium chromium-driver");
        }
        Path profile = Files.createTempDirectory("mtls-probe-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
        return driver;
    }

    public static void screenshot(ChromeDriver driver, String name) throws Exception {
        screenshot(driver, Path.of("target", "screenshots", name + ".png"));
    }

    /** A screenshot the README shows: written to src/docs/, so the documentation is what the test saw. */
    /**
     * A screenshot the README shows: into {@code target/screenshots} on every run, and over the committed one in
     * {@code src/docs} only when asked ({@code -Ddocs.screenshots=true}), so a test run leaves the tree clean.
     */
    public static void docsScreenshot(ChromeDriver driver, String name) throws Exception {
        screenshot(driver, Path.of("target", "screenshots", name + ".png"));
        if (Boolean.getBoolean("docs.screenshots")) {
            screenshot(driver, Path.of("src", "docs", name + ".png"));
        }
    }

    private static void screenshot(ChromeDriver driver, Path target) throws Exception {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
