package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccountCommand;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside the demo and dev profiles every local staff account needs a TOTP code, enrolled at its first sign-in;
 * accounts are made with the account command. This application has the requirement on, as production has it.
 */
@TestPropertySource(properties = "charnwood.security.staff-totp-required=true")
class StaffSecondFactorIntegrationTests extends CharnwoodIntegrationTest {

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
        int staffAfterCode = tokens.get(browser, base() + "/staff/patients").statusCode();

        clock.advance(Duration.ofSeconds(30));
        HttpClient again = TestTokens.browser();
        String secondSignIn = tokens.signIn(again, "new.nurse", password);
        String secondPage = tokens.get(again, base() + "/signin/second-factor").body();
        String secondDone = postCode(again, secondPage, Totp.code(secret, clock.instant()));

        String[] disabled = command("disable", "--username=new.nurse");
        String afterDisable = tokens.signIn(TestTokens.browser(), "new.nurse", password);

        assertThat(created[0]).isEqualTo("0");
        assertThat(afterPassword).endsWith("/signin/second-factor");
        assertThat(staffBeforeCode.statusCode()).isEqualTo(302);
        assertThat(staffBeforeCode.headers().firstValue("Location").orElseThrow()).contains("/signin");
        // Back to the page they asked for before giving the code, now that they may see it.
        assertThat(enrolled).endsWith("/staff/patients?continue");
        assertThat(staffAfterCode).isEqualTo(200);
        assertThat(secondSignIn).endsWith("/signin/second-factor");
        assertThat(secondPage).doesNotContain("totp-uri");
        assertThat(secondDone).endsWith("/signin/done");
        assertThat(disabled[0]).isEqualTo("0");
        assertThat(afterDisable).endsWith("/signin?error");
        assertThat(jdbc.queryForList("select action from audit.event where subtype = 'account-administration'"
                + " order by seq", String.class)).containsExactly("C", "U");
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

    /** Runs the command on the test database: exit status, what it printed, what it complained of. */
    private String[] command(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Connection c = dataSource.getConnection()) {
            int status = new AccountCommand(c, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), "test-operator",
                    org.charnwood.app.audit.AccountAdministrationCommand::record).run(args);
            return new String[]{String.valueOf(status), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8)};
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private String postCode(HttpClient browser, String page, String code) {
        return tokens.postForm(browser, base() + "/signin/second-factor",
                Map.of("code", code, "_csrf", page.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1")),
                true).headers().firstValue("Location").orElse("");
    }
}
