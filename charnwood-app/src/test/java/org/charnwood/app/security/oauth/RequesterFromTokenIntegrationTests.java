package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Requester the FHIR endpoint sees is exactly who the token was issued to. */
class RequesterFromTokenIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    JwtDecoder decoder;

    private Requester requester(String token) {
        return TokenRequesterSource.fromToken(decoder.decode(token), "10.0.0.1");
    }

    @Test
    void aNurseLaunchedOnAPatientIsStaffWithTheirRolesOrganisationAndLaunchContext() {
        storePatientAndEncounter("pat-1", null);
        String token = tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-005", AccessRole.REGISTERED_NURSE,
                AccessRole.NURSE_MANAGER).scopes("user/*.rs", "patient/Observation.cruds").launchPatient("pat-1"));

        Requester r = requester(token);

        assertThat(r.kind()).isEqualTo(Requester.Kind.STAFF);
        assertThat(r.fhirUser()).isEqualTo("Practitioner/staff-005");
        assertThat(r.roles()).isEqualTo(Set.of(AccessRole.REGISTERED_NURSE, AccessRole.NURSE_MANAGER));
        assertThat(r.organisation()).isEqualTo("RX1");
        assertThat(r.clientId()).isEqualTo(TestTokens.TEST_APP);
        assertThat(r.scopes()).contains("user/*.rs", "patient/Observation.cruds", "launch");
        assertThat(r.patientContext()).isEqualTo("pat-1");
        assertThat(r.sourceAddress()).isEqualTo("10.0.0.1");
        assertThat(r.authenticatedAt()).isNotNull();
        assertThat(r.identityVerifiedForRecordAccess()).isTrue();
    }

    @Test
    void aBackendSystemIsASystemNamedByItsClient() {
        Requester r = requester(tokens.bearer(TestTokens.Caller.system("system/Patient.rs")));

        assertThat(r.kind()).isEqualTo(Requester.Kind.SYSTEM);
        assertThat(r.subject()).isEqualTo("charnwood-test-backend");
        assertThat(r.clientId()).isEqualTo("charnwood-test-backend");
        assertThat(r.scopes()).containsExactly("system/Patient.rs");
        assertThat(r.fhirUser()).isNull();
        assertThat(r.roles()).isEmpty();
    }

    @Test
    void aCarerActsOnTheRecordTheyCareFor() {
        Requester r = requester(tokens.bearer(TestTokens.Caller.carer("rp-1", "pat-9")));

        assertThat(r.kind()).isEqualTo(Requester.Kind.CARER);
        assertThat(r.fhirUser()).isEqualTo("RelatedPerson/rp-1");
        assertThat(r.patientContext()).isEqualTo("pat-9");
    }
}
