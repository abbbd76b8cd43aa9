package org.charnwood.app.security.accounts;

import org.charnwood.app.audit.AccountAdministrationCommand;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.AccountCommand;
import org.charnwood.app.security.Requester;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.RecordedSecurityEvents;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator's {@code ./charnwood account disable}, {@code password} and {@code reset-totp}, run beside the
 * server, end the account's signed-in sessions there within a second, and any sign-in of it still half-finished.
 */
class AccountEndingIntegrationTests extends CharnwoodIntegrationTest {

    private static final String PASSWORD = "a long and memorable passphrase";
    private static final String LOGOUT = "http://dicom.nema.org/resources/ontology/DCM|110123";

    @Autowired
    AccountStore accounts;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    RecordedSecurityEvents events;

    @Autowired
    DataSource dataSource;

    private Account staff(String totpSecret) {
        String id = "acct-" + UUID.randomUUID();
        Account account = new Account(id, "user-" + id, Requester.Kind.STAFF, "Test Nurse", passwords.encode(PASSWORD),
                "Practitioner/staff-021", null, null, Set.of(AccessRole.REGISTERED_NURSE), "RX1", totpSecret,
                totpSecret != null, 0, null, true);
        accounts.save(account);
        return account;
    }

    private HttpClient signedIn(Account account) {
        HttpClient browser = TestTokens.browser();
        assertThat(tokens.signIn(browser, account.username(), PASSWORD)).endsWith("/signin/done");
        assertThat(staffPage(browser).statusCode()).isEqualTo(200);
        return browser;
    }

    private HttpResponse<String> staffPage(HttpClient browser) {
        return tokens.get(browser, "http://localhost:" + port + "/staff/run-sheet");
    }

    private static void assertSentToSignIn(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/signin");
    }

    /**
     * Runs the account command as the administrator would, then waits as long as a server takes to notice. Answers
     * the lines it printed.
     */
    private List<String> command(String... args) throws Exception {
        int status;
        var printed = new ByteArrayOutputStream();
        try (Connection c = dataSource.getConnection()) {
            status = new AccountCommand(c, new PrintStream(printed, true, StandardCharsets.UTF_8), System.err,
                    "test-operator", AccountAdministrationCommand::record).run(args);
        }
        assertThat(status).isZero();
        Thread.sleep(AccountEndings.SYNC_INTERVAL.toMillis() + 200);
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void disablingTheAccountSignsItsBrowserSessionOutAndRecordsWhy() throws Exception {
        Account leaver = staff(null);
        HttpClient browser = signedIn(leaver);
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        command("disable", leaver.username());

        assertSentToSignIn(staffPage(browser));
        assertSentToSignIn(staffPage(browser));
        assertThat(events.signOuts(leaver.id())).singleElement().satisfies(e -> {
            assertThat(e.timedOut()).isFalse();
            assertThat(e.reason()).isEqualTo("account disabled");
        });
        assertThat(jdbc.queryForList("select content from audit.event where seq > ? and type = ? and subtype = ?",
                String.class, before, "http://dicom.nema.org/resources/ontology/DCM|110114", "110123"))
                .singleElement().satisfies(content -> assertThat(content).contains("account disabled"));
    }

    @Test
    void aNewPasswordFromTheAdministratorSignsOutEverySessionOfTheAccountOnly() throws Exception {
        Account compromised = staff(null);
        HttpClient onWard = signedIn(compromised);
        HttpClient elsewhere = signedIn(compromised);
        Account colleague = staff(null);
        HttpClient colleagues = signedIn(colleague);

        command("password", compromised.username());

        assertSentToSignIn(staffPage(onWard));
        assertSentToSignIn(staffPage(elsewhere));
        assertThat(staffPage(colleagues).statusCode()).isEqualTo(200);
        assertThat(events.signOuts(compromised.id())).hasSize(2)
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo("new password given by an administrator"));
        assertThat(events.signOuts(colleague.id())).isEmpty();
    }

    @Test
    void resettingTheAuthenticatorSignsTheAccountOut() throws Exception {
        Account account = staff(null);
        HttpClient browser = signedIn(account);

        command("reset-totp", account.username());

        assertSentToSignIn(staffPage(browser));
        assertThat(events.signOuts(account.id())).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("authenticator reset by an administrator"));
    }

    @Test
    void aSignInWaitingForItsSecondFactorCannotFinishOnceTheAdministratorSetsANewPassword() throws Exception {
        String secret = Totp.newSecret();
        Account account = staff(secret);
        HttpClient browser = TestTokens.browser();
        assertThat(tokens.signIn(browser, account.username(), PASSWORD)).endsWith("/signin/second-factor");
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/second-factor").body();

        command("password", account.username());
        var afterCode = tokens.postForm(browser, "http://localhost:" + port + "/signin/second-factor",
                Map.of("code", Totp.code(secret, clock.instant()), "_csrf", csrf(page)), true);

        assertThat(afterCode.headers().firstValue("Location").orElse("")).endsWith("/signin");
        assertSentToSignIn(staffPage(browser));
    }

    @Test
    void choosingTheirOwnPasswordAfterAGivenOneKeepsThePersonSignedIn() throws Exception {
        Account account = staff(null);
        // The new initial password is the line after the one announcing it.
        String given = command("password", account.username()).get(1);
        HttpClient browser = TestTokens.browser();

        assertThat(tokens.signIn(browser, account.username(), given)).endsWith(NewPasswordPage.PATH);
        String form = tokens.get(browser, "http://localhost:" + port + NewPasswordPage.PATH).body();
        var chosen = tokens.postForm(browser, "http://localhost:" + port + NewPasswordPage.PATH,
                Map.of("newPassword", PASSWORD + " of my own", "confirmPassword", PASSWORD + " of my own",
                        "_csrf", csrf(form)), true);
        Thread.sleep(AccountEndings.SYNC_INTERVAL.toMillis() + 200);

        assertThat(chosen.headers().firstValue("Location").orElse("")).endsWith("/signin/done");
        assertThat(staffPage(browser).statusCode()).isEqualTo(200);
        assertThat(events.signOuts(account.id())).isEmpty();
    }

    private static String csrf(String html) {
        return html.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
    }
}
