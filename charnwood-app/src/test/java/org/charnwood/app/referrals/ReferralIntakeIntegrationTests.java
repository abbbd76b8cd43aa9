package org.charnwood.app.referrals;

import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Referrals over FHIR ({@code $refer}) with every kind of bad referral, and pathways published through the API. */
class ReferralIntakeIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    PathwayLoader loader;

    @Autowired
    OutboxRelay relay;

    @Autowired
    CareRelationships relationships;

    private ReferralFixture fixture;

    @BeforeEach
    void pathwaysAndAPatientWithHeartFailure() {
        loader.loadShipped();
        fixture = new ReferralFixture(http);
        fixture.practices();
        fixture.patient("p1", LocalDate.of(1950, 5, 17), "LE1 3AB", "gp-c82901");
        fixture.condition("p1", "84114007", "Heart failure");
    }

    private FhirHttp.Response refer(org.hl7.fhir.r4.model.Resource body) {
        return http.postJson("/fhir/ServiceRequest/$refer", body);
    }

    private long referrals() {
        return http.get("/fhir/ServiceRequest?_summary=count").bundle().getTotal();
    }

    @Test
    void takesInAReferralWithItsAnswersAndStampsReceivedTimeAndReference() {
        Instant before = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ServiceRequest sent = ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers());
        sent.addExtension("https://charnwood.nhs.uk/fhir/StructureDefinition/referral-received",
                new DateTimeType("2020-01-01T00:00:00Z"));

        FhirHttp.Response response = refer(sent);
        Instant after = clock.instant();

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.header("Location")).contains("/ServiceRequest/");
        ServiceRequest stored = response.resource(ServiceRequest.class);
        ServiceRequest read = http.get("/fhir/ServiceRequest/" + stored.getIdElement().getIdPart()).resource(ServiceRequest.class);
        assertThat(read.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(read.getInstantiatesCanonical().get(0).getValue())
                .isEqualTo("https://charnwood.nhs.uk/fhir/PlanDefinition/heart-failure|1");
        assertThat(read.getPerformerFirstRep().getReference()).isEqualTo("HealthcareService/heart-failure");
        assertThat(read.getCategoryFirstRep().hasCoding("http://snomed.info/sct", "3457005")).isTrue();
        assertThat(read.getExtensionsByUrl("https://charnwood.nhs.uk/fhir/StructureDefinition/referral-received"))
                .singleElement().satisfies(e -> {
                    String received = e.getValue().primitiveValue();
                    assertThat(received).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|\\+00:00)");
                    assertThat(((DateTimeType) e.getValue()).getValue().toInstant()).isBetween(before, after);
                });
        assertThat(read.getIdentifierFirstRep().getSystem()).isEqualTo("https://charnwood.nhs.uk/fhir/Id/referral");
        assertThat(read.getIdentifierFirstRep().getValue()).matches("CHW-[0-9A-Z]{4}-[0-9A-Z]{4}");
        assertThat(read.getContained()).isEmpty();
        String answersRef = read.getSupportingInfoFirstRep().getReference();
        QuestionnaireResponse answers = http.get("/fhir/" + answersRef).resource(QuestionnaireResponse.class);
        assertThat(answers.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + read.getIdElement().getIdPart());
        assertThat(answers.getQuestionnaire()).isEqualTo("https://charnwood.nhs.uk/fhir/Questionnaire/heart-failure|1");
        assertThat(answers.getSubject().getReference()).isEqualTo("Patient/p1");
    }

    @Test
    void takesInATransactionBundleFromAGpSystem() {
        QuestionnaireResponse answers = ReferralFixture.heartFailureAnswers();
        ServiceRequest referral = ReferralFixture.referral("p1", "heart-failure", null);
        referral.addSupportingInfo(new org.hl7.fhir.r4.model.Reference("urn:uuid:0b8f7a4e-0000-4000-8000-000000000002"));
        answers.addBasedOn(new org.hl7.fhir.r4.model.Reference("urn:uuid:0b8f7a4e-0000-4000-8000-000000000001"));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:0b8f7a4e-0000-4000-8000-000000000001").setResource(referral)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
        bundle.addEntry().setFullUrl("urn:uuid:0b8f7a4e-0000-4000-8000-000000000002").setResource(answers)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("QuestionnaireResponse");

        FhirHttp.Response response = refer(bundle);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        ServiceRequest stored = response.resource(ServiceRequest.class);
        assertThat(stored.getSupportingInfo()).singleElement()
                .satisfies(r -> assertThat(r.getReference()).startsWith("QuestionnaireResponse/"));
    }

    @Test
    void refusesMissingRequiredAnswersWithOneIssuePerItemAndWritesNothing() {
        long before = referrals();
        FhirHttp.Response response = refer(ReferralFixture.referral("p1", "heart-failure",
                ReferralFixture.answers("ejection-fraction", 35)));

        assertThat(response.status()).isEqualTo(422);
        OperationOutcome outcome = response.outcome();
        assertThat(outcome.getIssue()).extracting(i -> i.getExpression().get(0).getValue())
                .contains("QuestionnaireResponse.item.where(linkId='reason')",
                        "QuestionnaireResponse.item.where(linkId='consent')");
        assertThat(outcome.getIssue()).allSatisfy(i -> assertThat(i.getDetails().getCodingFirstRep().getCode())
                .isEqualTo("CHARNWOOD-5000"));
        assertThat(referrals()).isEqualTo(before);
        assertThat(http.get("/fhir/QuestionnaireResponse?_summary=count").bundle().getTotal()).isZero();
    }

    @Test
    void refusesAnswersOfTheWrongTypeOrNotAmongTheOptions() {
        fixture.condition("p1", "13645005", "Chronic obstructive lung disease");
        FhirHttp.Response response = refer(ReferralFixture.referral("p1", "respiratory",
                ReferralFixture.answers("mrc-dyspnoea", ReferralFixture.choice("9"), "home-oxygen", "often",
                        "reason", "Breathless", "consent", true, "favourite-colour", "blue")));

        assertThat(response.status()).isEqualTo(422);
        List<String> expressions = response.outcome().getIssue().stream()
                .map(i -> i.getExpression().get(0).getValue()).toList();
        assertThat(expressions).containsExactlyInAnyOrder(
                "QuestionnaireResponse.item.where(linkId='favourite-colour')",
                "QuestionnaireResponse.item.where(linkId='mrc-dyspnoea')",
                "QuestionnaireResponse.item.where(linkId='home-oxygen')");
    }

    @Test
    void asksOnlyTheQuestionsItsEnableWhenTurnsOn() {
        fixture.patient("p2", LocalDate.of(1940, 1, 1), "LE11 2AA", "gp-c82901");
        FhirHttp.Response notHousebound = refer(ReferralFixture.referral("p2", "district-nursing",
                ReferralFixture.answers("nursing-need", ReferralFixture.choice("wound-care"), "housebound", false,
                        "reason", "Leg ulcer dressing", "consent", true)));
        assertThat(notHousebound.status()).isEqualTo(422);
        assertThat(notHousebound.outcome().getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("QuestionnaireResponse.item.where(linkId='not-housebound-reason')");

        FhirHttp.Response housebound = refer(ReferralFixture.referral("p2", "district-nursing",
                ReferralFixture.answers("nursing-need", ReferralFixture.choice("wound-care"), "housebound", true,
                        "reason", "Leg ulcer dressing", "consent", true)));
        assertThat(housebound.status()).as(housebound.body()).isEqualTo(201);
    }

    @Test
    void refusesAPatientOutsideTheCriteriaAndNamesTheServiceThatFitsWithItsRule() {
        FhirHttp.Response response = refer(ReferralFixture.referral("p1", "respiratory",
                ReferralFixture.answers("mrc-dyspnoea", ReferralFixture.choice("3"), "home-oxygen", false,
                        "reason", "Breathless", "consent", true)));

        assertThat(response.status()).isEqualTo(422);
        OperationOutcome outcome = response.outcome();
        assertThat(outcome.getIssue()).anySatisfy(i -> {
            assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(i.getDetails().getCodingFirstRep().getCode()).isEqualTo("CHARNWOOD-5001");
            assertThat(i.getDiagnostics()).contains("COPD or asthma");
        });
        assertThat(outcome.getIssue()).anySatisfy(i -> {
            assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.INFORMATION);
            assertThat(i.getDetails().getCodingFirstRep().getCode()).isEqualTo("CHARNWOOD-5007");
            assertThat(i.getDiagnostics()).contains("HealthcareService/heart-failure").contains("heart failure");
        });
    }

    @Test
    void theRulesSeeTheWholeRecordNotItsFirstThousandEntries() {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < 1000; i++) {
            bundle.append(i == 0 ? "" : ",").append("""
                    {"resource":{"resourceType":"Condition","subject":{"reference":"Patient/p1"},
                     "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},
                     "code":{"coding":[{"system":"http://snomed.info/sct","code":"84114007"}]}},
                     "request":{"method":"POST","url":"Condition"}}""");
        }
        assertThat(http.post("/fhir", bundle.append("]}").toString(), "application/fhir+json").status())
                .isEqualTo(200);
        fixture.condition("p1", "13645005", "Chronic obstructive lung disease");

        FhirHttp.Response response = refer(ReferralFixture.referral("p1", "respiratory",
                ReferralFixture.answers("mrc-dyspnoea", ReferralFixture.choice("3"), "home-oxygen", false,
                        "reason", "Breathless", "consent", true)));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void sendsAChildToTheChildrensServiceByTheAgeRule() {
        fixture.patient("child", LocalDate.now(clock).minusYears(9), "LE2 1AA", "gp-c82901");
        FhirHttp.Response response = refer(ReferralFixture.referral("child", "district-nursing",
                ReferralFixture.answers("nursing-need", ReferralFixture.choice("wound-care"), "housebound", true,
                        "reason", "Dressing", "consent", true)));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.outcome().getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics())
                .contains("HealthcareService/childrens-community-nursing").contains("for adults aged 18 and over"));
    }

    @Test
    void refusesAPatientOutsideTheAreaOrWithAPracticeElsewhere() {
        fixture.patient("away", LocalDate.of(1960, 1, 1), "B15 2TT", "gp-m85001");
        FhirHttp.Response response = refer(ReferralFixture.referral("away", "district-nursing",
                ReferralFixture.answers("nursing-need", ReferralFixture.choice("wound-care"), "housebound", true,
                        "reason", "Dressing", "consent", true)));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.outcome().getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .anySatisfy(d -> assertThat(d).contains("B15 2TT"))
                .anySatisfy(d -> assertThat(d).contains("M85001"));
    }

    @Test
    void refusesASecondOpenReferralToTheSameService() {
        assertThat(refer(ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers())).status())
                .isEqualTo(201);
        long before = referrals();

        FhirHttp.Response second = refer(ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers()));

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.DUPLICATE);
        assertThat(second.outcome().getIssueFirstRep().getDiagnostics()).contains("CHW-");
        assertThat(referrals()).isEqualTo(before);
    }

    @Test
    void anOpenReferralHiddenFromTheStaffReferrerIsNotNamedButNotedForTriage() {
        ServiceRequest first = refer(ReferralFixture.referral("p1", "heart-failure",
                ReferralFixture.heartFailureAnswers())).resource(ServiceRequest.class);
        String firstId = first.getIdElement().getIdPart();
        ServiceRequest labelled = http.get("/fhir/ServiceRequest/" + firstId).resource(ServiceRequest.class);
        String firstReference = labelled.getIdentifierFirstRep().getValue();
        labelled.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V",
                "very restricted");
        assertThat(http.putJson("/fhir/ServiceRequest/" + firstId, labelled).status()).isEqualTo(200);
        // A nurse in the patient's care team, who may refer her but may not see very restricted entries.
        assertThat(http.put("/fhir/Practitioner/staff-301", """
                {"resourceType":"Practitioner","id":"staff-301","name":[{"family":"Shah","given":["Priya"]}]}""",
                "application/fhir+json").status()).isEqualTo(201);
        assertThat(http.put("/fhir/CareTeam/p1-team", """
                {"resourceType":"CareTeam","id":"p1-team","status":"active","subject":{"reference":"Patient/p1"},
                 "participant":[{"member":{"reference":"Practitioner/staff-301"}}]}""", "application/fhir+json")
                .status()).isEqualTo(201);
        relationships.forgetAll();
        FhirHttp nurse = http.as(tokens.bearer(org.charnwood.app.testing.TestTokens.Caller.staff(
                "Practitioner/staff-301", org.charnwood.app.security.AccessRole.REGISTERED_NURSE)));

        FhirHttp.Response second = nurse.postJson("/fhir/ServiceRequest/$refer",
                ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers()));

        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.body()).doesNotContain(firstReference, firstId);
        ServiceRequest taken = http.get("/fhir/ServiceRequest/" + second.resource(ServiceRequest.class)
                .getIdElement().getIdPart()).resource(ServiceRequest.class);
        assertThat(taken.getNote()).extracting(org.hl7.fhir.r4.model.Annotation::getText)
                .containsExactly(ReferralIntake.HIDDEN_DUPLICATE_NOTE);
        assertThat(taken.getNoteFirstRep().getText()).doesNotContain(firstReference, firstId);
    }

    @Test
    void refusesAnUnknownPatientAPriorityTheServiceDoesNotTakeAndMissingAnswers() {
        ServiceRequest referral = ReferralFixture.referral("nobody", "neurodevelopmental-assessment", null);
        referral.setPriority(ServiceRequest.ServiceRequestPriority.ASAP);

        FhirHttp.Response response = refer(referral);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.outcome().getIssue()).extracting(i -> i.getExpression().get(0).getValue())
                .contains("ServiceRequest.subject", "ServiceRequest.priority", "ServiceRequest.supportingInfo");
    }

    @Test
    void refusesAServiceWithoutAPathwayAndARetiredPathwayVersion() {
        FhirHttp.Response noPathway = refer(ReferralFixture.referral("p1", "community-inpatients",
                ReferralFixture.heartFailureAnswers()));
        assertThat(noPathway.status()).isEqualTo(422);
        assertThat(noPathway.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CHARNWOOD-5003");

        ServiceRequest old = ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers());
        old.addInstantiatesCanonical("https://charnwood.nhs.uk/fhir/PlanDefinition/heart-failure|7");
        FhirHttp.Response retired = refer(old);
        assertThat(retired.status()).isEqualTo(422);
        assertThat(retired.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CHARNWOOD-5006");
    }

    @Test
    void refusesAReferralFromACallerWhoMayNotMakeOne() {
        String patient = tokens.bearer(org.charnwood.app.testing.TestTokens.Caller.patient("p1"));
        FhirHttp.Response response = http.as(patient).postJson("/fhir/ServiceRequest/$refer",
                ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers()));
        assertThat(response.status()).isEqualTo(403);
        assertThat(http.get("/fhir/ServiceRequest?_summary=count").bundle().getTotal()).isZero();
    }

    @Test
    void aCallerWithoutAccessToThePatientIsRefusedBeforeTheRecordIsLookedAt() {
        String stranger = tokens.bearer(org.charnwood.app.testing.TestTokens.Caller.staff("Practitioner/elsewhere",
                org.charnwood.app.security.AccessRole.REGISTERED_NURSE));
        Long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        // p1 has heart failure, not the COPD the respiratory pathway takes: only someone who may refer p1 hears so.
        FhirHttp.Response response = http.as(stranger).postJson("/fhir/ServiceRequest/$refer",
                ReferralFixture.referral("p1", "respiratory", ReferralFixture.answers("mrc-dyspnoea",
                        ReferralFixture.choice("3"), "home-oxygen", false, "reason", "Breathless", "consent", true)));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("COPD", "heart failure", "heart-failure", "LE1", "C82901");
        assertThat(referrals()).isZero();
        assertThat(jdbc.queryForList("select patients from audit.event where seq > ? and outcome <> 0",
                String.class, before)).containsExactly("p1");
    }

    /**
     * A rule failed only on an entry the sender may not see (a psychosis diagnosis, sealed or very restricted,
     * excluding the patient from talking therapies) is not spoken of to them: the referral is taken with a note for
     * triage that names neither the rule nor the entry. A sender who may see the entry is told, and pointed to the
     * service that fits.
     */
    @Test
    void aRuleFailedOnlyOnAnEntryHiddenFromTheSenderIsNotNamedToThem() {
        hiddenExclusion("sealed", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY",
                AccessRole.REGISTERED_NURSE, AccessRole.ADMIN_BOOKING);
        hiddenExclusion("very-restricted", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V",
                AccessRole.CLINICIAN, AccessRole.REGISTERED_NURSE);
    }

    private void hiddenExclusion(String patient, String labelSystem, String label, AccessRole maySee,
                                 AccessRole mayNotSee) {
        fixture.patient(patient, LocalDate.of(1985, 2, 11), "LE2 7AB", "gp-c82901");
        var psychosis = new org.hl7.fhir.r4.model.Condition();
        psychosis.getMeta().addSecurity(labelSystem, label, null);
        psychosis.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
        psychosis.setCode(new CodeableConcept(new Coding(ReferralFixture.SNOMED, "69322001", "Psychotic disorder")));
        assertThat(http.postJson("/fhir/Condition", psychosis).status()).isEqualTo(201);
        for (String who : List.of(patient + "-sees", patient + "-not")) {
            var practitioner = new org.hl7.fhir.r4.model.Practitioner();
            practitioner.setId(who);
            practitioner.addName().setFamily(who);
            assertThat(http.putJson("/fhir/Practitioner/" + who, practitioner).status()).isEqualTo(201);
        }
        var team = new org.hl7.fhir.r4.model.CareTeam();
        team.setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.ACTIVE);
        team.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
        team.addParticipant().setMember(new org.hl7.fhir.r4.model.Reference("Practitioner/" + patient + "-sees"));
        team.addParticipant().setMember(new org.hl7.fhir.r4.model.Reference("Practitioner/" + patient + "-not"));
        FhirHttp.Response teamed = http.postJson("/fhir/CareTeam", team);
        assertThat(teamed.status()).as(teamed.body()).isEqualTo(201);
        relationships.forgetAll();
        ServiceRequest referral = ReferralFixture.referral(patient, "talking-therapies", ReferralFixture.answers(
                "help-with", ReferralFixture.choice("worry"), "feelings", "Worrying all the time, not sleeping",
                "contact-preference", ReferralFixture.choice("phone")));

        FhirHttp.Response told = http.as(tokens.bearer(Caller.staff("Practitioner/" + patient + "-sees", maySee)))
                .postJson("/fhir/ServiceRequest/$refer", referral);
        assertThat(told.status()).as(told.body()).isEqualTo(422);
        assertThat(told.body()).contains("Severe mental illness", "HealthcareService/community-mental-health");

        FhirHttp.Response taken = http.as(tokens.bearer(Caller.staff("Practitioner/" + patient + "-not", mayNotSee)))
                .postJson("/fhir/ServiceRequest/$refer", referral);
        assertThat(taken.status()).as(taken.body()).isEqualTo(201);
        assertThat(taken.body()).doesNotContain("Severe mental illness", "mental health", "community-mental-health",
                "sychotic", "69322001");
        ServiceRequest stored = http.get("/fhir/ServiceRequest/" + taken.resource(ServiceRequest.class)
                .getIdElement().getIdPart()).resource(ServiceRequest.class);
        assertThat(stored.getNote()).extracting(org.hl7.fhir.r4.model.Annotation::getText)
                .containsExactly(ReferralIntake.HIDDEN_CRITERIA_NOTE);
    }

    @Test
    void refusesAPathwayWithInvalidEclOrInconsistentRules() {
        PlanDefinition definition = http.get("/fhir/PlanDefinition/heart-failure-v1").resource(PlanDefinition.class);
        definition.setId("heart-failure-v2");
        definition.setVersion("2");
        definition.getExtensionsByUrl("https://charnwood.nhs.uk/fhir/StructureDefinition/referral-criterion").stream()
                .filter(e -> e.getExtensionByUrl("ecl") != null).findFirst().orElseThrow()
                .getExtensionByUrl("ecl").setValue(new org.hl7.fhir.r4.model.StringType("<< 84114007 OR AND"));
        definition.getGoalFirstRep().getTargetFirstRep().getMeasure().getCodingFirstRep().setCode("lunch-break");

        FhirHttp.Response response = http.putJson("/fhir/PlanDefinition/heart-failure-v2", definition);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.outcome().getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .anySatisfy(d -> assertThat(d).startsWith("Not valid SNOMED CT ECL"))
                .anySatisfy(d -> assertThat(d).contains("clock"));
    }

    @Test
    void aNewVersionPublishedThroughTheApiRetiresTheOldOneAndReferralsKeepTheirVersion() {
        ServiceRequest first = refer(ReferralFixture.referral("p1", "heart-failure", ReferralFixture.heartFailureAnswers()))
                .resource(ServiceRequest.class);
        PlanDefinition definition = http.get("/fhir/PlanDefinition/heart-failure-v1").resource(PlanDefinition.class);
        definition.setId("heart-failure-v2");
        definition.setVersion("2");
        definition.getGoalFirstRep().getTargetFirstRep().getDue().setValue(1);

        FhirHttp.Response published = http.putJson("/fhir/PlanDefinition/heart-failure-v2", definition);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        relay.relayPending();

        assertThat(http.get("/fhir/PlanDefinition/heart-failure-v1").resource(PlanDefinition.class).getStatus())
                .isEqualTo(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.RETIRED);
        Bundle active = http.get("/fhir/PlanDefinition?url=https://charnwood.nhs.uk/fhir/PlanDefinition/heart-failure&status=active").bundle();
        assertThat(active.getEntry()).singleElement().satisfies(e ->
                assertThat(((PlanDefinition) e.getResource()).getVersion()).isEqualTo("2"));
        ServiceRequest kept = http.get("/fhir/ServiceRequest/" + first.getIdElement().getIdPart()).resource(ServiceRequest.class);
        assertThat(kept.getInstantiatesCanonical().get(0).getValue()).endsWith("heart-failure|1");
    }

    @Test
    void matchesCriteriaThroughTheHierarchyOfTheSampleTerminology() {
        // The synthetic sample: "type alpha" is a heart-like organ disorder two levels down.
        PlanDefinition definition = http.get("/fhir/PlanDefinition/heart-failure-v1").resource(PlanDefinition.class);
        definition.setId("heart-failure-v2");
        definition.setVersion("2");
        definition.getExtensionsByUrl("https://charnwood.nhs.uk/fhir/StructureDefinition/referral-criterion").stream()
                .filter(e -> e.getExtensionByUrl("ecl") != null).findFirst().orElseThrow()
                .getExtensionByUrl("ecl").setValue(new org.hl7.fhir.r4.model.StringType(
                        "<< 10079999999108 |Synthetic heart-like organ disorder|"));
        assertThat(http.putJson("/fhir/PlanDefinition/heart-failure-v2", definition).status()).isEqualTo(201);
        relay.relayPending();
        fixture.patient("p3", LocalDate.of(1955, 2, 2), "LE4 1AA", "gp-c82901");

        ServiceRequest noDisorder = ReferralFixture.referral("p3", "heart-failure", ReferralFixture.heartFailureAnswers());
        assertThat(refer(noDisorder).status()).isEqualTo(422);

        ServiceRequest withReason = ReferralFixture.referral("p3", "heart-failure", ReferralFixture.heartFailureAnswers());
        withReason.addReasonCode(new CodeableConcept(new Coding("http://snomed.info/sct", "10109999999103",
                "Synthetic heart-like organ disorder type alpha")));
        FhirHttp.Response accepted = refer(withReason);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.resource(ServiceRequest.class).getInstantiatesCanonical().get(0).getValue()).endsWith("|2");
    }
}
