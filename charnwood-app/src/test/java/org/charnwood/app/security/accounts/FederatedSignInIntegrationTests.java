package org.charnwood.app.security.accounts;

import com.nimbusds.jwt.JWTParser;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.StandInIdentityProvider;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.FhirHttp;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in through external OpenID Connect providers, played by a local stand-in. */
class FederatedSignInIntegrationTests extends CharnwoodIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.charnwood.app.testing.RecordedSecurityEvents events;

    private String signInThrough(HttpClient browser, String provider) {
        String base = "http://localhost:" + port;
        HttpResponse<String> start = tokens.get(browser, base + "/oauth2/authorization/" + provider);
        HttpResponse<String> atProvider = tokens.get(browser, start.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = tokens.get(browser, atProvider.headers().firstValue("Location").orElseThrow());
        return back.headers().firstValue("Location").orElse("status " + back.statusCode() + " " + back.body());
    }

    @Test
    void staffSignInWithCis2AndTheirNationalRolesBecomeAccessRoles() throws Exception {
        Practitioner practitioner = new Practitioner();
        String uid = "5550" + (System.nanoTime() % 100000);
        practitioner.addIdentifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue(uid);
        String practitionerId = http.postJson("/fhir/Practitioner", practitioner).resource(Practitioner.class)
                .getIdElement().getIdPart();
        StandInIdentityProvider.get().nextUser(Map.of("sub", "cis2-" + UUID.randomUUID(), "uid", uid,
                "name", "Sam Okoro", "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles", List.of(
                        Map.of("role_code", "S8000:G8000:R8001", "org_code", "R9C"),
                        Map.of("role_code", "S8000:G8000:R8000", "org_code", "RX9"))));
        HttpClient browser = TestTokens.browser();

        String next = signInThrough(browser, "cis2");
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid fhirUser user/*.rs", null);
        var claims = JWTParser.parse(token.get("access_token").asString()).getJWTClaimsSet();

        assertThat(next).endsWith("/signin/done");
        assertThat(claims.getStringClaim("kind")).isEqualTo("STAFF");
        assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("REGISTERED_NURSE", "CLINICIAN");
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Practitioner/" + practitionerId);
    }

    /**
     * Each provider is asked with state, nonce and PKCE (the stand-in gives the code only for the verifier), and for
     * the assurance the trust set: NHS login's vectors of trust as its JSON array, CIS2's acr_values.
     */
    @Test
    void theProvidersAreAskedForTheAssuranceSetWithStateNonceAndPkce() {
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(), "vot", "P5.Cp.Cd",
                "identity_proofing_level", "P5"));
        String patientNext = signInThrough(TestTokens.browser(), "nhs-login");
        Map<String, String> patientAsked = StandInIdentityProvider.get().lastAuthorizeRequest();
        StandInIdentityProvider.get().nextUser(Map.of("sub", "cis2-" + UUID.randomUUID(), "acr", "AAL2_OR_AAL3_ANY",
                "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001", "org_code", "R9C"))));
        String staffNext = signInThrough(TestTokens.browser(), "cis2");
        Map<String, String> staffAsked = StandInIdentityProvider.get().lastAuthorizeRequest();

        assertThat(patientNext).endsWith("/signin/done");
        assertThat(staffNext).endsWith("/signin/done");
        assertThat(patientAsked).containsEntry("vtr", "[\"P9.Cp.Cd\",\"P9.Cm\",\"P5.Cp.Cd\"]")
                .doesNotContainKey("acr_values");
        assertThat(staffAsked).containsEntry("acr_values", "AAL2_OR_AAL3_ANY").doesNotContainKey("vtr");
        for (Map<String, String> asked : List.of(patientAsked, staffAsked)) {
            assertThat(asked).containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce",
                    "code_challenge");
        }
    }

    @Test
    void staffWithALocalAccountAreLinkedToItByTheSdsUserIdOnTheirRecordAndTheLinkIsAudited() throws Exception {
        String uid = "5552" + (System.nanoTime() % 100000);
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue(uid);
        String practitionerId = http.postJson("/fhir/Practitioner", practitioner).resource(Practitioner.class)
                .getIdElement().getIdPart();
        String local = tokens.account(TestTokens.Caller.staff("Practitioner/" + practitionerId, AccessRole.REGISTERED_NURSE));
        String localId = jdbc.queryForObject("select id from auth.account where username = ?", String.class, local);
        // Someone else of the same name, with a local account of their own, is never the match.
        tokens.account(TestTokens.Caller.staff("Practitioner/staff-417", AccessRole.REGISTERED_NURSE));
        String subject = "cis2-" + UUID.randomUUID();
        StandInIdentityProvider.get().nextUser(Map.of("sub", subject, "uid", uid, "name", "Test STAFF",
                "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles",
                List.of(Map.of("role_code", "S8000:G8000:R8001", "org_code", "R9C"))));
        HttpClient browser = TestTokens.browser();

        assertThat(signInThrough(browser, "cis2")).endsWith("/signin/done");
        var claims = JWTParser.parse(tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid fhirUser", null)
                .get("access_token").asString()).getJWTClaimsSet();

        assertThat(claims.getSubject()).isEqualTo(localId);
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Practitioner/" + practitionerId);
        assertThat(jdbc.queryForObject("select account_id from auth.federated_identity where subject = ?",
                String.class, subject)).isEqualTo(localId);
        assertThat(jdbc.queryForObject("select count(*) from auth.account where fhir_user = ?", Integer.class,
                "Practitioner/" + practitionerId)).isEqualTo(1);
        assertThat(jdbc.queryForList("select content from audit.event where subtype = 'federated-identity-linked'"
                + " and content like ?", String.class, "%" + subject + "%")).singleElement()
                .satisfies(content -> assertThat(content).contains("account " + local));
    }

    @Test
    void aLeaverWithADisabledLocalAccountIsNeitherLinkedNorGivenAnother() {
        String uid = "5553" + (System.nanoTime() % 100000);
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue(uid);
        String practitionerId = http.postJson("/fhir/Practitioner", practitioner).resource(Practitioner.class)
                .getIdElement().getIdPart();
        String local = tokens.account(TestTokens.Caller.staff("Practitioner/" + practitionerId, AccessRole.REGISTERED_NURSE));
        jdbc.update("update auth.account set enabled = false where username = ?", local);
        String subject = "cis2-" + UUID.randomUUID();
        StandInIdentityProvider.get().nextUser(Map.of("sub", subject, "uid", uid, "acr", "AAL2_OR_AAL3_ANY",
                "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001", "org_code", "R9C"))));

        assertThat(signInThrough(TestTokens.browser(), "cis2")).endsWith("/signin?federated=cis2");
        assertThat(jdbc.queryForObject("select count(*) from auth.federated_identity where subject = ?", Integer.class,
                subject)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from auth.account where fhir_user = ?", Integer.class,
                "Practitioner/" + practitionerId)).isEqualTo(1);
    }

    @Test
    void staffWhoseRecordGainsTheirSdsUserIdLaterAreLinkedToItAtTheirNextSignIn() throws Exception {
        String uid = "5551" + (System.nanoTime() % 100000);
        Map<String, Object> person = Map.of("sub", "cis2-" + UUID.randomUUID(), "uid", uid, "acr", "AAL2_OR_AAL3_ANY",
                "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001", "org_code", "R9C")));
        StandInIdentityProvider.get().nextUser(person);
        HttpClient before = TestTokens.browser();
        assertThat(signInThrough(before, "cis2")).endsWith("/signin/done");
        var unlinked = JWTParser.parse(tokens.authorisationCode(before, TestTokens.TEST_APP, "openid fhirUser", null)
                .get("access_token").asString()).getJWTClaimsSet();

        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue(uid);
        String practitionerId = http.postJson("/fhir/Practitioner", practitioner).resource(Practitioner.class)
                .getIdElement().getIdPart();
        StandInIdentityProvider.get().nextUser(person);
        HttpClient after = TestTokens.browser();
        assertThat(signInThrough(after, "cis2")).endsWith("/signin/done");
        var linked = JWTParser.parse(tokens.authorisationCode(after, TestTokens.TEST_APP, "openid fhirUser", null)
                .get("access_token").asString()).getJWTClaimsSet();

        assertThat(unlinked.getClaims()).as("no fhirUser claim before the link").doesNotContainKey("fhirUser");
        assertThat(linked.getStringClaim("fhirUser")).isEqualTo("Practitioner/" + practitionerId);
    }

    @Test
    void signingInThroughAProviderWhereSomeoneElseIsStillSignedInSignsThemOut() {
        String first = tokens.account(TestTokens.Caller.staff("Practitioner/staff-416", AccessRole.REGISTERED_NURSE));
        String firstId = jdbc.queryForObject("select id from auth.account where username = ?", String.class, first);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, first, TestTokens.PASSWORD);
        StandInIdentityProvider.get().nextUser(Map.of("sub", "cis2-" + UUID.randomUUID(), "acr", "AAL2_OR_AAL3_ANY",
                "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001", "org_code", "R9C"))));

        String next = signInThrough(browser, "cis2");

        assertThat(next).endsWith("/signin/done");
        assertThat(events.signOuts(firstId)).singleElement().satisfies(e -> assertThat(e.timedOut()).isFalse());
    }

    @Test
    void staffWithoutAnyRecognisedRoleAreTurnedAway() {
        StandInIdentityProvider.get().nextUser(Map.of("sub", "cis2-" + UUID.randomUUID(),
                "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles", List.of(Map.of("role_code", "S0000:G0000:R9999"))));

        HttpClient browser = TestTokens.browser();
        String next = signInThrough(browser, "cis2");

        assertThat(next).endsWith("/signin?federated=cis2");
        // Told in words that fit a smartcard sign-in, not sent looking for a password they never had.
        String page = tokens.get(browser, next).body();
        assertThat(page).contains("You were not signed in with", "ask your IT service desk to check your smartcard roles")
                .doesNotContain(SignInPages.WRONG_PASSWORD);
    }

    @Test
    void aSignInThatFailsBeforeTheProviderIsKnownIsToldSoWithoutNamingAPassword() {
        HttpClient browser = TestTokens.browser();
        String page = tokens.get(browser, "http://localhost:" + port + "/signin?federated").body();

        assertThat(page).contains("You were not signed in that way", "contact the team that looks after you")
                .doesNotContain(SignInPages.WRONG_PASSWORD);
    }

    @Test
    void aP9PatientFromNhsLoginIsLinkedToTheirRecordByNhsNumber() throws Exception {
        String nhsNumber = validNhsNumber();
        String patientId = http.postJson("/fhir/Patient", verified(nhsNumber)).resource(Patient.class)
                .getIdElement().getIdPart();
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(),
                "nhs_number", nhsNumber, "identity_proofing_level", "P9"));
        HttpClient browser = TestTokens.browser();

        String next = signInThrough(browser, "nhs-login");
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs", null);
        var claims = JWTParser.parse(token.get("access_token").asString()).getJWTClaimsSet();

        assertThat(next).endsWith("/signin/done");
        assertThat(token.get("patient").asString()).isEqualTo(patientId);
        assertThat(claims.getStringClaim("kind")).isEqualTo("PATIENT");
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Patient/" + patientId);
        assertThat(claims.getStringClaim("identity_proofing_level")).isEqualTo("P9");
    }

    @Test
    void provisionalRecordsWithTheSameNhsNumberDoNotStopTheLinkToTheRealOne() throws Exception {
        String nhsNumber = validNhsNumber();
        // Made first, as a self-referral makes them from the number the person typed: tagged unverified.
        Patient provisional = new Patient().setActive(true);
        provisional.getMeta().addTag(org.charnwood.app.security.ProvisionalRecords.IDENTITY_STATUS, "unverified", null);
        provisional.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber);
        assertThat(http.postJson("/fhir/Patient", provisional).status()).isEqualTo(201);
        // Even one that claims the number verified does not count while tagged, nor once replaced (inactive).
        Patient tagged = verified(nhsNumber).setActive(true);
        tagged.getMeta().addTag(org.charnwood.app.security.ProvisionalRecords.IDENTITY_STATUS, "unverified", null);
        assertThat(http.postJson("/fhir/Patient", tagged).status()).isEqualTo(201);
        assertThat(http.postJson("/fhir/Patient", verified(nhsNumber).setActive(false)).status()).isEqualTo(201);
        String patientId = http.postJson("/fhir/Patient", verified(nhsNumber)).resource(Patient.class)
                .getIdElement().getIdPart();
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(),
                "nhs_number", nhsNumber, "identity_proofing_level", "P9"));
        HttpClient browser = TestTokens.browser();

        assertThat(signInThrough(browser, "nhs-login")).endsWith("/signin/done");
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs", null);

        assertThat(token.get("patient").asString()).isEqualTo(patientId);
        assertThat(JWTParser.parse(token.get("access_token").asString()).getJWTClaimsSet()
                .getStringClaim("fhirUser")).isEqualTo("Patient/" + patientId);
    }

    @Test
    void twoConfirmedRecordsWithTheNhsNumberLinkNeither() {
        String nhsNumber = validNhsNumber();
        assertThat(http.postJson("/fhir/Patient", verified(nhsNumber)).status()).isEqualTo(201);
        assertThat(http.postJson("/fhir/Patient", verified(nhsNumber)).status()).isEqualTo(201);
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(), "nhs_number", nhsNumber,
                "vot", "P9.Cp.Cd", "identity_proofing_level", "P9"));
        HttpClient browser = TestTokens.browser();

        assertThat(signInThrough(browser, "nhs-login")).endsWith("/signin/done");

        HttpResponse<String> page = tokens.get(browser, "http://localhost:" + port + "/my/record-access");
        assertThat(page.statusCode()).isEqualTo(403);
    }

    /**
     * The link is found again at every sign-in: duplicates merged since the first sign-in link the record left, and
     * a number the trust corrected away from a record ends the link rather than leaving the person in it.
     */
    @Test
    void theLinkToARecordFollowsTheTrustsRecordsAtEverySignIn() {
        String nhsNumber = validNhsNumber();
        String kept = http.postJson("/fhir/Patient", verified(nhsNumber)).resource(Patient.class)
                .getIdElement().getIdPart();
        String duplicate = http.postJson("/fhir/Patient", verified(nhsNumber)).resource(Patient.class)
                .getIdElement().getIdPart();
        Map<String, Object> person = Map.of("sub", "nhslogin-" + UUID.randomUUID(), "nhs_number", nhsNumber,
                "vot", "P9.Cp.Cd", "identity_proofing_level", "P9");
        String recordAccess = "http://localhost:" + port + "/my/record-access";

        StandInIdentityProvider.get().nextUser(person);
        HttpClient whileDuplicated = TestTokens.browser();
        assertThat(signInThrough(whileDuplicated, "nhs-login")).endsWith("/signin/done");
        int beforeMerge = tokens.get(whileDuplicated, recordAccess).statusCode();

        Patient merged = verified(nhsNumber).setActive(false);
        merged.setId(duplicate);
        assertThat(http.putJson("/fhir/Patient/" + duplicate, merged).status()).isEqualTo(200);
        StandInIdentityProvider.get().nextUser(person);
        HttpClient afterMerge = TestTokens.browser();
        assertThat(signInThrough(afterMerge, "nhs-login")).endsWith("/signin/done");
        String linked = tokens.authorisationCode(afterMerge, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs", null).get("patient").asString();
        int afterMergeAccess = tokens.get(afterMerge, recordAccess).statusCode();

        Patient corrected = new Patient().setActive(true);
        corrected.setId(kept);
        assertThat(http.putJson("/fhir/Patient/" + kept, corrected).status()).isEqualTo(200);
        StandInIdentityProvider.get().nextUser(person);
        HttpClient afterCorrection = TestTokens.browser();
        assertThat(signInThrough(afterCorrection, "nhs-login")).endsWith("/signin/done");

        assertThat(beforeMerge).isEqualTo(403);
        assertThat(linked).isEqualTo(kept);
        assertThat(afterMergeAccess).isEqualTo(200);
        assertThat(tokens.get(afterCorrection, recordAccess).statusCode()).isEqualTo(403);
    }

    @Test
    void aLowerProofingLevelIsCarriedSoRecordAccessCanBeWithheld() throws Exception {
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(),
                "nhs_number", "9000000999", "identity_proofing_level", "P5"));
        HttpClient browser = TestTokens.browser();

        signInThrough(browser, "nhs-login");
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid patient/Patient.r", null);
        var claims = JWTParser.parse(token.get("access_token").asString()).getJWTClaimsSet();

        assertThat(claims.getStringClaim("identity_proofing_level")).isEqualTo("P5");
    }

    /**
     * NHS login proves identity to P9 for record access; lower levels are for features that need no record. A
     * P5 patient is told why their record is refused (in reads, searches and {@code $everything}), may still read
     * reference data and reach the page that explains what to do; signing in again at P9 opens the record.
     */
    @Test
    void aPatientProvenBelowP9IsRefusedTheirRecordAndToldWhy() throws Exception {
        String nhsNumber = validNhsNumber();
        String patientId = patientWithAnObservation(nhsNumber);
        String questionnaire = http.postJson("/fhir/Questionnaire", new Questionnaire()
                .setStatus(Enumerations.PublicationStatus.ACTIVE)).resource(Questionnaire.class)
                .getIdElement().getIdPart();
        String sub = "nhslogin-" + UUID.randomUUID();
        StandInIdentityProvider.get().nextUser(Map.of("sub", sub, "nhs_number", nhsNumber,
                "identity_proofing_level", "P5"));
        HttpClient browser = TestTokens.browser();

        assertThat(signInThrough(browser, "nhs-login")).endsWith("/signin/done");
        FhirHttp app = http.as(tokens.authorisationCode(browser, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs", null).get("access_token").asString());

        for (String path : List.of("/fhir/Observation?subject=Patient/" + patientId, "/fhir/Patient/" + patientId,
                "/fhir/Patient/" + patientId + "/$everything", "/fhir/Observation",
                "/fhir/AuditEvent?patient=" + patientId)) {
            FhirHttp.Response refused = app.get(path);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.body()).as(path).contains("CHARNWOOD-2057", "P9");
        }
        assertThat(app.get("/fhir/Patient/" + patientId).body()).contains("P5").doesNotContain(nhsNumber);
        assertThat(app.get("/fhir/Questionnaire/" + questionnaire).status()).isEqualTo(200);
        HttpResponse<String> page = tokens.get(browser, "http://localhost:" + port + "/my/record-access");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("prove who you are");
        // Nor may they change who else sees it.
        HttpResponse<String> carers = tokens.get(browser, "http://localhost:" + port + "/my/carers");
        assertThat(carers.statusCode()).isEqualTo(403);
        assertThat(carers.body()).contains("prove who you are");

        StandInIdentityProvider.get().nextUser(Map.of("sub", sub, "nhs_number", nhsNumber,
                "identity_proofing_level", "P9"));
        HttpClient proven = TestTokens.browser();
        signInThrough(proven, "nhs-login");
        FhirHttp again = http.as(tokens.authorisationCode(proven, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs", null).get("access_token").asString());
        assertThat(again.get("/fhir/Observation?subject=Patient/" + patientId).bundle().getEntry()).hasSize(1);
    }

    /** A carer whose account an NHS login identity proven to P5 signs into sees none of the record they help with. */
    @Test
    void aCarerProvenBelowP9IsRefusedTheRecordTheyHelpWith() {
        String patientId = patientWithAnObservation(validNhsNumber());
        RelatedPerson carer = new RelatedPerson().setPatient(new Reference("Patient/" + patientId));
        String carerId = http.postJson("/fhir/RelatedPerson", carer).resource(RelatedPerson.class)
                .getIdElement().getIdPart();
        Consent consent = new Consent().setStatus(Consent.ConsentState.ACTIVE)
                .setScope(new CodeableConcept().addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)))
                .addCategory(new CodeableConcept().addCoding(new Coding("http://loinc.org", "59284-0", null)))
                .setPatient(new Reference("Patient/" + patientId))
                .setPolicyRule(new CodeableConcept().addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT).addActor()
                .setRole(new CodeableConcept().addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GRANTEE", null)))
                .setReference(new Reference("RelatedPerson/" + carerId));
        FhirHttp.Response stored = http.postJson("/fhir/Consent", consent);
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        String account = tokens.account(TestTokens.Caller.carer(carerId, patientId));
        String sub = "nhslogin-" + UUID.randomUUID();
        jdbc.update("insert into auth.federated_identity (issuer, subject, account_id) values (?, ?, ?)",
                StandInIdentityProvider.get().issuer(), sub, account);
        StandInIdentityProvider.get().nextUser(Map.of("sub", sub, "identity_proofing_level", "P5"));
        HttpClient browser = TestTokens.browser();

        signInThrough(browser, "nhs-login");
        FhirHttp app = http.as(tokens.authorisationCode(browser, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs", null).get("access_token").asString());

        FhirHttp.Response refused = app.get("/fhir/Observation?subject=Patient/" + patientId);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("CHARNWOOD-2057");
        assertThat(app.get("/fhir/Patient/" + patientId + "/$everything").status()).isEqualTo(403);
    }

    /** A Patient whose NHS number the trust holds verified (UK Core verification status 01). */
    private static Patient verified(String nhsNumber) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber)
                .addExtension(IdentityAssurance.VERIFICATION_EXTENSION, new CodeableConcept().addCoding(new Coding(
                        "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland", "01",
                        "Number present and verified")));
        return patient;
    }

    private String patientWithAnObservation(String nhsNumber) {
        String patientId = http.postJson("/fhir/Patient", verified(nhsNumber)).resource(Patient.class)
                .getIdElement().getIdPart();
        Observation observation = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept().setText("pulse")).setSubject(new Reference("Patient/" + patientId));
        assertThat(http.postJson("/fhir/Observation", observation).status()).isEqualTo(201);
        return patientId;
    }

    @Test
    void theSignInPageOffersTheConfiguredProviders() {
        String page = tokens.get(TestTokens.browser(), "http://localhost:" + port + "/signin").body();

        assertThat(page).contains("/oauth2/authorization/cis2", "Sign in with NHS login");
    }

    /** A random NHS number in the 999 test range with a right Modulus 11 check digit. */
    private static String validNhsNumber() {
        java.util.Random random = new java.util.Random();
        while (true) {
            String nine = "999" + String.format("%06d", random.nextInt(1_000_000));
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return nine + check;
            }
        }
    }

    @Test
    void cis2RoleClaimsMapByTheirRbacCode() {
        assertThat(FederatedSignIn.roles(List.of("S1:G1:R8003", Map.of("role_code", "R8015", "org_code", "R9C")),
                null, null)).containsExactlyInAnyOrder(AccessRole.HEALTH_PROFESSIONAL, AccessRole.SYSTEM_ADMINISTRATOR);
        // With the trust's organisation set, only roles held there count: one naming no organisation does not.
        assertThat(FederatedSignIn.roles(List.of(Map.of("role_code", "R8003"), Map.of("role_code", "R8015",
                "org_code", "R9C"), Map.of("role_code", "R8000", "org_code", "RX9")), "R9C", null))
                .containsExactly(AccessRole.SYSTEM_ADMINISTRATOR);
        // The role chosen at sign-in is the only one that counts.
        assertThat(FederatedSignIn.roles(List.of(Map.of("role_code", "R8001", "person_roleid", "111"),
                Map.of("role_code", "R8000", "person_roleid", "222")), null, "222"))
                .containsExactly(AccessRole.CLINICIAN);
    }

    @Test
    void staffSigningInWithAPasswordAloneOrNoAssuranceAreTurnedAway() {
        for (Object acr : new Object[]{"AAL1_USERPASS", null}) {
            Map<String, Object> user = new java.util.HashMap<>(Map.of("sub", "cis2-" + UUID.randomUUID(),
                    "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001"))));
            if (acr != null) {
                user.put("acr", acr);
            }
            StandInIdentityProvider.get().nextUser(user);

            assertThat(signInThrough(TestTokens.browser(), "cis2")).as(String.valueOf(acr)).endsWith("/signin?federated=cis2");
        }
    }

    @Test
    void aP9IdentitySignedInWithoutASecondFactorCountsAsP5() throws Exception {
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(),
                "vot", "P9.Cp", "identity_proofing_level", "P9"));
        HttpClient browser = TestTokens.browser();

        signInThrough(browser, "nhs-login");
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid patient/Patient.r", null);

        assertThat(JWTParser.parse(token.get("access_token").asString()).getJWTClaimsSet()
                .getStringClaim("identity_proofing_level")).isEqualTo("P5");
    }

    @Test
    void anNhsNumberTheTrustHasNotVerifiedLinksNoRecord() {
        String nhsNumber = validNhsNumber();
        Patient unverified = new Patient();
        unverified.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber);
        assertThat(http.postJson("/fhir/Patient", unverified).status()).isEqualTo(201);
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(), "nhs_number", nhsNumber,
                "vot", "P9.Cp.Cd", "identity_proofing_level", "P9"));
        HttpClient browser = TestTokens.browser();

        assertThat(signInThrough(browser, "nhs-login")).endsWith("/signin/done");

        HttpResponse<String> page = tokens.get(browser, "http://localhost:" + port + "/my/record-access");
        assertThat(page.statusCode()).isEqualTo(403);
    }
}
