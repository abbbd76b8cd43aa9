package org.charnwood.app.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An integration test that drives the running platform's pages in headless Chromium. The browser starts on first
 * use and closes after the test class; without Chromium installed the class is skipped, with a message saying how
 * to install it.
 */
public abstract class BrowserIntegrationTest extends CharnwoodIntegrationTest {

    private static StaffBrowser browser;

    @BeforeAll
    static void needsChromium() {
        assumeTrue(StaffBrowser.available(), "Chromium is not installed (/usr/bin/chromium and /usr/bin/chromedriver):"
                + " browser tests skipped. Install with: apt-get install -y chromium chromium-driver");
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** The test class's browser, started on first use. */
    protected StaffBrowser browser() {
        if (browser == null) {
            browser = newBrowser(port);
        }
        return browser;
    }

    /** The browser this class drives: desk-sized unless a class needs another. */
    protected StaffBrowser newBrowser(int port) {
        return new StaffBrowser(port);
    }
}
