package org.charnwood.app.referrals;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-referral from someone whose details match an existing record, over HTTP as the public and the
 * service's staff use it: sent by anyone who knows the patient's NHS number and date of birth, it opens nothing
 * of the record to the service; the service's triager sees the match, confirms who the person is, and only then
 * is the referral (with its answers) on the patient's record and the relationship follows. Nobody outside the
 * service's triage team can confirm it.
 */
class SelfReferralIdentityIntegrationTests extends CharnwoodIntegrationTest {

    private static final String SERVICE = "community-therapy";
    private static final TestTokens.Caller THERAPIST = TestTokens.Caller.staff("Practitioner/therapist-1",
            AccessRole.HEALTH_PROFESSIONAL);
    /** A clinician who triages for another service. */
    private static final TestTokens.Caller OTHER_SERVICE = TestTokens.Caller.staff("Practitioner/therapist-2",
            AccessRole.CLINICIAN);
    /** A member of the service whose role does not triage. */
    private static final TestTokens.Caller ASSISTANT = TestTokens.Caller.staff("Practitioner/therapist-1",
            AccessRole.HEALTH_CARE_ASSISTANT);
    /** Information governance, who review identity confirmations beside emergency access. */
    private static final TestTokens.Caller GOVERNANCE = TestTokens.Caller.staff("Practitioner/ig-officer",
            AccessRole.INFORMATION_GOVERNANCE).scopes("user/*.cruds", "charnwood/break-glass.review");
    private static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String VERIFICATION_STATUS =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";

    @Autowired
    PathwayLoader loader;

    @Autowired
    CareRelationships relationships;

    @Autowired
    ProvisionalNumberRepair repair;

    @BeforeEach
    void anExistingPatientAndTheServicesTherapist() {
        loader.loadShipped();
        ReferralFixture fixture = new ReferralFixture(http);
        fixture.practices();
        fixture.patient("known", LocalDate.of(1991, 4, 3), "LE2 7AB", "gp-c82901");
        Patient known = http.get("/fhir/Patient/known").resource(Patient.class);
        known.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9434765919");
        assertThat(http.putJson("/fhir/Patient/known", known).status()).isEqualTo(200);
        fixture.condition("known", "44054006", "Type 2 diabetes mellitus");
        member("therapist-1", SERVICE);
        member("therapist-2", "talking-therapies");
        relationships.forgetAll();
    }

