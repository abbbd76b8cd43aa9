package org.charnwood.app.web;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient's or carer's page that goes wrong shows the patient layout, never the staff one (its menu of staff
 * pages, "Not signed in"), says in plain words what happened and what to do, and is a page whatever the browser
 * says it accepts.
 */
class PatientErrorPagesIntegrationTests extends CharnwoodIntegrationTest {

    private HttpClient signedInPatient() {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.patient("pe-" + System.nanoTime())),
                TestTokens.PASSWORD);
        return browser;
    }

    @Test
    void aBadAddressOnAPatientPageSaysToCheckItInThePatientLayout() {
        HttpResponse<String> r = tokens.get(signedInPatient(),
                "http://localhost:" + port + "/my/record-access?page=abc");
        assertThat(r.statusCode()).isEqualTo(400);
        assertPatientLayout(r.body());
        assertThat(r.body()).contains("There was a problem with the web address", "check it")
                .doesNotContain("Try again later");
    }

    @Test
    void anUnknownPatientPageIsNotFoundInThePatientLayout() {
        HttpResponse<String> r = tokens.get(signedInPatient(), "http://localhost:" + port + "/my/apps/x");
        assertThat(r.statusCode()).isEqualTo(404);
        assertPatientLayout(r.body());
        assertThat(r.body()).contains("Page not found", "Go to your health record");
    }

    @Test
    void aPatientPageErrorIsAPageWhateverTheBrowserAccepts() throws IOException, InterruptedException {
        HttpClient browser = signedInPatient();
        HttpResponse<String> r = browser.send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/my/record-access?page=abc")).header("Accept", "*/*").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertPatientLayout(r.body());
        assertThat(r.body()).doesNotContain("\"timestamp\"");
    }

    @Test
    void aPublicDirectoryPageThatIsNotThereIsNotFoundInThePublicLayout() throws IOException, InterruptedException {
        HttpResponse<String> r = TestTokens.browser().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/services/no-such-service")).header("Accept", "*/*").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("Page not found", "Find a community or mental health service", "call 111")
                .doesNotContain("href=\"/staff", "Not signed in", "Find a patient", "Your health record",
                        "\"timestamp\"");
    }

    private static void assertPatientLayout(String html) {
        assertThat(html).contains("Your health record").doesNotContain("href=\"/staff", "Not signed in",
                "Find a patient");
    }
}
