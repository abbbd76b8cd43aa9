package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the record entry form tests share: the ward patient, a nurse on the ward team and one without a
 * relationship, both signed in on the sign-in page, and posting forms with the page's CSRF token.
 */
abstract class RecordEntryPagesTest extends CharnwoodIntegrationTest {

    static final TestTokens.Caller WARD_NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);
    static final TestTokens.Caller OTHER_NURSE = TestTokens.Caller.staff("Practitioner/staff-002",
            AccessRole.REGISTERED_NURSE);

    /** The record summary, a page every member of staff may open, for a CSRF token where a form is refused. */
    static final String SUMMARY = "/staff/patients/p1";

    @Autowired
    CareRelationships relationships;

    HttpClient nurse;

    @BeforeEach
    void aPatientOnTheWardAndHerNurseSignedIn() {
        WardFixture.load(http);
        relationships.forgetAll();
        nurse = signedIn(WARD_NURSE);
    }

    HttpClient signedIn(TestTokens.Caller caller) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(caller), TestTokens.PASSWORD);
        return browser;
    }

    HttpResponse<String> get(HttpClient browser, String path) {
        return tokens.get(browser, "http://localhost:" + port + path);
    }

    String page(HttpClient browser, String path) {
        HttpResponse<String> r = get(browser, path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** Opens the form page and posts the fields with its CSRF token. */
    HttpResponse<String> submit(HttpClient browser, String formPath, String postPath, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("_csrf", csrf(page(browser, formPath)));
        return tokens.postForm(browser, "http://localhost:" + port + postPath, form, true);
    }

    static Map<String, String> fields(String... nameValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], nameValues[i + 1]);
        }
        return map;
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }

    static void redirectedToSummary(HttpResponse<String> r, String anchor) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/staff/patients/p1#" + anchor);
    }

    int count(String search) {
        return http.get("/fhir/" + search).bundle().getEntry().size();
    }
}