    @Test
    void aSelfReferralMatchingAnExistingRecordOpensNothingOfItUntilTheTriagerConfirmsWhoSentIt() {
        assertThat(conditionsOfKnownAs(THERAPIST)).isZero();

        String referralId = selfRefer();
        relationships.forgetAll();
        // Anyone could have sent it: the therapist still has no relationship with the existing record.
        assertThat(conditionsOfKnownAs(THERAPIST)).isZero();
        FhirHttp.Response everything = as(THERAPIST).get("/fhir/Patient/known/$everything");
        assertThat(everything.status()).as(everything.body()).isEqualTo(403);

        // The triager sees what the person sent and whom the details match, and must confirm before accepting.
        HttpClient therapist = signedIn(THERAPIST);
        String page = page(therapist, "/staff/referrals/" + referralId);
        assertThat(page).contains("Knee pain on stairs", "id=\"identity-form\"", "id=\"possible-match\"",
                "NHS number 943 476 5919", "match an existing record");
        HttpResponse<String> early = post(therapist, "/staff/referrals/" + referralId,
                "/staff/referrals/" + referralId + "/accept", Map.of());
        assertThat(early.statusCode()).isEqualTo(422);
        assertThat(early.body()).contains("There is a problem", "identity before accepting");
        assertThat(http.get("/fhir/EpisodeOfCare?_summary=count").bundle().getTotal()).isZero();

        HttpResponse<String> confirmed = post(therapist, "/staff/referrals/" + referralId,
                "/staff/referrals/" + referralId + "/confirm-identity", Map.of("identity", "matched"));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(302);
        assertThat(confirmed.headers().firstValue("Location").orElseThrow()).endsWith("/staff/referrals/" + referralId);

        ServiceRequest referral = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class);
        assertThat(referral.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNull();
        assertThat(referral.getSubject().getReference()).isEqualTo("Patient/known");
        assertThat(referral.getRequester().getReference()).isEqualTo("Patient/known");
        assertThat(referral.getNote()).extracting(n -> n.getText())
                .anySatisfy(t -> assertThat(t).startsWith("Identity confirmed at triage"));
        QuestionnaireResponse answers = (QuestionnaireResponse) http.get("/fhir/QuestionnaireResponse?based-on="
                + "ServiceRequest/" + referralId).bundle().getEntryFirstRep().getResource();
        assertThat(answers.getSubject().getReference()).isEqualTo("Patient/known");
        Patient provisional = http.get("/fhir/Patient?_tag=" + ReferralCodes.IDENTITY_STATUS + "%7Cunverified")
                .bundle().getEntry().stream().map(e -> (Patient) e.getResource()).findFirst().orElseThrow();
        assertThat(provisional.getActive()).isFalse();
        assertThat(provisional.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(provisional.getLinkFirstRep().getOther().getReference()).isEqualTo("Patient/known");

        // Now the referral is the patient's, the relationship follows, and the referral can be accepted.
        relationships.forgetAll();
        assertThat(conditionsOfKnownAs(THERAPIST)).isEqualTo(1);
        HttpResponse<String> accepted = post(therapist, "/staff/referrals/" + referralId,
                "/staff/referrals/" + referralId + "/accept", Map.of());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(302);
        EpisodeOfCare episode = (EpisodeOfCare) http.get("/fhir/EpisodeOfCare?incoming-referral=ServiceRequest/"
                + referralId).bundle().getEntryFirstRep().getResource();
        assertThat(episode.getPatient().getReference()).isEqualTo("Patient/known");
    }

    @Test
    void onlyTheServicesTriagersMayConfirmWhoSentASelfReferral() {
        String referralId = selfRefer();
        for (TestTokens.Caller caller : List.of(OTHER_SERVICE, ASSISTANT)) {
            HttpClient browser = signedIn(caller);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("_csrf", csrf(page(browser, "/staff/services")));
            form.put("identity", "matched");
            HttpResponse<String> refused = tokens.postForm(browser, "http://localhost:" + port + "/staff/referrals/"
                    + referralId + "/confirm-identity", form, true);
            assertThat(refused.statusCode()).as(caller.roles().toString()).isEqualTo(403);
        }
        ServiceRequest referral = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class);
        assertThat(referral.getSubject().getReference()).isNotEqualTo("Patient/known");
        assertThat(referral.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        relationships.forgetAll();
        assertThat(conditionsOfKnownAs(THERAPIST)).isZero();
    }

    @Test
    void theTriagerMayConfirmThePersonAsNewOrNameAnotherRecordByAValidNhsNumber() {
        String referralId = selfRefer();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;

        HttpResponse<String> badNumber = post(therapist, path, path + "/confirm-identity",
                Map.of("identity", "existing", "nhsNumber", "943 476 5918"));
        assertThat(badNumber.statusCode()).isEqualTo(422);
        assertThat(badNumber.body()).contains("There is a problem", "Enter a valid NHS number");
        HttpResponse<String> unknown = post(therapist, path, path + "/confirm-identity",
                Map.of("identity", "existing", "nhsNumber", "999 000 0018"));
        assertThat(unknown.body()).contains("No confirmed record has that NHS number");
        HttpResponse<String> none = post(therapist, path, path + "/confirm-identity", Map.of());
        assertThat(none.body()).contains("Choose who the person is");

        HttpResponse<String> asNew = post(therapist, path, path + "/confirm-identity", Map.of("identity", "new"));
        assertThat(asNew.statusCode()).isEqualTo(302);
        ServiceRequest referral = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class);
        assertThat(referral.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNull();
        Patient theirs = http.get("/fhir/" + referral.getSubject().getReference()).resource(Patient.class);
        assertThat(theirs.getIdElement().getIdPart()).isNotEqualTo("known");
        assertThat(theirs.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNull();
        assertThat(theirs.getActive()).isTrue();
        relationships.forgetAll();
        assertThat(conditionsOfKnownAs(THERAPIST)).isZero();
        assertThat(page(therapist, path)).doesNotContain("id=\"identity-form\"");
    }

    @Test
    void aSelfReferralAlreadyOnAConfirmedRecordIsNeverEmptiedIntoAnother() {
        // As self-referrals were taken in before triage confirmed identities: tagged, on the matched record.
        ServiceRequest earlier = ReferralFixture.referral("known", SERVICE, null);
        earlier.setId("earlier");
        earlier.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        earlier.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        earlier.getMeta().addTag(ReferralCodes.IDENTITY_STATUS, "unverified", null);
        earlier.addExtension(ReferralCodes.REFERRAL_RECEIVED, new org.hl7.fhir.r4.model.DateTimeType(
                java.util.Date.from(clock.instant())));
        assertThat(http.putJson("/fhir/ServiceRequest/earlier", earlier).status()).isIn(200, 201);
        ReferralFixture fixture = new ReferralFixture(http);
        fixture.patient("other", LocalDate.of(1950, 1, 1), "LE2 7AB", "gp-c82901");
        Patient other = http.get("/fhir/Patient/other").resource(Patient.class);
        other.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018");
        assertThat(http.putJson("/fhir/Patient/other", other).status()).isEqualTo(200);

        HttpClient therapist = signedIn(THERAPIST);
        HttpResponse<String> moved = post(therapist, "/staff/referrals/earlier",
                "/staff/referrals/earlier/confirm-identity", Map.of("identity", "existing", "nhsNumber", "9990000018"));
        assertThat(moved.statusCode()).isEqualTo(422);
        assertThat(moved.body()).contains("on a confirmed record already");
        assertThat(http.get("/fhir/Condition?patient=Patient/known").bundle().getEntry()).hasSize(1);
        assertThat(http.get("/fhir/ServiceRequest/earlier").resource(ServiceRequest.class).getSubject()
                .getReference()).isEqualTo("Patient/known");

        HttpResponse<String> same = post(therapist, "/staff/referrals/earlier",
                "/staff/referrals/earlier/confirm-identity", Map.of("identity", "existing", "nhsNumber", "9434765919"));
        assertThat(same.statusCode()).isEqualTo(302);
        ServiceRequest confirmed = http.get("/fhir/ServiceRequest/earlier").resource(ServiceRequest.class);
        assertThat(confirmed.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNull();
        assertThat(confirmed.getSubject().getReference()).isEqualTo("Patient/known");
        assertThat(http.get("/fhir/Patient/known").resource(Patient.class).hasLink()).isFalse();
        // Its confirmation gives the service the record as a link would: information governance review it too.
        assertThat(jdbc.queryForMap("select referral_id, patient_id, how, matched from access_identity_confirmation"))
                .containsEntry("referral_id", "earlier").containsEntry("patient_id", "known")
                .containsEntry("how", "existing").satisfies(row -> assertThat((String) row.get("matched"))
                        .startsWith("Taken in on this record"));
    }

    @Test
    void aSelfReferralIsLinkedOnlyToARecordWithTheDateOfBirthAndSurnameThePersonGave() {
        // Records a triager might name by NHS number: another person's, and ones differing in one detail.
        record("stranger", "9990000026", LocalDate.of(1950, 1, 1), "Jones");
        record("other-surname", "9990000034", LocalDate.of(1991, 4, 3), "Shah");
        record("other-birthday", "9990000042", LocalDate.of(1991, 4, 4), "Patel");
        String referralId = selfRefer();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;
        String provisional = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class)
                .getSubject().getReference();

        for (String nhsNumber : List.of("9990000026", "9990000034", "9990000042")) {
            HttpResponse<String> refused = post(therapist, path, path + "/confirm-identity",
                    Map.of("identity", "existing", "nhsNumber", nhsNumber));
            assertThat(refused.statusCode()).as(nhsNumber).isEqualTo(422);
            assertThat(refused.body()).as(nhsNumber).contains("There is a problem",
                    "The record with that NHS number does not match the details given (date of birth or surname); "
                            + "check with the person");
        }
        ServiceRequest untouched = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class);
        assertThat(untouched.getSubject().getReference()).isEqualTo(provisional);
        assertThat(untouched.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        assertThat(http.get("/fhir/" + provisional).resource(Patient.class).getActive()).isTrue();

        // The matched record too, once its details no longer fit what the person gave.
        Patient known = http.get("/fhir/Patient/known").resource(Patient.class);
        known.getNameFirstRep().setFamily("Mistry");
        assertThat(http.putJson("/fhir/Patient/known", known).status()).isEqualTo(200);
        HttpResponse<String> matched = post(therapist, path, path + "/confirm-identity", Map.of("identity", "matched"));
        assertThat(matched.body()).contains("does not match the details given");

        // The surname is compared ignoring case and surrounding spaces.
        known.getNameFirstRep().setFamily(" PATEL ");
        assertThat(http.putJson("/fhir/Patient/known", known).status()).isEqualTo(200);
        HttpResponse<String> linked = post(therapist, path, path + "/confirm-identity",
                Map.of("identity", "existing", "nhsNumber", "943 476 5919"));
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(302);
        assertThat(http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class).getSubject()
                .getReference()).isEqualTo("Patient/known");
        for (String other : List.of("stranger", "other-surname", "other-birthday")) {
            assertThat(http.get("/fhir/ServiceRequest?subject=Patient/" + other).bundle().getEntry()).isEmpty();
        }
    }

    @Test
    void linkingMovesOnlyThisReferralWithItsAnswersAndTasks() {
        String referralId = selfRefer();
        String provisional = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class)
                .getSubject().getReference();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;
        // A question to the person: the decision and the question are Tasks of this referral.
        HttpResponse<String> asked = post(therapist, path, path + "/information-request",
                Map.of("question", "Which knee?"));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(302);
        // Other things on the provisional Patient, not of this referral: another unverified referral, answers, a task.
        ServiceRequest another = ReferralFixture.referral(provisional.substring("Patient/".length()),
                "talking-therapies", null);
        another.setId("another");
        another.setRequester(new org.hl7.fhir.r4.model.Reference(provisional));
        another.getMeta().addTag(ReferralCodes.IDENTITY_STATUS, "unverified", null);
        assertThat(http.putJson("/fhir/ServiceRequest/another", another).status()).isIn(200, 201);
        put("QuestionnaireResponse/stray-answers", """
                {"resourceType":"QuestionnaireResponse","id":"stray-answers","status":"completed",
                 "subject":{"reference":"%s"}}""".formatted(provisional));
        put("Task/stray-task", """
                {"resourceType":"Task","id":"stray-task","status":"requested","intent":"order",
                 "for":{"reference":"%s"}}""".formatted(provisional));

        HttpResponse<String> confirmed = post(therapist, path, path + "/confirm-identity", Map.of("identity", "matched"));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(302);

        assertThat(http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class).getSubject()
                .getReference()).isEqualTo("Patient/known");
        QuestionnaireResponse answers = (QuestionnaireResponse) http.get("/fhir/QuestionnaireResponse?based-on="
                + "ServiceRequest/" + referralId).bundle().getEntryFirstRep().getResource();
        assertThat(answers.getSubject().getReference()).isEqualTo("Patient/known");
        List<org.hl7.fhir.r4.model.Task> tasks = http.get("/fhir/Task?focus=ServiceRequest/" + referralId).bundle()
                .getEntry().stream().map(e -> (org.hl7.fhir.r4.model.Task) e.getResource()).toList();
        assertThat(tasks).hasSize(2).allSatisfy(t -> assertThat(t.getFor().getReference()).isEqualTo("Patient/known"));

