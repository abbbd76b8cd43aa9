package org.charnwood.app.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One headless Chromium for a test class, driven through the system chromedriver (no browser or driver is
 * ever downloaded), with axe-core injected to check each page for WCAG 2.x A and AA violations. Desk-sized by
 * default; {@link #phone(int)} gives a handset-sized window for the pages staff use on the move.
 */
public final class StaffBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;
    private final String axe;
    private final Duration navigationWait;

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public StaffBrowser(int port) {
        this(port, "1280,1024", Duration.ofSeconds(10));
    }

    /**
     * A browser with a phone-sized window (390 x 844 CSS pixels, a common handset). It waits longer for the next
     * page, since the roster pages it drives plan a roster before they answer.
     */
    public static StaffBrowser phone(int port) {
        return new StaffBrowser(port, "390,844", Duration.ofSeconds(60));
    }

    private StaffBrowser(int port, String windowSize, Duration navigationWait) {
        this.base = "http://localhost:" + port;
        this.navigationWait = navigationWait;
        try {
            profile = Files.createTempDirectory("charnwood-chromium-");
            try (InputStream in = StaffBrowser.class.getResourceAsStream("/axe/axe.min.js")) {
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Naming the driver and the binary keeps Selenium Manager from looking anything up or downloading.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=" + windowSize);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(navigationWait.plusSeconds(20));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public StaffBrowser open(String path) {
        driver.get(base + path);
        return this;
    }

    /**
     * Opens the path as the given user: signs out whoever is signed in, opens the path, signs in on the page it
     * leads to and checks the browser landed back on the path.
     */
    public StaffBrowser openAs(String path, String username, String password) {
        open("/signin/done");
        if (present("form[action='/signout'] button")) {
            click("form[action='/signout'] button");
        }
        open(path).signIn(username, password);
        assertThat(landedOn()).isEqualTo(path);
        return this;
    }

    /** Fills in and submits the sign-in page the browser is on. */
    public StaffBrowser signIn(String username, String password) {
        assertThat(path()).startsWith("/signin");
        return type("#username", username).type("#password", password).click("form[action='/signin'] button");
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    public boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    public StaffBrowser type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /**
     * Clicks the element; for a button or link, waits until the page it leads to has replaced this one, so the
     * next step reads the new page and not the old one still on screen (a button that stays on the page only
     * costs the wait).
     */
    public StaffBrowser click(String css) {
        WebElement element = find(css);
        boolean navigates = element.getTagName().equals("button") || element.getTagName().equals("a");
        WebElement page = driver.findElement(By.tagName("html"));
        // On a small window the element may be below the fold, where Chromium refuses to click it.
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
        if (navigates) {
            try {
                new WebDriverWait(driver, navigationWait).until(d -> gone(page));
                new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> "complete".equals(
                        ((JavascriptExecutor) d).executeScript("return document.readyState")));
            } catch (TimeoutException e) {
                // stayed on the page
            }
        }
        return this;
    }

    /**
     * Whether the element's document has been replaced. Chromium reports a node of an unloading document either
     * as stale or, mid-navigation, as "does not belong to the document": both mean the page has gone.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.WebDriverException e) {
            return true;
        }
    }

    public String title() {
        return driver.getTitle();
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    /**
     * The page the browser landed on after signing in: the page asked for, with the {@code continue} marker
     * Spring Security adds to the URL of a request it saved before sign-in taken off.
     */
    public String landedOn() {
        return path().replaceFirst("[?&]continue$", "");
    }

    /** Runs axe-core over the page and fails on any WCAG 2.x A or AA violation, naming each. */
    public StaffBrowser assertAccessible() {
        JavascriptExecutor js = driver;
        js.executeScript(axe);
        Object violations = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
                  .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at '
                      + v.nodes.map(n => n.target.join(' ')).join(', ')).join('\\n')))
                  .catch(e => done('axe failed: ' + e));""");
        assertThat((String) violations).as("accessibility violations on " + path()).isEmpty();
        return this;
    }

    /** Forgets the session, so the next staff page asks for sign-in again. */
    public StaffBrowser forgetSession() {
        driver.manage().deleteAllCookies();
        return this;
    }

    @Override
    public void close() {
        driver.quit();
        try {
            org.springframework.util.FileSystemUtils.deleteRecursively(profile);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
