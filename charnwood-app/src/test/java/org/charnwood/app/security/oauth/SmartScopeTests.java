package org.charnwood.app.security.oauth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmartScopeTests {

    @Test
    void readsVersionTwoScopesWithAQueryRestriction() {
        SmartScope s = SmartScope.parse("patient/Observation.rs?category=vital-signs");

        assertThat(s).isEqualTo(new SmartScope("patient", "Observation", "rs", "category=vital-signs"));
    }

    @Test
    void readsVersionOneScopesAsTheirVersionTwoPermissions() {
        assertThat(SmartScope.parse("user/Patient.read").permissions()).isEqualTo("rs");
        assertThat(SmartScope.parse("user/Patient.write").permissions()).isEqualTo("cud");
        assertThat(SmartScope.parse("system/*.*").permissions()).isEqualTo("cruds");
    }

    @Test
    void refusesPermissionLettersOutOfOrderAndNonClinicalScopes() {
        assertThat(SmartScope.parse("patient/Observation.sr")).isNull();
        assertThat(SmartScope.parse("openid")).isNull();
        assertThat(SmartScope.parse("launch/patient")).isNull();
    }

    @Test
    void aWildcardRegistrationCoversNarrowerRequests() {
        List<String> registered = List.of("system/*.cruds");

        assertThat(SmartScope.uncovered(List.of("system/Patient.rs", "system/Observation.rs?category=laboratory",
                "system/Encounter.read"), registered, false)).isEmpty();
        assertThat(SmartScope.uncovered(List.of("patient/Patient.rs", "openid"), registered, false))
                .containsExactly("patient/Patient.rs", "openid");
    }

    @Test
    void aReadOnlyRegistrationDoesNotCoverWrites() {
        assertThat(SmartScope.uncovered(List.of("user/Observation.cu"), List.of("user/*.rs"), true))
                .containsExactly("user/Observation.cu");
    }

    @Test
    void userFacingAppsMayAlwaysAskForLaunchAndIdentityScopes() {
        assertThat(SmartScope.uncovered(List.of("launch", "launch/patient", "openid", "fhirUser", "offline_access"),
                List.of("patient/*.rs"), true)).isEmpty();
    }
}
