package org.charnwood.app.web;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page whose handler fails with a message quoting patient data (as a database or parser error does) leaves only
 * the failure's types and frames in the log, and shows the person the trust's error page with status 500: on a
 * staff page, signed in, and on a public page of the portal.
 */
@ExtendWith(OutputCaptureExtension.class)
class UncaughtPageFailuresIntegrationTests extends CharnwoodIntegrationTest {

    /** A patient's name, as a failing row or value would be quoted. */
    private static final String NAME = "Quartermaine-Zebedee";

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final List<RequestMappingInfo> mapped = new ArrayList<>();

    /** A page that fails as one reading a patient's record might, when the database refuses a row. */
    public static final class FailingPage {
        public String show() throws SQLException {
            throw new IllegalStateException("could not show the record of " + NAME,
                    new SQLException("ERROR: value too long; Failing row contains (p1, " + NAME + ")"));
        }
    }

    @BeforeEach
    void failingPages() throws NoSuchMethodException {
        for (String path : List.of("/staff/failing-page", "/services/failing-page")) {
            RequestMappingInfo info = RequestMappingInfo.paths(path).methods(RequestMethod.GET)
                    .options(mappings.getBuilderConfiguration()).build();
            mappings.registerMapping(info, new FailingPage(), FailingPage.class.getMethod("show"));
            mapped.add(info);
        }
    }

    @AfterEach
    void removeThem() {
        mapped.forEach(mappings::unregisterMapping);
    }

    @Test
    void aFailingStaffPageIsLoggedWithoutItsMessagesAndShowsTheErrorPage(CapturedOutput output) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(NURSE), TestTokens.PASSWORD);

        HttpResponse<String> page = tokens.get(browser, "http://localhost:" + port + "/staff/failing-page");

        assertFailureHandled(page, output);
    }

    @Test
    void aFailingPublicPageIsLoggedWithoutItsMessagesAndShowsTheErrorPage(CapturedOutput output) {
        HttpResponse<String> page = tokens.get(TestTokens.browser(), "http://localhost:" + port + "/services/failing-page");

        assertFailureHandled(page, output);
    }

    @Test
    void aFormTheContainerCannotDecodeIsTheCallersFaultAndIsNotLogged(CapturedOutput output) {
        String malformed = "username=" + NAME + "&password=" + NAME + "%ZZ&_csrf=x";
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/signin"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(malformed)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain(NAME);
        assertThat(output.getAll()).doesNotContain("Page request failed").doesNotContain(NAME);
    }

    @Test
    void aRequestLineTheContainerCannotParseIsRefusedWithoutLoggingItsQuery(CapturedOutput output) throws Exception {
        String status;
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /fhir/Patient?name=" + NAME + "<> HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }

        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(output.getAll()).doesNotContain(NAME);
    }

    @Test
    void aQueryStringTheContainerCannotDecodeIsTheCallersMistakeNotAnIncident(CapturedOutput output) throws Exception {
        // A '%' not followed by two hex digits; sent as it is, since an HTTP client would refuse to send it.
        String status;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /login?username=Quixotic%zz HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            status = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .lines().findFirst().orElse("");
        }

        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(output.getAll()).doesNotContain("Page request failed", "Quixotic");
    }

    private static void assertFailureHandled(HttpResponse<String> page, CapturedOutput output) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(500);
        assertThat(page.body()).contains("Sorry, there is a problem with the service").doesNotContain(NAME);
        assertThat(output.getAll()).contains("Page request failed: incident=", IllegalStateException.class.getName(),
                SQLException.class.getName(), "at " + FailingPage.class.getName() + ".show")
                .doesNotContain(NAME);
    }
}