        ServiceRequest stillThere = http.get("/fhir/ServiceRequest/another").resource(ServiceRequest.class);
        assertThat(stillThere.getSubject().getReference()).isEqualTo(provisional);
        assertThat(stillThere.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        assertThat(http.get("/fhir/QuestionnaireResponse/stray-answers").resource(QuestionnaireResponse.class)
                .getSubject().getReference()).isEqualTo(provisional);
        assertThat(http.get("/fhir/Task/stray-task").resource(org.hl7.fhir.r4.model.Task.class).getFor()
                .getReference()).isEqualTo(provisional);
    }

    @Test
    void theNhsNumberAPersonGaveFindsOnlyTheRealRecordUntilTriageConfirmsThem() {
        // The therapist cares for the patient already, so may see the real record as well as the provisional one.
        put("EpisodeOfCare/known-care", """
                {"resourceType":"EpisodeOfCare","id":"known-care","status":"active",
                 "patient":{"reference":"Patient/known"},"team":[{"reference":"CareTeam/team-therapist-1"}]}""");
        String referralId = selfRefer();
        relationships.forgetAll();
        String provisional = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class)
                .getSubject().getReference();
        String byNumber = "identifier=" + NHS_NUMBER + "%7C9434765919";

        // What the person typed is on the provisional record, but not as its NHS number.
        Patient given = http.get("/fhir/" + provisional).resource(Patient.class);
        assertThat(given.getIdentifier()).noneMatch(i -> NHS_NUMBER.equals(i.getSystem()));
        assertThat(ProvisionalRecords.statedNhsNumber(given)).contains("9434765919");
        // A clinician's look-up by NHS number, a value-only one and the system's all find the real record alone.
        for (FhirHttp caller : List.of(as(THERAPIST), http)) {
            FhirHttp.Response found = caller.get("/fhir/Patient?" + byNumber);
            assertThat(found.status()).as(found.body()).isEqualTo(200);
            assertThat(found.bundle().getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                    .containsExactly("known");
        }
        assertThat(http.get("/fhir/Patient?identifier=9434765919").bundle().getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly("known");
        // A conditional create on the number finds the real record instead of creating another.
        Patient again = new Patient();
        again.addIdentifier().setSystem(NHS_NUMBER).setValue("9434765919");
        FhirHttp.Response conditional = http.postJson("/fhir/Patient", again, "If-None-Exist",
                "identifier=" + NHS_NUMBER + "|9434765919");
        assertThat(conditional.status()).as(conditional.body()).isEqualTo(200);
        assertThat(conditional.resource(Patient.class).getIdElement().getIdPart()).isEqualTo("known");
        // A conditional reference in a transaction resolves to the real record (its criteria URL-encoded).
        FhirHttp.Response bundle = http.post("/fhir", """
                {"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:7d3c1f0e-1111-4a8e-9b0a-2b5f6c7d8e90",
                 "resource":{"resourceType":"Observation","status":"final",
                   "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                   "subject":{"reference":"Patient?identifier=%s%%7C9434765919"}},
                 "request":{"method":"POST","url":"Observation"}}]}""".formatted(URLEncoder.encode(NHS_NUMBER,
                StandardCharsets.UTF_8)), "application/fhir+json");
        assertThat(bundle.status()).as(bundle.body()).isEqualTo(200);
        assertThat(http.get("/fhir/Observation?subject=Patient/known").bundle().getEntry()).hasSize(1);

        // Triage still sees the number the person gave, and the record it matched.
        String page = page(signedIn(THERAPIST), "/staff/referrals/" + referralId);
        assertThat(page).contains("943 476 5919 (as given, not checked)", "id=\"possible-match\"",
                "NHS number 943 476 5919");
    }

    @Test
    void aProvisionalRecordMadeBeforeTheNumberWasKeptAsStatedIsRewrittenAtStartUp() {
        // As intake wrote one before: the typed number as an NHS-number identifier on an unverified Patient.
        put("Patient/legacy-provisional", """
                {"resourceType":"Patient","id":"legacy-provisional","active":true,
                 "meta":{"tag":[{"system":"%s","code":"unverified"}]},
                 "identifier":[{"system":"%s","value":"9434765919"}],
                 "name":[{"family":"Patel","given":["Asha"]}],"birthDate":"1991-04-03"}"""
                .formatted(ReferralCodes.IDENTITY_STATUS, NHS_NUMBER));
        assertThat(http.get("/fhir/Patient?identifier=" + NHS_NUMBER + "%7C9434765919").bundle().getEntry()).hasSize(2);

        assertThat(repair.repair()).isEqualTo(1);

        assertThat(http.get("/fhir/Patient?identifier=" + NHS_NUMBER + "%7C9434765919").bundle().getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly("known");
        Patient rewritten = http.get("/fhir/Patient/legacy-provisional").resource(Patient.class);
        assertThat(rewritten.getIdentifier()).isEmpty();
        assertThat(ProvisionalRecords.statedNhsNumber(rewritten)).contains("9434765919");
        assertThat(repair.repair()).isZero();
    }

    @Test
    void aPersonConfirmedAsNewGetsTheNhsNumberTheyGaveAsTheirsNotYetTraced() {
        String referralId = selfRefer("999 000 0026");
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;
        assertThat(http.get("/fhir/Patient?identifier=" + NHS_NUMBER + "%7C9990000026").bundle().getEntry()).isEmpty();

        HttpResponse<String> asNew = post(therapist, path, path + "/confirm-identity", Map.of("identity", "new"));
        assertThat(asNew.statusCode()).as(asNew.body()).isEqualTo(302);

        String theirs = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class).getSubject()
                .getReference();
        Patient confirmed = http.get("/fhir/" + theirs).resource(Patient.class);
        assertThat(confirmed.getIdentifier()).singleElement().satisfies(i -> {
            assertThat(i.getSystem()).isEqualTo(NHS_NUMBER);
            assertThat(i.getValue()).isEqualTo("9990000026");
            org.hl7.fhir.r4.model.CodeableConcept status = (org.hl7.fhir.r4.model.CodeableConcept) i
                    .getExtensionByUrl(VERIFICATION_STATUS).getValue();
            assertThat(status.getCodingFirstRep().getSystem()).isEqualTo(
                    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland");
            assertThat(status.getCodingFirstRep().getCode()).isEqualTo("02");
        });
        assertThat(ProvisionalRecords.statedNhsNumber(confirmed)).isEmpty();
        assertThat(http.get("/fhir/Patient?identifier=" + NHS_NUMBER + "%7C9990000026").bundle().getEntry())
                .extracting(e -> "Patient/" + e.getResource().getIdElement().getIdPart()).containsExactly(theirs);
        // A new patient is not an existing record's: nothing for information governance to review.
        assertThat(jdbc.queryForObject("select count(*) from access_identity_confirmation", Long.class)).isZero();
    }

    @Test
    void aPersonConfirmedAsNewDoesNotTakeAnotherRecordsNhsNumber() {
        String referralId = selfRefer();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;

        HttpResponse<String> asNew = post(therapist, path, path + "/confirm-identity", Map.of("identity", "new"));
        assertThat(asNew.statusCode()).as(asNew.body()).isEqualTo(302);

        ServiceRequest referral = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class);
        Patient theirs = http.get("/fhir/" + referral.getSubject().getReference()).resource(Patient.class);
        assertThat(theirs.getIdentifier()).noneMatch(i -> NHS_NUMBER.equals(i.getSystem()));
        assertThat(ProvisionalRecords.statedNhsNumber(theirs)).contains("9434765919");
        assertThat(referral.getNote()).extracting(n -> n.getText())
                .anySatisfy(t -> assertThat(t).contains("943 476 5919", "another record's", "trace their NHS number"));
        assertThat(http.get("/fhir/Patient?identifier=" + NHS_NUMBER + "%7C9434765919").bundle().getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly("known");
    }

    @Test
    void linkingASelfReferralToAnExistingRecordGoesOnInformationGovernancesReviewList() {
        String referralId = selfRefer();
        String reference = http.get("/fhir/ServiceRequest/" + referralId).resource(ServiceRequest.class)
                .getIdentifierFirstRep().getValue();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;
        HttpResponse<String> confirmed = post(therapist, path, path + "/confirm-identity", Map.of("identity", "matched"));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(302);

        FhirHttp ig = as(GOVERNANCE);
        FhirHttp.Response listed = ig.get("/api/break-glass/reviews/identity-confirmations");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode items = json(listed.body());
        assertThat(items).hasSize(1);
        JsonNode item = items.get(0);
        assertThat(item.get("kind").asText()).isEqualTo("identity-confirmation");
        assertThat(item.get("patientId").asText()).isEqualTo("known");
        assertThat(item.get("referralId").asText()).isEqualTo(referralId);
        assertThat(item.get("referralReference").asText()).isEqualTo(reference);
        assertThat(item.get("confirmedBy").asText()).isEqualTo("Practitioner/therapist-1");
        assertThat(item.get("confirmedAt").isNull()).isFalse();
        assertThat(item.get("how").asText()).isEqualTo("matched");
        assertThat(item.get("matched").asText()).contains("date of birth 1991-04-03", "surname Patel",
                "NHS number 943 476 5919", "first name Asha");
        // The emergency access list is as it was.
        assertThat(ig.get("/api/break-glass/reviews").body()).isEqualTo("[]");
        // Other staff may not read the list.
        assertThat(as(THERAPIST).get("/api/break-glass/reviews/identity-confirmations").status()).isEqualTo(403);

        // Reviewed once, with a note, in one transaction with its audit record.
        String id = item.get("id").asText();
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        FhirHttp.Response noNote = ig.post("/api/break-glass/identity-confirmations/" + id + "/review", "{}",
                "application/json");
        assertThat(noNote.status()).isEqualTo(400);
        FhirHttp.Response reviewed = ig.post("/api/break-glass/identity-confirmations/" + id + "/review",
                "{\"note\":\"Appropriate: called the person back\"}", "application/json");
        assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
        assertThat(json(reviewed.body()).get("reviewNote").asText()).isEqualTo("Appropriate: called the person back");
        assertThat(jdbc.queryForObject("select xmin::text from audit.event where seq > ?"
                + " and subtype = 'identity-confirmation-review'", String.class, before)).isEqualTo(jdbc
                .queryForObject("select xmin::text from access_identity_confirmation where confirmation_id = ?",
                        String.class, id));
        assertThat(jdbc.queryForMap("select action, who, patients from audit.event where seq > ?"
                + " and subtype = 'identity-confirmation-review'", before)).containsEntry("action", "U")
                .containsEntry("who", "Practitioner/ig-officer").containsEntry("patients", "known");
        FhirHttp.Response again = ig.post("/api/break-glass/identity-confirmations/" + id + "/review",
                "{\"note\":\"Overwritten\"}", "application/json");
        assertThat(again.status()).isEqualTo(409);
        assertThat(json(ig.get("/api/break-glass/reviews/identity-confirmations").body())).isEmpty();
        assertThat(json(ig.get("/api/break-glass/reviews/identity-confirmations?status=reviewed").body()))
                .singleElement().satisfies(r -> assertThat(r.get("reviewNote").asText())
                        .isEqualTo("Appropriate: called the person back"));
    }

    @Test
    void theReviewPageListsIdentityConfirmationsBesideEmergencyAccess() {
        record("other", "9990000018", LocalDate.of(1991, 4, 3), "Patel");
        String referralId = selfRefer();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;
        assertThat(post(therapist, path, path + "/confirm-identity",
                Map.of("identity", "existing", "nhsNumber", "999 000 0018")).statusCode()).isEqualTo(302);

        HttpClient officer = signedIn(GOVERNANCE);
        String list = page(officer, "/staff/emergency-access");
        assertThat(list).contains("Emergency access to review", "Identity confirmations to review",
                "id=\"identity-confirmations\"", "Identity confirmation", "PATEL, Asha", "999 000 0018",
                "Test Therapist");
        String id = jdbc.queryForObject("select confirmation_id from access_identity_confirmation", String.class);
        String one = page(officer, "/staff/emergency-access/identity-confirmations/" + id);
        assertThat(one).contains("Review identity confirmation", "Another record, named by NHS number at triage",
                "NHS number (gave 943 476 5919, the record has 999 000 0018)");
        HttpResponse<String> empty = post(officer, "/staff/emergency-access/identity-confirmations/" + id,
                "/staff/emergency-access/identity-confirmations/" + id, Map.of("note", " "));
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.body()).contains("There is a problem", "Enter a review note");
        HttpResponse<String> done = post(officer, "/staff/emergency-access/identity-confirmations/" + id,
                "/staff/emergency-access/identity-confirmations/" + id, Map.of("note", "Checked with the triager"));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(page(officer, "/staff/emergency-access?status=reviewed")).contains("Checked with the triager");
        assertThat(tokens.get(therapist, "http://localhost:" + port + "/staff/emergency-access/identity-confirmations/"
                + id).statusCode()).isEqualTo(403);
    }

    @Test
    void aRefusedLookAtOrReviewOfAnIdentityConfirmationIsInThePatientsAccessHistory() {
        String referralId = selfRefer();
        HttpClient therapist = signedIn(THERAPIST);
        String path = "/staff/referrals/" + referralId;
        assertThat(post(therapist, path, path + "/confirm-identity", Map.of("identity", "matched")).statusCode())
                .isEqualTo(302);
        String id = jdbc.queryForObject("select confirmation_id from access_identity_confirmation", String.class);
        String page = "/staff/emergency-access/identity-confirmations/" + id;
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        assertThat(tokens.get(therapist, "http://localhost:" + port + page).statusCode()).isEqualTo(403);
        assertThat(post(therapist, path, page, Map.of("note", "Looks fine to me")).statusCode()).isEqualTo(403);
        // A token with the review API's scope reaches the endpoint, which refuses the therapist's role.
        assertThat(as(THERAPIST.scopes("user/*.cruds", "charnwood/break-glass.review"))
                .post("/api/break-glass/identity-confirmations/" + id + "/review",
                "{\"note\":\"Looks fine to me\"}", "application/json").status()).isEqualTo(403);

        // Each refusal's record names the patient whose record the referral was linked to.
        assertThat(jdbc.queryForList("select patients from audit.event where seq > ? and outcome = 4"
                + " and who = 'Practitioner/therapist-1' order by seq", String.class, before))
                .containsExactly("known", "known", "known");
        assertThat(jdbc.queryForObject("select count(*) from audit.event_patient p join audit.event e on e.seq = p.seq"
                + " where p.seq > ? and p.patient = 'known' and e.outcome = 4", Long.class, before)).isEqualTo(3L);
        assertThat(jdbc.queryForObject("select reviewed_at is null from access_identity_confirmation",
                Boolean.class)).isTrue();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Refers Asha Patel to community therapy as anyone could: signed out, with her NHS number and birth date. */
    private String selfRefer() {
        return selfRefer("943 476 5919");
    }

    /** Refers Asha Patel to community therapy, giving the NHS number. */
    private String selfRefer(String nhsNumber) {
        HttpClient anyone = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", csrf(send(anyone, HttpRequest.newBuilder(uri("/services/" + SERVICE + "/self-referral"))
                .GET().build()).body()));
        fields.put("service", SERVICE);
        fields.put("givenName", "Asha");
        fields.put("familyName", "Patel");
        fields.put("dob-day", "03");
        fields.put("dob-month", "04");
        fields.put("dob-year", "1991");
        fields.put("nhsNumber", nhsNumber);
        fields.put("postcode", "LE2 7AB");
        fields.put("phone", "07700 900982");
        fields.put("item-difficulty", "mobility");
        fields.put("item-reason", "Knee pain on stairs");
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> sent = send(anyone, HttpRequest.newBuilder(uri("/self-referral"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
        assertThat(sent.body()).doesNotContain("known", nhsNumber);
        return http.get("/fhir/ServiceRequest?performer=HealthcareService/" + SERVICE).bundle().getEntry().stream()
                .map(e -> (ServiceRequest) e.getResource()).findFirst().orElseThrow().getIdElement().getIdPart();
    }

    /** A confirmed, active record with the NHS number, birth date and surname. */
    private void record(String id, String nhsNumber, LocalDate born, String surname) {
        new ReferralFixture(http).patient(id, born, "LE2 7AB", "gp-c82901");
        Patient p = http.get("/fhir/Patient/" + id).resource(Patient.class);
        p.getNameFirstRep().setFamily(surname);
        p.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber);
        assertThat(http.putJson("/fhir/Patient/" + id, p).status()).isEqualTo(200);
    }

    /** How many of the existing record's conditions the person sees over FHIR. */
    private int conditionsOfKnownAs(TestTokens.Caller caller) {
        FhirHttp.Response r = as(caller).get("/fhir/Condition?patient=Patient/known");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.bundle().getEntry().size();
    }

    private FhirHttp as(TestTokens.Caller caller) {
        return http.as(tokens.bearer(caller));
    }

    /** A practitioner working in the service, on its active care team. */
    private void member(String practitioner, String service) {
        put("Practitioner/" + practitioner, """
                {"resourceType":"Practitioner","id":"%s","name":[{"family":"Therapist","given":["Test"]}]}"""
                .formatted(practitioner));
        put("PractitionerRole/role-" + practitioner, """
                {"resourceType":"PractitionerRole","id":"role-%s","active":true,
                 "practitioner":{"reference":"Practitioner/%s"},
                 "healthcareService":[{"reference":"HealthcareService/%s"}]}""".formatted(practitioner, practitioner,
                service));
        put("CareTeam/team-" + practitioner, """
                {"resourceType":"CareTeam","id":"team-%s","status":"active","name":"%s team",
                 "participant":[{"member":{"reference":"PractitionerRole/role-%s"}}]}""".formatted(practitioner,
                service, practitioner));
    }

    private void put(String path, String json) {
        FhirHttp.Response r = http.put("/fhir/" + path, json, "application/fhir+json");
        assertThat(r.status()).as("PUT " + path + ": " + r.body()).isIn(200, 201);
    }

    private HttpClient signedIn(TestTokens.Caller caller) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(caller), TestTokens.PASSWORD);
        return browser;
    }

    private String page(HttpClient browser, String path) {
        HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** Opens the page and posts the fields with its CSRF token and the referral's version its forms carry. */
    private HttpResponse<String> post(HttpClient browser, String from, String path, Map<String, String> form) {
        Map<String, String> body = new LinkedHashMap<>(form);
        String html = page(browser, from);
        body.put("_csrf", csrf(html));
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("name=\"version\" value=\"(\\d+)\"")
                .matcher(html);
        if (version.find()) {
            body.putIfAbsent("version", version.group(1));
        }
        return tokens.postForm(browser, "http://localhost:" + port + path, body, true);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        return JsonMapper.builder().build().readTree(body);
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }
}
