package org.charnwood.app.triage;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The triage actions over HTTP, as signed-in staff use them: each decision is written as the referral contract
 * says, in one transaction, by the service's own nurse only; the referrer sees the outcome over FHIR and on
 * "My referrals", and answering a question (on the page, or by completing the Task over FHIR) puts the referral
 * back in the queue.
 */
class TriageIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller UCR_NURSE = TestTokens.Caller.staff(ReferralFixture.UCR_NURSE,
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller DISTRICT_NURSE = TestTokens.Caller.staff(ReferralFixture.DISTRICT_NURSE,
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller GP = TestTokens.Caller.staff(ReferralFixture.GP, AccessRole.CLINICIAN);
    private static final String TASK_CODES = "https://charnwood.nhs.uk/fhir/CodeSystem/referral-task";
    private static final String RECEIVED = "https://charnwood.nhs.uk/fhir/StructureDefinition/referral-received";

    @Autowired
    CareRelationships relationships;

    private Instant received;

    @BeforeEach
    void aTwoHourReferralAwaitsTriage() {
        received = ReferralFixture.load(http, clock.instant());
        relationships.forgetAll();
    }

    @Test
    void theQueueShowsTheReferralWithItsClocksToTheServicesNurse() {
        String html = page(signedIn(UCR_NURSE), "/staff/services/urgent-community-response/triage").body();
        assertThat(html).contains("MARSH, Edith", "999 000 0018", "2-hour urgent", "data-referral=\"ref-1\"");
        // 100 of 120 minutes: near breach on the 2-hour clock; the pathway's 30-minute triage target is breached.
        assertThat(html).contains("data-clock=\"urgent-response\" data-state=\"NEAR_BREACH\"",
                "data-clock=\"referral-to-triage\" data-state=\"BREACHED\"", ">Near breach<", ">Breached<");
    }

    @Test
    void theReferralPageShowsTheFormAnswersAndTheDecisionForms() {
        String html = page(signedIn(UCR_NURSE), "/staff/referrals/ref-1").body();
        assertThat(html).contains("Fell at home overnight, unable to get up without help", "Any serious injury?",
                "Dr Ravi Patel", "id=\"accept-form\"", "id=\"reject-form\"", "id=\"redirect-form\"", "id=\"ask-form\"");
    }

    @Test
    void acceptingOpensAnEpisodeWithTheServicesTeamAndRecordsTheDecision() {
        HttpClient nurse = signedIn(UCR_NURSE);
        HttpResponse<String> r = post(nurse, "/staff/referrals/ref-1", "/staff/referrals/ref-1/accept",
                Map.of("note", "Visit this morning"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/staff/services/urgent-community-response/triage");

        Task decision = task(tasks("triage"));
        assertThat(decision.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(decision.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("accepted");
        assertThat(decision.getFocus().getReference()).isEqualTo("ServiceRequest/ref-1");
        assertThat(decision.getFor().getReference()).isEqualTo("Patient/p1");
        assertThat(decision.getOwner().getReference()).isEqualTo(ReferralFixture.UCR_NURSE);
        EpisodeOfCare episode = (EpisodeOfCare) only(http.get(
                "/fhir/EpisodeOfCare?incoming-referral=ServiceRequest/ref-1").bundle()).getResource();
        assertThat(episode).isNotNull();
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        assertThat(episode.getTeamFirstRep().getReference()).isEqualTo("CareTeam/team-urgent-community-response");
        assertThat(episode.getManagingOrganization().getReference()).isEqualTo("Organization/trust-r9c");
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);

        assertThat(page(nurse, "/staff/services/urgent-community-response/triage").body())
                .contains("Referral accepted", "id=\"awaiting-empty\"");
        assertThat(page(nurse, "/staff/services/urgent-community-response/waiting-list").body())
                .contains("data-referral=\"ref-1\"", "MARSH, Edith");
        FhirHttp.Response json = http.get("/api/services/urgent-community-response/waiting-list");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.body()).contains("\"referral\":\"ServiceRequest/ref-1\"", "\"clock\":\"urgent-response\"",
                "\"weeksWaited\":0");
    }

    @Test
    void theWaitingListsAuditRecordNamesOnlyThePatientsItLists() {
        // ref-1 awaits triage, so the waiting list (accepted referrals only) lists nobody, though it reads ref-1.
        HttpClient nurse = signedIn(UCR_NURSE);
        String token = tokens.bearer(UCR_NURSE);
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        assertThat(page(nurse, "/staff/services/urgent-community-response/waiting-list").body())
                .doesNotContain("MARSH, Edith");
        FhirHttp.Response json = http.as(token).get("/api/services/urgent-community-response/waiting-list");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.body()).doesNotContain("Patient/p1");

        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ? and patients like '%p1%'",
                Long.class, before)).isZero();
    }

    @Test
    void aDecisionIsMadeOnceEvenWhenTwoNursesAcceptAtTheSameMoment() throws Exception {
        HttpClient first = signedIn(UCR_NURSE);
        String html = page(first, "/staff/referrals/ref-1").body();
        String csrf = csrf(html);
        String version = version(html);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> both = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Callable<HttpResponse<String>> accept = () -> tokens.postForm(first,
                        "http://localhost:" + port + "/staff/referrals/ref-1/accept",
                        Map.of("_csrf", csrf, "version", version), true);
                both.add(pool.submit(accept));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : both) {
                answers.add(f.get());
            }
            // One decides it; the other is told, with a 409, that someone else decided it first.
            assertThat(answers).anyMatch(r -> r.statusCode() == 302
                    && r.headers().firstValue("Location").orElse("").endsWith("/triage"));
            assertThat(answers).anyMatch(r -> r.statusCode() == 409
                    && r.body().contains("Someone else decided this referral after you opened it"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(tasks("triage").getEntry()).hasSize(1);
        assertThat(http.get("/fhir/EpisodeOfCare?incoming-referral=ServiceRequest/ref-1").bundle().getEntry()).hasSize(1);
    }

    @Test
    void aDecisionOnAReferralChangedSinceThePageWasOpenedIsRefusedAndWhatWasTypedIsKept() {
        HttpClient nurse = signedIn(UCR_NURSE);
        String html = page(nurse, "/staff/referrals/ref-1").body();
        String opened = version(html);
        assertThat(opened).isNotNull();

        ServiceRequest changed = referral("ref-1");
        changed.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
        assertThat(http.putJson("/fhir/ServiceRequest/ref-1", changed).status()).isEqualTo(200);

        HttpResponse<String> stale = tokens.postForm(nurse, "http://localhost:" + port + "/staff/referrals/ref-1/accept",
                Map.of("_csrf", csrf(html), "version", opened, "note", "Visit this morning"), true);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("id=\"conflict\"", "Someone else changed this referral after you opened it",
                "your decision has not been saved", "Urgent", "Visit this morning",
                "name=\"version\" value=\"" + (Integer.parseInt(opened) + 1) + "\"");
        assertThat(tasks("triage").getEntry()).isEmpty();
        assertThat(http.get("/fhir/EpisodeOfCare?incoming-referral=ServiceRequest/ref-1").bundle().getEntry()).isEmpty();

        // Decided again from the page as it is now, the decision is made.
        HttpResponse<String> again = tokens.postForm(nurse, "http://localhost:" + port
                + "/staff/referrals/ref-1/accept", Map.of("_csrf", csrf(stale.body()), "version", version(stale.body()),
                "note", "Visit this morning"), true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(302);
        assertThat(tasks("triage").getEntry()).hasSize(1);
    }

    @Test
    void rejectingNeedsACodedReasonAndWritesNothingWithoutOne() {
        HttpClient nurse = signedIn(UCR_NURSE);
        HttpResponse<String> missing = post(nurse, "/staff/referrals/ref-1", "/staff/referrals/ref-1/reject",
                Map.of("note", "No"));
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).contains("id=\"error-summary\"", "href=\"#reject-reason\"",
                "Choose why the referral is being rejected");
        assertThat(tasks("triage").getEntry()).isEmpty();
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);

        HttpResponse<String> r = post(nurse, "/staff/referrals/ref-1", "/staff/referrals/ref-1/reject",
                Map.of("reason", "out-of-area", "note", "Lives in Northamptonshire"));
        assertThat(r.statusCode()).isEqualTo(302);
        Task decision = task(tasks("triage"));
        assertThat(decision.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("rejected");
        assertThat(decision.getStatusReason().getCodingFirstRep().getSystem()).isEqualTo(RejectionReason.SYSTEM);
        assertThat(decision.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("out-of-area");
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        assertThat(http.get("/fhir/EpisodeOfCare?incoming-referral=ServiceRequest/ref-1").bundle().getEntry()).isEmpty();
    }

    @Test
    void aRedirectedReferralKeepsItsSecurityLabels() {
        ServiceRequest labelled = referral("ref-1");
        labelled.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", "restricted");
        assertThat(http.putJson("/fhir/ServiceRequest/ref-1", labelled).status()).isEqualTo(200);

        HttpResponse<String> r = post(signedIn(UCR_NURSE), "/staff/referrals/ref-1", "/staff/referrals/ref-1/redirect",
                Map.of("service", ReferralFixture.DISTRICT_NURSING, "note", "Not a crisis: wound care"));
        assertThat(r.statusCode()).isEqualTo(302);
        ServiceRequest next = (ServiceRequest) only(http.get("/fhir/ServiceRequest?replaces=ServiceRequest/ref-1")
                .bundle()).getResource();
        assertThat(next.getMeta().getSecurity()).extracting(c -> c.getCode()).contains("R");
    }

    @Test
    void redirectingReplacesTheReferralAndKeepsItsReceivedTime() {
        HttpResponse<String> r = post(signedIn(UCR_NURSE), "/staff/referrals/ref-1", "/staff/referrals/ref-1/redirect",
                Map.of("service", ReferralFixture.DISTRICT_NURSING, "note", "Not a crisis: wound care"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        Bundle onward = http.get("/fhir/ServiceRequest?replaces=ServiceRequest/ref-1").bundle();
        ServiceRequest next = (ServiceRequest) only(onward).getResource();
        assertThat(next.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(next.getPerformerFirstRep().getReference()).isEqualTo("HealthcareService/district-nursing");
        assertThat(((DateTimeType) next.getExtensionByUrl(RECEIVED).getValue()).getValue().toInstant())
                .isEqualTo(received);
        assertThat(next.getSubject().getReference()).isEqualTo("Patient/p1");
        assertThat(next.getRequester().getReference()).isEqualTo(ReferralFixture.GP);
        Task decision = task(tasks("triage"));
        assertThat(decision.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("redirected");
        assertThat(((org.hl7.fhir.r4.model.Reference) decision.getOutputFirstRep().getValue()).getReference())
                .isEqualTo("ServiceRequest/" + next.getIdElement().getIdPart());

        relationships.forgetAll();
        String queue = page(signedIn(DISTRICT_NURSE), "/staff/services/district-nursing/triage").body();
        assertThat(queue).contains("data-referral=\"" + next.getIdElement().getIdPart() + "\"", "MARSH, Edith");
    }

    @Test
    void askingTheReferrerPutsTheReferralOnHoldUntilTheyCompleteTheTaskOverFhir() {
        HttpResponse<String> r = post(signedIn(UCR_NURSE), "/staff/referrals/ref-1",
                "/staff/referrals/ref-1/information-request", Map.of("question", "Is she on anticoagulants?"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ONHOLD);
        assertThat(task(tasks("triage")).getBusinessStatus().getCodingFirstRep().getCode())
                .isEqualTo("information-requested");

        // The referrer reads their referral and the Task history over FHIR with their own token.
        FhirHttp gp = http.as(tokens.bearer(GP));
        assertThat(gp.get("/fhir/ServiceRequest/ref-1").resource(ServiceRequest.class).getStatus())
                .isEqualTo(ServiceRequest.ServiceRequestStatus.ONHOLD);
        Bundle history = gp.get("/fhir/Task?focus=ServiceRequest/ref-1").bundle();
        assertThat(history.getEntry()).hasSize(2);
        Task question = (Task) only(gp.get("/fhir/Task?focus=ServiceRequest/ref-1&code=" + TASK_CODES
                + "%7Cinformation-request&owner=" + ReferralFixture.GP).bundle()).getResource();
        assertThat(question.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);

        question.setStatus(Task.TaskStatus.COMPLETED);
        question.addOutput().setType(new org.hl7.fhir.r4.model.CodeableConcept().setText("Answer"))
                .setValue(new StringType("Yes, apixaban 5 mg twice daily"));
        FhirHttp.Response answered = gp.putJson("/fhir/Task/" + question.getIdElement().getIdPart(), question);
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE));
        assertThat(page(signedIn(UCR_NURSE), "/staff/services/urgent-community-response/triage").body())
                .contains("data-referral=\"ref-1\"", "id=\"on-hold-empty\"");
    }

    @Test
    void theReferrerMayNotTakeOverSomeoneElsesTask() {
        post(signedIn(UCR_NURSE), "/staff/referrals/ref-1", "/staff/referrals/ref-1/information-request",
                Map.of("question", "Is she on anticoagulants?"));
        Task decision = task(tasks("triage"));
        decision.setOwner(new org.hl7.fhir.r4.model.Reference(ReferralFixture.GP));
        FhirHttp gp = http.as(tokens.bearer(GP));
        assertThat(gp.putJson("/fhir/Task/" + decision.getIdElement().getIdPart(), decision).status()).isEqualTo(403);
    }

    @Test
    void theReferrerAnswersOnMyReferralsAndTheReferralReturnsToTheQueue() {
        post(signedIn(UCR_NURSE), "/staff/referrals/ref-1", "/staff/referrals/ref-1/information-request",
                Map.of("question", "Is she on anticoagulants?"));
        HttpClient gp = signedIn(GP);
        String mine = page(gp, "/staff/referrals/mine").body();
        assertThat(mine).contains("Is she on anticoagulants?", "Answer needed", "data-referral=\"ref-1\"");
        String taskId = ((Task) only(tasks("information-request")).getResource()).getIdElement().getIdPart();

        HttpResponse<String> empty = post(gp, "/staff/referrals/ref-1",
                "/staff/referrals/ref-1/information-requests/" + taskId + "/answer", Map.of("answer", " "));
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.body()).contains("id=\"error-summary\"", "Enter your answer");
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ONHOLD);

        HttpResponse<String> r = post(gp, "/staff/referrals/ref-1",
                "/staff/referrals/ref-1/information-requests/" + taskId + "/answer",
                Map.of("answer", "Yes, apixaban 5 mg twice daily"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/staff/referrals/mine");
        Task answered = (Task) only(tasks("information-request")).getResource();
        assertThat(answered.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(answered.getOutputFirstRep().getValue().primitiveValue()).isEqualTo("Yes, apixaban 5 mg twice daily");
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(page(gp, "/staff/referrals/ref-1").body()).contains("Yes, apixaban 5 mg twice daily")
                .doesNotContain("id=\"accept-form\"");
    }

    @Test
    void aNurseOfAnotherServiceMayNotTriageNorSeeTheQueue() {
        HttpClient other = signedIn(DISTRICT_NURSE);
        assertThat(tokens.get(other, "http://localhost:" + port + "/staff/services/urgent-community-response/triage")
                .statusCode()).isEqualTo(403);
        assertThat(tokens.get(other, "http://localhost:" + port + "/staff/referrals/ref-1").statusCode())
                .isEqualTo(403);
        String csrf = csrf(page(other, "/staff/services/district-nursing/triage").body());
        HttpResponse<String> refused = tokens.postForm(other,
                "http://localhost:" + port + "/staff/referrals/ref-1/accept", Map.of("_csrf", csrf), true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(tasks("triage").getEntry()).isEmpty();
        assertThat(rows("fhir_resource where res_type = 'EpisodeOfCare'")).isZero();
        assertThat(http.as(tokens.bearer(DISTRICT_NURSE)).get("/api/services/urgent-community-response/waiting-list")
                .status()).isEqualTo(403);
    }

    /** Someone whose role in the service has ended (moved on, left the trust) no longer triages it. */
    @Test
    void aNurseWhoseRoleInTheServiceHasEndedMayNotTriage() {
        HttpClient nurse = signedIn(UCR_NURSE);
        page(nurse, "/staff/services/urgent-community-response/triage");
        ReferralFixture.put(http, "PractitionerRole/role-101", """
                {"resourceType":"PractitionerRole","id":"role-101","active":true,
                 "period":{"start":"2021-05-04","end":"%s"},
                 "practitioner":{"reference":"Practitioner/staff-101"},
                 "organization":{"reference":"Organization/trust-r9c"},
                 "healthcareService":[{"reference":"HealthcareService/urgent-community-response"}]}"""
                .formatted(today().minusDays(2)));
        relationships.forgetAll();
        assertThat(tokens.get(nurse, "http://localhost:" + port + "/staff/services/urgent-community-response/triage")
                .statusCode()).isEqualTo(403);
        assertThat(http.as(tokens.bearer(UCR_NURSE)).get("/api/services/urgent-community-response/waiting-list")
                .status()).isEqualTo(403);
        assertThat(http.as(tokens.bearer(UCR_NURSE)).get("/fhir/ServiceRequest/ref-1").status()).isEqualTo(404);
    }

    @Test
    void aTherapistOfTheServiceCannotDecideAVeryRestrictedReferralHiddenFromThem() {
        ServiceRequest labelled = referral("ref-1");
        labelled.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V",
                "very restricted");
        assertThat(http.putJson("/fhir/ServiceRequest/ref-1", labelled).status()).isEqualTo(200);
        HttpClient therapist = signedIn(TestTokens.Caller.staff(ReferralFixture.UCR_NURSE,
                AccessRole.HEALTH_PROFESSIONAL));
        assertThat(tokens.get(therapist, "http://localhost:" + port + "/staff/referrals/ref-1").statusCode())
                .isEqualTo(404);

        String csrf = csrf(page(therapist, "/staff/services/urgent-community-response/triage").body());
        for (String action : List.of("accept", "reject", "redirect", "information-request")) {
            HttpResponse<String> refused = tokens.postForm(therapist, "http://localhost:" + port
                    + "/staff/referrals/ref-1/" + action, Map.of("_csrf", csrf, "reason", "duplicate",
                    "service", ReferralFixture.DISTRICT_NURSING, "question", "Is she on anticoagulants?"), true);
            assertThat(refused.statusCode()).as(action).isEqualTo(404);
        }
        assertThat(tasks("triage").getEntry()).isEmpty();
        assertThat(rows("fhir_resource where res_type = 'EpisodeOfCare'")).isZero();
        assertThat(referral("ref-1").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
    }

    @Test
    void theWaitingListThroughAnAppNeedsAScopeToSearchServiceRequests() {
        String path = "/api/services/urgent-community-response/waiting-list";
        FhirHttp.Response signInOnly = http.as(tokens.bearer(UCR_NURSE.signInOnly())).get(path);
        FhirHttp.Response observations = http.as(tokens.bearer(UCR_NURSE.scopes("user/Observation.rs"))).get(path);
        FhirHttp.Response referrals = http.as(tokens.bearer(UCR_NURSE.scopes("user/ServiceRequest.rs"))).get(path);

        assertThat(signInOnly.status()).isEqualTo(403);
        assertThat(observations.status()).isEqualTo(403);
        assertThat(referrals.status()).as(referrals.body()).isEqualTo(200);
    }

    @Test
    void aHealthCareAssistantOfTheServiceMayNotTriage() {
        HttpClient hca = signedIn(TestTokens.Caller.staff(ReferralFixture.UCR_NURSE, AccessRole.HEALTH_CARE_ASSISTANT));
        assertThat(tokens.get(hca, "http://localhost:" + port + "/staff/services/urgent-community-response/triage")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void complianceCountsTheTwoHourReferralsMetThisMonth() {
        ReferralFixture.referral(http, "ref-2", ReferralFixture.UCR, "asap", received, null);
        ReferralFixture.put(http, "Encounter/visit-2", """
                {"resourceType":"Encounter","id":"visit-2","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HH"},
                 "subject":{"reference":"Patient/p1"},"basedOn":[{"reference":"ServiceRequest/ref-2"}],
                 "period":{"start":"%s","end":"%s"}}""".formatted(received.plus(Duration.ofMinutes(50)),
                received.plus(Duration.ofMinutes(80))));
        FhirHttp.Response json = http.get("/api/services/urgent-community-response/waiting-list");
        assertThat(json.status()).isEqualTo(200);
        // ref-1 is still running within two hours (pending), ref-2 was seen in 50 minutes (met).
        assertThat(json.body()).contains("{\"clock\":\"urgent-response\",\"met\":1,\"breached\":0,\"pending\":1,"
                + "\"percentMet\":100}");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private Bundle tasks(String code) {
        return http.get("/fhir/Task?focus=ServiceRequest/ref-1&code=" + TASK_CODES + "%7C" + code).bundle();
    }

    private static Bundle.BundleEntryComponent only(Bundle bundle) {
        assertThat(bundle.getEntry()).hasSize(1);
        return bundle.getEntryFirstRep();
    }

    private static Task task(Bundle bundle) {
        return (Task) only(bundle).getResource();
    }

    private ServiceRequest referral(String id) {
        return http.get("/fhir/ServiceRequest/" + id).resource(ServiceRequest.class);
    }

    private HttpClient signedIn(TestTokens.Caller caller) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(caller), TestTokens.PASSWORD);
        return browser;
    }

    private HttpResponse<String> page(HttpClient browser, String path) {
        HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r;
    }

    /** Opens the page and posts the fields with its CSRF token and the referral's version its forms carry. */
    private HttpResponse<String> post(HttpClient browser, String from, String path, Map<String, String> form) {
        Map<String, String> body = new LinkedHashMap<>(form);
        String html = page(browser, from).body();
        body.put("_csrf", csrf(html));
        String version = version(html);
        if (version != null) {
            body.putIfAbsent("version", version);
        }
        return tokens.postForm(browser, "http://localhost:" + port + path, body, true);
    }

    /** The version of the referral the page's decision forms carry, or null when it offers none. */
    private static String version(String html) {
        Matcher m = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }
}
