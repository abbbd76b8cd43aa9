package org.charnwood.app.security.accounts;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person given a password by an administrator ({@code ./charnwood account add} or {@code password}) chooses their
 * own at the sign-in that follows, after the password and the authenticator code and before any page or app's
 * authorisation, and then goes on to where they were going. Second factor on for staff, as in production.
 */
@TestPropertySource(properties = "charnwood.security.staff-totp-required=true")
class InitialPasswordChangeIntegrationTests extends CharnwoodIntegrationTest {

    private static final String OWN_PASSWORD = "kettle orchard lantern pebble";

    @Autowired
    DataSource dataSource;

    private AccountCommands commands;

    @BeforeEach
    void commands() {
        commands = new AccountCommands(dataSource);
    }

    @Test
    void aStaffMemberMustReplaceTheGivenPasswordBeforeReachingAStaffPageOrAuthorisingAnApp() throws Exception {
        String given = commands.run("add", "--username=first.nurse", "--kind=staff", "--name=First Nurse",
                "--role=REGISTERED_NURSE", "--practitioner=Practitioner/staff-first", "--organisation=RX1")
                .initialPassword();
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, "first.nurse", given);
        String codePage = tokens.get(browser, base() + "/signin/second-factor").body();
        String secret = codePage.replaceAll("(?s).*id=\"totp-secret\">([^<]+)<.*", "$1");
        String afterCode = location(tokens.postForm(browser, base() + "/signin/second-factor", Map.of(
                "code", Totp.code(secret, clock.instant()), "_csrf", TestTokens.csrf(codePage)), true));

        HttpResponse<String> changePage = tokens.get(browser, base() + "/signin/new-password");
        HttpResponse<String> staffPage = tokens.get(browser, base() + "/staff/patients");
        String signInPage = location(tokens.get(browser, base() + "/signin"));
        HttpResponse<String> authorising = tokens.get(browser, authorizeUrl());
        HttpResponse<String> tooShort = choose(browser, "short words", "short words");
        HttpResponse<String> theGivenOne = choose(browser, given, given);
        HttpResponse<String> mismatched = choose(browser, OWN_PASSWORD, OWN_PASSWORD + "s");
        HttpResponse<String> withUsername = choose(browser, "first.nurse is me", "first.nurse is me");
        boolean askedBefore = changeAsked("first.nurse");
        String chosen = location(choose(browser, OWN_PASSWORD, OWN_PASSWORD));
        String authorised = location(tokens.get(browser, URI.create(base()).resolve(chosen).toString()));
        int staffPageAfter = tokens.get(browser, base() + "/staff/patients").statusCode();

