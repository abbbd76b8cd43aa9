package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.RecordedSecurityEvents;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test application runs without demo mode, as a production start would: demo accounts left in its database
 * by an earlier start in demo mode are disabled by the start-up step and can no longer sign in.
 */
class LeftoverDemoAccountsIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    AccountStore accounts;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    RecordedSecurityEvents events;

    @Autowired
    LeftoverDemoAccounts startUp;

    @Test
    void demoAccountsFromAnEarlierDemoStartCannotSignInOutsideDemoMode() {
        String hash = passwords.encode(DemoAccounts.PASSWORD);
        // As an earlier start in demo mode left them in the data folder.
        accounts.save(new Account("demo-sysadmin", "demo.sysadmin", Requester.Kind.STAFF, "Demo system administrator",
                hash, null, null, null, Set.of(AccessRole.SYSTEM_ADMINISTRATOR), "RX1", null, false, 0, null, true));
        accounts.save(new Account("demo-patient1", "demo.patient1", Requester.Kind.PATIENT, "Demo patient", hash,
                "Patient/demo-p1", "demo-p1", null, Set.of(), null, null, false, 0, null, true));
        accounts.save(new Account("not-a-demo", "real.person", Requester.Kind.STAFF, "Real person", hash, null, null,
                null, Set.of(AccessRole.REGISTERED_NURSE), "RX1", null, false, 0, null, true));
        String beforeStartUp = tokens.signIn(TestTokens.browser(), "demo.sysadmin", DemoAccounts.PASSWORD);

        startUp.afterSingletonsInstantiated();
        String sysadmin = tokens.signIn(TestTokens.browser(), "demo.sysadmin", DemoAccounts.PASSWORD);
        String patient = tokens.signIn(TestTokens.browser(), "demo.patient1", DemoAccounts.PASSWORD);
        String realPerson = tokens.signIn(TestTokens.browser(), "real.person", DemoAccounts.PASSWORD);

        assertThat(beforeStartUp).endsWith("/signin/done");
        assertThat(sysadmin).endsWith("/signin?error");
        assertThat(patient).endsWith("/signin?error");
        assertThat(events.signIns("demo.sysadmin").getLast().failureReason()).isEqualTo("account disabled");
        assertThat(accounts.byId("demo-patient1").enabled()).isFalse();
        assertThat(realPerson).endsWith("/signin/done");
    }
}
