package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which profiles ask local staff for a TOTP code (the sign-in itself is tried in the integration tests). */
class StaffSecondFactorTests {

    private static final Account CLINICIAN = account("demo.clinician", Requester.Kind.STAFF, false);
    private static final Account TOTP = account("demo.totp", Requester.Kind.STAFF, true);
    private static final Account PATIENT = account("demo.patient1", Requester.Kind.PATIENT, false);

    @Test
    void theDemoProfileKeepsTheDemoAccountsPasswordOnlyApartFromDemoTotp() {
        // application-demo.yml turns the setting off.
        StaffSecondFactor demo = new StaffSecondFactor(false, environment("demo"));

        assertThat(demo.requiredFor(CLINICIAN)).isFalse();
        assertThat(demo.requiredFor(TOTP)).isTrue();
    }

    @Test
    void withoutTheDemoOrDevSettingEveryStaffAccountNeedsItAndPatientsDoNot() {
        StaffSecondFactor production = new StaffSecondFactor(true, environment("production"));

        assertThat(production.requiredFor(CLINICIAN)).isTrue();
        assertThat(production.requiredFor(PATIENT)).isFalse();
    }

    @Test
    void theProductionProfileRequiresItEvenWhenTheSettingIsTurnedOff() {
        assertThat(new StaffSecondFactor(false, environment("production")).requiredFor(CLINICIAN)).isTrue();
        assertThat(new StaffSecondFactor(false, environment("demo", "production")).requiredFor(CLINICIAN)).isTrue();
    }

    private static MockEnvironment environment(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    private static Account account(String username, Requester.Kind kind, boolean totpRequired) {
        return new Account(username, username, kind, username, "{argon2}x", null, null, null,
                kind == Requester.Kind.STAFF ? Set.of(AccessRole.REGISTERED_NURSE) : Set.of(), "RX1", null,
                totpRequired, 0, null, true);
    }
}