        assertThat(afterCode).endsWith("/signin/new-password");
        assertThat(changePage.statusCode()).isEqualTo(200);
        assertThat(changePage.body()).contains("<h1 class=\"nhsuk-heading-l\">Choose a new password</h1>",
                "name=\"_csrf\"", "autocomplete=\"new-password\"", "for=\"new-password\"", "for=\"confirm-password\"");
        assertThat(changePage.headers().firstValue("Cache-Control")).contains("no-store");
        // Not signed in yet: every page and the authorisation endpoint send them back, and sign-in sends them here.
        assertThat(staffPage.statusCode()).isEqualTo(302);
        assertThat(location(staffPage)).endsWith("/signin");
        assertThat(signInPage).endsWith("/signin/new-password");
        assertThat(authorising.statusCode()).isEqualTo(302);
        assertThat(location(authorising)).endsWith("/signin").doesNotContain("code=");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("must be at least 12 characters long", "aria-invalid=\"true\"",
                "href=\"#new-password\"");
        assertThat(theGivenOne.statusCode()).isEqualTo(400);
        assertThat(theGivenOne.body()).contains("must be different from the password you were given");
        assertThat(mismatched.statusCode()).isEqualTo(400);
        assertThat(mismatched.body()).contains("The passwords do not match", "href=\"#confirm-password\"");
        assertThat(withUsername.statusCode()).isEqualTo(400);
        assertThat(withUsername.body()).contains("must not contain your username");
        assertThat(askedBefore).isTrue();
        // Then on to where they were going last: the app's authorisation, which now answers the app with a code.
        assertThat(chosen).contains("/oauth2/authorize?");
        assertThat(authorised).startsWith(TestTokens.TEST_APP_REDIRECT).contains("code=");
        assertThat(staffPageAfter).isEqualTo(200);
        assertThat(changeAsked("first.nurse")).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from audit.event where subtype = 'own-password-chosen'"
                + " and content like '%account first.nurse chose their own password%'", Long.class)).isEqualTo(1);
    }

    @Test
    void afterTheChangeTheOwnPasswordSignsInStraightAndTheGivenOneNoLonger() throws Exception {
        String given = patient("own.patient").initialPassword();
        HttpClient browser = TestTokens.browser();
        String afterPassword = tokens.signIn(browser, "own.patient", given);
        HttpResponse<String> personalPage = tokens.get(browser, base() + "/my/record-access");
        String chosen = location(choose(browser, OWN_PASSWORD, OWN_PASSWORD));

        String withOwn = tokens.signIn(TestTokens.browser(), "own.patient", OWN_PASSWORD);
        String withGiven = tokens.signIn(TestTokens.browser(), "own.patient", given);

        assertThat(afterPassword).endsWith("/signin/new-password");
        assertThat(location(personalPage)).endsWith("/signin");
        assertThat(chosen).endsWith("/my/record-access?continue");
        assertThat(withOwn).endsWith("/signin/done");
        assertThat(withGiven).endsWith("/signin?error");
    }

    @Test
    void aCommonOrEasilyGuessedPasswordIsRefusedSayingWhatToDoAndNothingIsStored() throws Exception {
        String given = patient("weak.patient").initialPassword();
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, "weak.patient", given);
        String hashBefore = jdbc.queryForObject("select password_hash from auth.account where username = ?",
                String.class, "weak.patient");

        // A common password stretched to length, a keyboard row, a repeat, a sequence, this service's name and a year.
        for (String weak : java.util.List.of("password1234", "iloveyou1234", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa",
                "abcdefghijklmnop", "charnwood2026!")) {
            HttpResponse<String> refused = choose(browser, weak, weak);
            assertThat(refused.statusCode()).as(weak).isEqualTo(400);
            assertThat(refused.body()).as(weak).contains("too easy to guess",
                    "Use three or four words that are not connected", "href=\"#new-password\"", "aria-invalid=\"true\"");
        }
        assertThat(changeAsked("weak.patient")).isTrue();
        assertThat(jdbc.queryForObject("select password_hash from auth.account where username = ?", String.class,
                "weak.patient")).isEqualTo(hashBefore);
        assertThat(choose(browser, OWN_PASSWORD, OWN_PASSWORD).statusCode() / 100).isEqualTo(3);
        assertThat(changeAsked("weak.patient")).isFalse();
    }

    @Test
    void aPasswordGivenAgainWhileThePersonIsChoosingTheirsIsNotOverwritten() throws Exception {
        String first = patient("twice.patient").initialPassword();
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, "twice.patient", first);
        String second = commands.run("password", "twice.patient").initialPassword();
        // The new password ends the half-finished sign-in at the server within a second (AccountEndings).
        Thread.sleep(AccountEndings.SYNC_INTERVAL.toMillis() + 200);

        HttpResponse<String> form = tokens.get(browser, base() + "/signin/new-password");
        String csrf = TestTokens.csrf(tokens.get(browser, base() + "/signin").body());
        String refused = location(tokens.postForm(browser, base() + "/signin/new-password",
                Map.of("newPassword", OWN_PASSWORD, "confirmPassword", OWN_PASSWORD, "_csrf", csrf), true));
        String withOwn = tokens.signIn(TestTokens.browser(), "twice.patient", OWN_PASSWORD);
        String withSecond = tokens.signIn(TestTokens.browser(), "twice.patient", second);

        assertThat(location(form)).endsWith("/signin");
        assertThat(refused).endsWith("/signin");
        assertThat(withOwn).endsWith("/signin?error");
        assertThat(withSecond).endsWith("/signin/new-password");
        assertThat(changeAsked("twice.patient")).isTrue();
    }

    @Test
    void theStepRunsOutAfterTheIdleTimeAndTheAccountsOwnPeopleAreNotAsked() throws Exception {
        String given = patient("slow.patient").initialPassword();
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, "slow.patient", given);
        clock.advance(java.time.Duration.ofMinutes(16));
        HttpResponse<String> late = tokens.get(browser, base() + "/signin/new-password");
        // Accounts made any other way (as the demo accounts are) are not asked.
        String other = tokens.signIn(TestTokens.browser(), tokens.account(TestTokens.Caller.patient("p-other")),
                TestTokens.PASSWORD);

        assertThat(late.statusCode()).isEqualTo(303);
        assertThat(location(late)).endsWith("/signin");
        assertThat(changeAsked("slow.patient")).isTrue();
        assertThat(other).endsWith("/signin/done");
    }

    private AccountCommands.Run patient(String username) throws Exception {
        AccountCommands.Run run = commands.run("add", "--username=" + username, "--kind=patient",
                "--name=Pat " + username, "--patient=p-" + username.replace('.', '-'));
        assertThat(run.status()).as(run.err()).isZero();
        return run;
    }

    private boolean changeAsked(String username) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select password_change_required from auth.account where username = ?", Boolean.class, username));
    }

    private HttpResponse<String> choose(HttpClient browser, String password, String again) {
        String csrf = TestTokens.csrf(tokens.get(browser, base() + "/signin/new-password").body());
        return tokens.postForm(browser, base() + "/signin/new-password",
                Map.of("newPassword", password, "confirmPassword", again, "_csrf", csrf), true);
    }

    private String authorizeUrl() {
        return base() + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + enc(TestTokens.TEST_APP_REDIRECT) + "&scope=" + enc("openid fhirUser user/*.rs")
                + "&state=" + TestTokens.randomString() + "&aud=" + enc(base() + "/fhir")
                + "&code_challenge=" + TestTokens.s256(TestTokens.randomString()) + "&code_challenge_method=S256";
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
