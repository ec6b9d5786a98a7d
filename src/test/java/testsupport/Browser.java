package testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by its chromedriver, with a screenshot of every page visited
 * under {@code target/screenshots/<test>/}. Shop hosts are {@code *.shops.localhost}, which Chromium
 * resolves to loopback by itself.
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
    private static final String DRIVER = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");

    private final WebDriver driver;
    private final Path screenshots;
    private final Path profile;
    /** Screenshot numbers per test, across the browsers a test opens; each test's folder is emptied on first use. */
    private static final java.util.Map<Path, java.util.concurrent.atomic.AtomicInteger> SHOTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Browser(String test, int width, int height) {
        this.screenshots = Path.of("target", "screenshots", test);
        try {
            if (!SHOTS.containsKey(screenshots) && Files.isDirectory(screenshots)) {
                try (var old = Files.list(screenshots)) {
                    old.forEach(p -> p.toFile().delete());
                }
            }
            SHOTS.putIfAbsent(screenshots, new java.util.concurrent.atomic.AtomicInteger());
            Files.createDirectories(screenshots);
            this.profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().window().setSize(new Dimension(width, height));
    }

    public Browser(String test) {
        this(test, 1280, 900);
    }

    /** Opens a page and saves its screenshot. */
    public Browser open(String url, String name) {
        driver.get(url);
        return shot(name);
    }

    /** Saves a screenshot of the page as it is now, numbered in the order taken. */
    public Browser shot(String name) {
        File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(file.toPath(), screenshots.resolve(String.format("%02d-%s.png", SHOTS.get(screenshots).incrementAndGet(), name)),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public Browser type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /**
     * Clicks and waits until the browser shows the next page, fully loaded: the current page is marked
     * first, and the mark is gone once another document has replaced it. Errors of the driver while
     * the page is being replaced are retried.
     */
    public Browser clickAndWait(String css) {
        script("window.__leaving = true");
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "return window.__leaving !== true && document.readyState === 'complete'")));
        return this;
    }

    public String text(String css) {
        return find(css).getText();
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String source() {
        return driver.getPageSource();
    }

    public Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    /** Every visible form control of the page has a label (by {@code for}, wrapping, or aria-label). */
    public void assertEveryInputLabelled() {
        Object unlabelled = script("return Array.from(document.querySelectorAll('input, select, textarea'))"
                + ".filter(e => e.type !== 'hidden' && !e.hidden && e.type !== 'submit')"
                + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
                + ".map(e => e.name || e.id).join(',')");
        assertEquals("", unlabelled, "inputs without a label on " + url());
    }

    /** The page fits the window's width (no sideways scrolling). */
    public void assertFitsWidth() {
        Object fits = script("return document.documentElement.scrollWidth <= window.innerWidth");
        assertTrue(Boolean.TRUE.equals(fits), "page wider than the window: " + url());
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
