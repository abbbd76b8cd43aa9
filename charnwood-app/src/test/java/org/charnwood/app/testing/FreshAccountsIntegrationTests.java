package org.charnwood.app.testing;

import org.charnwood.app.security.AccessRole;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test callers' accounts are shared by every test class: what one test does to an account (locking it with
 * wrong passwords, enrolling an authenticator) must not be there when the next test signs in as the same caller.
 * The tests run in this order on purpose; each even-numbered one is what any later test using the caller would meet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FreshAccountsIntegrationTests extends CharnwoodIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/fresh-accounts-nurse",
            AccessRole.REGISTERED_NURSE);

    @Test
    @Order(1)
    void oneTestLocksTheCallersAccountAndEnrolsItsAuthenticator() {
        String username = tokens.account(NURSE);
        for (int i = 0; i < 5; i++) {
            tokens.signIn(TestTokens.browser(), username, "guess " + i);
        }
        jdbc.update("update auth.account set totp_secret = 'JBSWY3DPEHPK3PXP' where id = ?", username);

        assertThat(tokens.signIn(TestTokens.browser(), username, TestTokens.PASSWORD)).endsWith("/signin?error");
    }

    @Test
    @Order(2)
    void theNextTestSignsInAsTheSameCallerAsIfTheAccountWereNew() {
        String username = tokens.account(NURSE);

        assertThat(tokens.signIn(TestTokens.browser(), username, TestTokens.PASSWORD)).endsWith("/signin/done");
        assertThat(jdbc.queryForObject("select totp_secret is null and failed_attempts = 0 from auth.account"
                + " where id = ?", Boolean.class, username)).isTrue();
    }

    @Test
    @Order(3)
    void oneTestDisablesTheAccountOfACallerWhoseTokenIsCached() throws Exception {
        String token = tokens.bearer(NURSE);
        try (java.sql.Connection c = dataSource.getConnection()) {
            new org.charnwood.app.security.AccountCommand(c, System.out, System.err, "test-operator",
                    org.charnwood.app.audit.AccountAdministrationCommand::record)
                    .run(new String[]{"disable", tokens.account(NURSE)});
        }
        // The server reads the ending made beside it within its sync interval.
        Thread.sleep(org.charnwood.app.security.web.RowsBySequence.INTERVAL.toMillis() + 200);

        assertThat(http.as(token).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void theNextTestGetsATokenForTheSameCallerThatWorks() {
        assertThat(http.as(tokens.bearer(NURSE)).get("/fhir/Patient?_count=1").status()).isEqualTo(200);
    }
}
