package org.charnwood.app.rostering;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium with a phone-sized window (390 x 844 CSS pixels, a common handset), since the shift app is used
 * on the move; the system chromedriver only (nothing downloaded), and axe-core for WCAG 2.x A/AA checks.
 */
final class PhoneBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;
    private final String axe;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    PhoneBrowser(int port) {
        this.base = "http://localhost:" + port;
        try {
            profile = Files.createTempDirectory("charnwood-phone-");
            try (InputStream in = PhoneBrowser.class.getResourceAsStream("/axe/axe.min.js")) {
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=390,844");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    PhoneBrowser open(String path) {
        driver.get(base + path);
        return this;
    }

    /** Opens the path, signing in as the user first if the browser is not signed in as anyone. */
    PhoneBrowser openAs(String path, String username, String password) {
        open("/signin/done");
        if (present("form[action='/signout'] button")) {
            click("form[action='/signout'] button");
        }
        open(path);
        assertThat(path()).startsWith("/signin");
        type("#username", username).type("#password", password).click("form[action='/signin'] button");
        assertThat(path().replaceFirst("[?&]continue$", "")).isEqualTo(path);
        return this;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    PhoneBrowser type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /** Clicks, and for a button or link waits until the next page has replaced this one. */
    PhoneBrowser click(String css) {
        WebElement element = find(css);
        boolean navigates = element.getTagName().equals("button") || element.getTagName().equals("a");
        WebElement page = driver.findElement(By.tagName("html"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
        if (navigates) {
            try {
                new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.stalenessOf(page));
            } catch (TimeoutException e) {
                // stayed on the page
            }
        }
        return this;
    }

    String title() {
        return driver.getTitle();
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    /** Runs axe-core over the page and fails on any WCAG 2.x A or AA violation, naming each. */
    PhoneBrowser assertAccessible() {
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

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
