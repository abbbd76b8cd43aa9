package org.charnwood.app.security.accounts;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside the demo and dev profiles every local staff account needs a TOTP code, enrolled at its first sign-in;
 * accounts are made with the account command. This application has the requirement on, as production has it.
 */
@TestPropertySource(properties = "charnwood.security.staff-totp-required=true")
class StaffSecondFactorIntegrationTests extends CharnwoodIntegrationTest {

    /** What people choose in place of the password they were given. */
    static final String OWN_PASSWORD = "kettle orchard lantern pebble";

    @Autowired
    DataSource dataSource;

    @Test
    void aStaffAccountMadeByTheCommandEnrolsAnAuthenticatorAndThenNeedsItsCodeUntilDisabled() throws Exception {
        String[] created = command("add", "--username=new.nurse", "--kind=staff", "--name=New Nurse",
                "--role=REGISTERED_NURSE", "--practitioner=Practitioner/staff-new", "--organisation=RX1");
        String password = created[1].lines().toList().get(1);
        HttpClient browser = TestTokens.browser();

        String afterPassword = tokens.signIn(browser, "new.nurse", password);
        var staffBeforeCode = tokens.get(browser, base() + "/staff/patients");
        String page = tokens.get(browser, base() + "/signin/second-factor").body();
        String secret = page.replaceAll("(?s).*id=\"totp-secret\">([^<]+)<.*", "$1");
        String enrolled = postCode(browser, page, Totp.code(secret, clock.instant()));
        String chosen = choosePassword(browser, OWN_PASSWORD).headers().firstValue("Location").orElse("");
        int staffAfterCode = tokens.get(browser, base() + "/staff/patients").statusCode();

        clock.advance(Duration.ofSeconds(30));
        HttpClient again = TestTokens.browser();
        String secondSignIn = tokens.signIn(again, "new.nurse", OWN_PASSWORD);
        String secondPage = tokens.get(again, base() + "/signin/second-factor").body();
        String secondDone = postCode(again, secondPage, Totp.code(secret, clock.instant()));

        String[] disabled = command("disable", "--username=new.nurse");
        String afterDisable = tokens.signIn(TestTokens.browser(), "new.nurse", OWN_PASSWORD);

        assertThat(created[0]).isEqualTo("0");
        assertThat(afterPassword).endsWith("/signin/second-factor");
        assertThat(staffBeforeCode.statusCode()).isEqualTo(302);
        assertThat(staffBeforeCode.headers().firstValue("Location").orElseThrow()).contains("/signin");
        // The given password is replaced first; then back to the page they asked for, now that they may see it.
        assertThat(enrolled).endsWith("/signin/new-password");
        assertThat(chosen).endsWith("/staff/patients?continue");
        assertThat(staffAfterCode).isEqualTo(200);
        assertThat(secondSignIn).endsWith("/signin/second-factor");
        assertThat(secondPage).doesNotContain("totp-uri");
        assertThat(secondDone).endsWith("/signin/done");
        assertThat(disabled[0]).isEqualTo("0");
        assertThat(afterDisable).endsWith("/signin?error");
        assertThat(jdbc.queryForList("select action from audit.event where subtype = 'account-administration'"
                + " and content like '%account new.nurse %' order by seq", String.class)).containsExactly("C", "U");
    }

    @Test
    void resettingTheAuthenticatorTakesTheNextSignInThroughEnrolmentAgain() throws Exception {
        String password = command("add", "--username=reset.nurse", "--kind=staff", "--name=Reset Nurse",
                "--role=REGISTERED_NURSE", "--practitioner=Practitioner/staff-reset")[1].lines().toList().get(1);
        jdbc.update("update auth.account set totp_secret = 'JBSWY3DPEHPK3PXP' where username = 'reset.nurse'");

        String[] reset = command("reset-totp", "--username=reset.nurse");
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, "reset.nurse", password);
        String page = tokens.get(browser, base() + "/signin/second-factor").body();

        assertThat(reset[0]).isEqualTo("0");
        assertThat(page).contains("totp-uri");
    }

    @Test
    void theCommandRefusesAnIncompleteStaffAccountAndADuplicateUsername() throws Exception {
        String[] noPractitioner = command("add", "--username=half.nurse", "--kind=staff", "--name=Half",
                "--role=REGISTERED_NURSE");
        command("add", "--username=twice.nurse", "--kind=staff", "--name=Twice", "--role=REGISTERED_NURSE",
                "--practitioner=Practitioner/twice");
        String[] duplicate = command("add", "--username=Twice.Nurse", "--kind=staff", "--name=Twice",
                "--role=REGISTERED_NURSE", "--practitioner=Practitioner/twice");

        assertThat(noPractitioner[0]).isEqualTo("2");
        assertThat(noPractitioner[2]).contains("--practitioner");
        assertThat(duplicate[0]).isEqualTo("1");
        assertThat(duplicate[2]).contains("exists already");
    }

    @Test
    void enablingADisabledAccountLetsItSignInAgainAndSaysWhatItDid() throws Exception {
        String password = patient("gone.patient");
        command("disable", "gone.patient");
        String whileDisabled = tokens.signIn(TestTokens.browser(), "gone.patient", password);

        String[] enabled = command("enable", "gone.patient");
        String afterEnable = tokens.signIn(TestTokens.browser(), "gone.patient", password);
        String[] again = command("enable", "--username=gone.patient");

        assertThat(whileDisabled).endsWith("/signin?error");
        assertThat(enabled[0]).isEqualTo("0");
        assertThat(enabled[1]).contains("gone.patient: enabled; it was not locked");
        // Still the password they were given: choosing their own comes next.
        assertThat(afterEnable).endsWith("/signin/new-password");
        assertThat(again[1]).contains("gone.patient: was enabled already; it was not locked");
        assertThat(jdbc.queryForList("select action from audit.event where subtype = 'account-administration'"
                + " and content like '%account gone.patient %' order by seq", String.class))
                .containsExactly("C", "U", "U", "U");
    }

    @Test
    void enablingALockedAccountClearsTheLockout() throws Exception {
        String password = patient("locked.patient");
        for (int i = 0; i < 5; i++) {
            tokens.signIn(TestTokens.browser(), "locked.patient", "not the password " + i);
        }
        String whileLocked = tokens.signIn(TestTokens.browser(), "locked.patient", password);

        String[] enabled = command("enable", "locked.patient");
        String afterEnable = tokens.signIn(TestTokens.browser(), "locked.patient", password);

        assertThat(whileLocked).endsWith("/signin?error");
        assertThat(enabled[0]).isEqualTo("0");
        assertThat(enabled[1]).contains("locked.patient: was enabled already; lockout cleared (it was locked until ");
        assertThat(afterEnable).endsWith("/signin/new-password");
    }

    @Test
    void aNewInitialPasswordReplacesTheOldOneClearsALockoutAndIsChangedAtTheNextSignIn() throws Exception {
        String given = patient("forgot.patient");
        HttpClient first = TestTokens.browser();
        tokens.signIn(first, "forgot.patient", given);
        choosePassword(first, OWN_PASSWORD);
        for (int i = 0; i < 5; i++) {
            tokens.signIn(TestTokens.browser(), "forgot.patient", "forgotten " + i);
        }

        String[] reset = command("password", "forgot.patient");
        String newGiven = reset[1].lines().toList().get(1);
        String withOld = tokens.signIn(TestTokens.browser(), "forgot.patient", OWN_PASSWORD);
        HttpClient browser = TestTokens.browser();
        String withNew = tokens.signIn(browser, "forgot.patient", newGiven);
        String chosen = choosePassword(browser, "a second password of my own").headers().firstValue("Location")
                .orElse("");

        assertThat(reset[0]).isEqualTo("0");
        assertThat(reset[1]).contains("shown once", "they choose their own password at their next sign-in");
        assertThat(newGiven).hasSize(20).isNotEqualTo(given);
        assertThat(withOld).endsWith("/signin?error");
        assertThat(withNew).endsWith("/signin/new-password");
        assertThat(chosen).endsWith("/signin/done");
        assertThat(jdbc.queryForObject("select content from audit.event where subtype = 'account-administration'"
                + " and content like '%account forgot.patient given a new initial password%'", String.class))
                .contains("account-command:test-operator");
    }

    @Test
    void aDisabledAccountGivenANewPasswordStaysDisabledAndTheCommandSaysSo() throws Exception {
        patient("off.patient");
        command("disable", "off.patient");

        String[] reset = command("password", "off.patient");
        String withNew = tokens.signIn(TestTokens.browser(), "off.patient", reset[1].lines().toList().get(1));

        assertThat(reset[0]).isEqualTo("0");
        assertThat(reset[1]).contains("the account is disabled: ./charnwood account enable off.patient");
        assertThat(withNew).endsWith("/signin?error");
    }

    @Test
    void theCommandNeitherEnablesADemoAccountNorGivesItAPasswordNorKnowsAnUnknownOne() throws Exception {
        jdbc.update("""
                insert into auth.account (id, username, kind, display_name, password_hash, roles, enabled)
                values ('demo-ig', 'demo.ig', 'STAFF', 'Demo IG', '{argon2}x', 'INFORMATION_GOVERNANCE', false)
                on conflict (id) do nothing""");

        String[] enable = command("enable", "demo.ig");
        String[] password = command("password", "demo.ig");
        String[] unknown = command("enable", "nobody.here");
        String[] nameless = command("enable");

        assertThat(enable[0]).isEqualTo("1");
        assertThat(enable[2]).contains("demo account");
        assertThat(password[0]).isEqualTo("1");
        assertThat(password[1]).isEmpty();
        assertThat(unknown[0]).isEqualTo("1");
        assertThat(unknown[2]).contains("no account named nobody.here");
        assertThat(nameless[0]).isEqualTo("2");
        assertThat(jdbc.queryForObject("select enabled from auth.account where id = 'demo-ig'", Boolean.class))
                .isFalse();
    }

    /** A patient's account made by the command (no second factor); answers the password it printed. */
    private String patient(String username) throws Exception {
        String[] created = command("add", "--username=" + username, "--kind=patient", "--name=Pat " + username,
                "--patient=p-" + username.replace('.', '-'));
        assertThat(created[0]).as(created[2]).isEqualTo("0");
        return created[1].lines().toList().get(1);
    }

    /** Runs the command on the test database: exit status, what it printed, what it complained of. */
    private String[] command(String... args) throws Exception {
        AccountCommands.Run run = new AccountCommands(dataSource).run(args);
        return new String[]{String.valueOf(run.status()), run.out(), run.err()};
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** Chooses a new password on the page a sign-in with a given password is sent to. */
    private HttpResponse<String> choosePassword(HttpClient browser, String password) {
        return choosePassword(browser, password, password);
    }

    private HttpResponse<String> choosePassword(HttpClient browser, String password, String again) {
        String csrf = TestTokens.csrf(tokens.get(browser, base() + "/signin/new-password").body());
        return tokens.postForm(browser, base() + "/signin/new-password",
                Map.of("newPassword", password, "confirmPassword", again, "_csrf", csrf), true);
    }

    private String postCode(HttpClient browser, String page, String code) {
        return tokens.postForm(browser, base() + "/signin/second-factor",
                Map.of("code", code, "_csrf", page.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1")),
                true).headers().firstValue("Location").orElse("");
    }
}
