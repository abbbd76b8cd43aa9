package org.charnwood.app.scheduling;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.Route;
import org.charnwood.scheduling.visits.SolveLimits;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The team-day pages over HTTP, signed in on the sign-in page: a district nurse of the team plans the day in the
 * background, sees the routes, the visits left out and the score, and publishes it (twice, without double-booking);
 * adds an urgent visit and sees what the replan moved; a healthcare assistant of the team sees the day but may not
 * plan it; someone outside the team is refused; and the run sheet lists only the signed-in nurse's own visits.
 */
class TeamDayPagesIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;

    @Autowired
    DistrictNursingScheduler scheduler;

    @Autowired
    CareRelationships relationships;

    @Autowired
    TeamDayPlans plans;

    private LocalDate day;
    private List<String> patients;

    @BeforeEach
    void aSmallDayForTheCharnwoodTeam() {
        plans.forgetAll();
        // Tomorrow: planning and replanning a day to come do not depend on the time of day the tests run at
        // (an urgent visit is then due from 09:00, not from now).
        day = clock.instant().atZone(TeamDayReader.LONDON).toLocalDate().plusDays(1);
        patients = TeamDayFixture.load(repository, day);
        relationships.forgetAll();
    }

    @Test
    void aDistrictNurseOfTheTeamPlansTheDaySeesTheRoutesAndScoreAndPublishesIt() {
        HttpClient nurse = signedIn(TeamDayFixture.first(repository, "District Nurse"), AccessRole.REGISTERED_NURSE);
        String path = "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day;
        String before = page(nurse, path);
        assertThat(before).contains("id=\"no-plan\"", "id=\"plan-day\"");

        HttpResponse<String> started = post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/plan", before,
                Map.of("date", day.toString()));
        assertThat(started.statusCode()).isEqualTo(302);
        assertThat(started.headers().firstValue("Location").orElseThrow()).endsWith(path);
        String planned = ready(nurse, path);
        assertThat(planned).contains("Draft: not yet published", "id=\"timeline-title\"", "id=\"routes\"",
                "The score explained", "Travel time", "Every visit is in the plan", "10 of 10", "VISITA, Test");

        HttpResponse<String> published = post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/publish",
                planned, Map.of("date", day.toString()));
        assertThat(published.statusCode()).isEqualTo(302);
        assertThat(liveAppointments()).hasSize(10);
        String after = page(nurse, path);
        assertThat(after).contains("Published: 10 visits booked", "id=\"plan-status\">Published<");

        post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/publish", after, Map.of("date", day.toString()));
        assertThat(liveAppointments()).as("publishing again does not double-book").hasSize(10)
                .extracting(a -> a.getBasedOnFirstRep().getReference()).doesNotHaveDuplicates();
    }

    @Test
    void anUrgentVisitIsRecordedAndTheDayReplannedShowingWhatMoved() {
        TeamDayFixture.Member lead = TeamDayFixture.first(repository, "District Nurse");
        HttpClient nurse = signedIn(lead, AccessRole.REGISTERED_NURSE);
        scheduler.publish(TeamDayFixture.TEAM, scheduler.plan(TeamDayFixture.TEAM, day,
                SolveLimits.moves(5_000, 5)));
        String path = "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day;
        String before = page(nurse, path);
        assertThat(before).contains("id=\"plan-status\">Published<", "id=\"urgent-form\"");

        HttpResponse<String> missing = post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/urgent", before,
                Map.of("date", day.toString(), "patientId", "", "need", ""));
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).contains("Select the patient who needs an urgent visit",
                "Select what the urgent visit is for");

        HttpResponse<String> urgent = post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/urgent", before,
                Map.of("date", day.toString(), "patientId", patients.get(4),
                        "need", "Blocked catheter: catheter change"));
        assertThat(urgent.statusCode()).isEqualTo(302);
        List<ServiceRequest> stat = repository.search(new SearchRequest("ServiceRequest",
                        Map.of("priority", List.of("stat")), false)).matches().stream()
                .map(s -> s.parse(ServiceRequest.class)).toList();
        assertThat(stat).singleElement().satisfies(r -> {
            assertThat(r.getSubject().getReference()).isEqualTo("Patient/" + patients.get(4));
            assertThat(r.getPerformerFirstRep().getReference()).isEqualTo("CareTeam/" + TeamDayFixture.TEAM);
            assertThat(r.getRequester().getReference()).isEqualTo(lead.practitioner());
        });
        String replanned = ready(nurse, path);
        assertThat(replanned).contains("What the replan moved", "Blocked catheter: catheter change",
                "Draft: not yet published");
    }

    @Test
    void aVisitNobodyCanMakeIsListedWithTheRuleThatKeptItOut() {
        repository.inTransaction(session -> {
            ServiceRequest tooEarly = new ServiceRequest();
            tooEarly.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
            tooEarly.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
            tooEarly.setCode(new org.hl7.fhir.r4.model.CodeableConcept().setText("Syringe driver review"));
            tooEarly.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patients.get(2)));
            tooEarly.addPerformer(new org.hl7.fhir.r4.model.Reference("CareTeam/" + TeamDayFixture.TEAM));
            tooEarly.setOccurrence(new org.hl7.fhir.r4.model.Period()
                    .setStart(java.util.Date.from(day.atTime(6, 0).atZone(TeamDayReader.LONDON).toInstant()))
                    .setEnd(java.util.Date.from(day.atTime(6, 30).atZone(TeamDayReader.LONDON).toInstant())));
            return session.create(tooEarly);
        });
        HttpClient nurse = signedIn(TeamDayFixture.first(repository, "District Nurse"), AccessRole.REGISTERED_NURSE);
        String path = "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day;
        post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/plan", page(nurse, path),
                Map.of("date", day.toString()));
        String planned = ready(nurse, path);
        assertThat(planned).contains("10 of 11", "Visits left out and the rules that kept them out");
        String leftOut = planned.substring(planned.indexOf("id=\"unassigned\""), planned.indexOf("id=\"score\""));
        assertThat(leftOut).contains("VISITC, Test", "Syringe driver review", "06:00 to 06:30", "Time window");
    }

    @Test
    void aHealthcareAssistantOfTheTeamSeesTheDayButMayNotPlanOrPublishIt() {
        HttpClient assistant = signedIn(TeamDayFixture.first(repository, "Healthcare Assistant"),
                AccessRole.HEALTH_CARE_ASSISTANT);
        String html = page(assistant, "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day);
        assertThat(html).contains("id=\"no-plan\"").doesNotContain("id=\"plan-day\"", "id=\"urgent-form\"");
        HttpResponse<String> refused = post(assistant, "/staff/teams/" + TeamDayFixture.TEAM + "/day/plan", html,
                Map.of("date", day.toString()));
        assertThat(refused.statusCode()).isEqualTo(403);
        HttpResponse<String> refusedPublish = post(assistant, "/staff/teams/" + TeamDayFixture.TEAM
                + "/day/publish", html, Map.of("date", day.toString()));
        assertThat(refusedPublish.statusCode()).isEqualTo(403);
    }

    @Test
    void aRefusedPublishOrLookAtTheDayIsInTheAccessHistoryOfEveryPatientOfTheDay() {
        HttpClient lead = signedIn(TeamDayFixture.first(repository, "District Nurse"), AccessRole.REGISTERED_NURSE);
        String path = "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day;
        post(lead, "/staff/teams/" + TeamDayFixture.TEAM + "/day/plan", page(lead, path),
                Map.of("date", day.toString()));
        ready(lead, path);
        java.util.Set<String> planned = new java.util.TreeSet<>();
        plans.day(TeamDayFixture.TEAM, day).orElseThrow().plan().routes()
                .forEach(r -> r.visits().forEach(v -> planned.add(v.patientId())));
        assertThat(planned).hasSizeGreaterThan(1);

        TeamDayFixture.Member assistantMember = TeamDayFixture.first(repository, "Healthcare Assistant");
        HttpClient assistant = signedIn(assistantMember, AccessRole.HEALTH_CARE_ASSISTANT);
        String html = page(assistant, path);
        long before = maxSeq();
        HttpResponse<String> refused = post(assistant, "/staff/teams/" + TeamDayFixture.TEAM + "/day/publish", html,
                Map.of("date", day.toString()));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(liveAppointments()).isEmpty();
        // One failure record naming every patient whose visit was to be published, as a search's names all it found.
        assertThat(refusalsSince(before, assistantMember.practitioner())).singleElement()
                .isEqualTo(String.join(",", planned));

        HttpClient outsider = TestTokens.browser();
        tokens.signIn(outsider, tokens.account(TestTokens.Caller.staff("Practitioner/staff-no-team",
                AccessRole.NURSE_MANAGER)), TestTokens.PASSWORD);
        before = maxSeq();
        assertThat(tokens.get(outsider, "http://localhost:" + port + path).statusCode()).isEqualTo(403);
        assertThat(refusalsSince(before, "Practitioner/staff-no-team")).singleElement()
                .isEqualTo(String.join(",", planned));
        for (String patient : planned) {
            assertThat(jdbc.queryForObject("select count(*) from audit.event_patient p join audit.event e"
                    + " on e.seq = p.seq where p.seq > ? and p.patient = ? and e.outcome = 4", Long.class,
                    before, patient)).as(patient).isEqualTo(1L);
        }
    }

    private long maxSeq() {
        return jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    /** The patients each refusal of {@code who} since {@code before} names (comma-separated, in order of id). */
    private List<String> refusalsSince(long before, String who) {
        return jdbc.queryForList("select patients from audit.event where seq > ? and outcome = 4 and who = ?"
                + " order by seq", String.class, before, who);
    }

    @Test
    void aDayThatCannotBePlannedSaysWhatToCheckInTheNursesWordsNotTheFailuresOwn() {
        String unplaced = patients.get(2);
        repository.inTransaction(session -> {
            org.hl7.fhir.r4.model.Patient patient = repository.read("Patient", unplaced)
                    .parse(org.hl7.fhir.r4.model.Patient.class);
            patient.getAddressFirstRep().setPostalCode("ZZ99 9ZZ");
            return session.update("Patient", unplaced, patient, null);
        });
        HttpClient nurse = signedIn(TeamDayFixture.first(repository, "District Nurse"), AccessRole.REGISTERED_NURSE);
        String path = "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day;

        post(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/plan", page(nurse, path),
                Map.of("date", day.toString()));
        String failed = ready(nurse, path);

        assertThat(failed).contains("id=\"plan-failed\"", "The plan could not be made",
                        "home address that cannot be found on the map", "then plan the day again")
                .doesNotContain("Patient/" + unplaced, "ServiceRequest/", "has no address Charnwood can place");
    }

    @Test
    void someoneOutsideTheTeamIsRefusedItsDay() {
        HttpClient outsider = TestTokens.browser();
        tokens.signIn(outsider, tokens.account(TestTokens.Caller.staff("Practitioner/staff-no-team",
                AccessRole.NURSE_MANAGER)), TestTokens.PASSWORD);
        HttpResponse<String> refused = tokens.get(outsider, "http://localhost:" + port + "/staff/teams/"
                + TeamDayFixture.TEAM + "/day?date=" + day);
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void theRunSheetAndTheNursesDayShowOnlyThatNursesOwnVisits() {
        DayPlan plan = scheduler.plan(TeamDayFixture.TEAM, day,
                SolveLimits.moves(5_000, 5));
        scheduler.publish(TeamDayFixture.TEAM, plan);
        Route route = plan.routes().stream().filter(r -> !r.visits().isEmpty()).findFirst().orElseThrow();
        TeamDayFixture.Member member = TeamDayFixture.members(repository).stream()
                .filter(m -> m.roleId().equals(route.staffId())).findFirst().orElseThrow();
        HttpClient nurse = signedIn(member, AccessRole.REGISTERED_NURSE);

        String sheet = page(nurse, "/staff/run-sheet?date=" + day);
        assertThat(sheet).contains(route.visits().size() + (route.visits().size() == 1 ? " visit" : " visits")
                + ", in order.");
        List<String> mine = route.visits().stream().map(v -> v.patientId()).toList();
        for (int i = 0; i < patients.size(); i++) {
            String link = "/staff/patients/" + patients.get(i) + "\"";
            if (mine.contains(patients.get(i))) {
                assertThat(sheet).contains(link);
            } else {
                assertThat(sheet).doesNotContain(link);
            }
        }
        if (mine.contains(patients.getFirst())) {
            assertThat(sheet).contains(TeamDayFixture.ALERT);
        }

        String nurseDay = page(nurse, "/staff/teams/" + TeamDayFixture.TEAM + "/day/nurses/" + route.staffId()
                + "?date=" + day);
        assertThat(nurseDay).contains("id=\"timeline-title\"", "Visits in order");
    }

    @Test
    void aVisitWhoseRequestIsRestrictedKeepsItsPlaceButNotItsDetailsForAHealthcareAssistant() {
        DayPlan plan = scheduler.plan(TeamDayFixture.TEAM, day,
                SolveLimits.moves(5_000, 5));
        scheduler.publish(TeamDayFixture.TEAM, plan);
        Route route = plan.routes().stream().filter(r -> !r.visits().isEmpty()).findFirst().orElseThrow();
        var visit = route.visits().getFirst();
        // The visit's request is restricted (R): an assistant's role does not see restricted entries.
        ServiceRequest restricted = http.get("/fhir/ServiceRequest/" + visit.visitId()).resource(ServiceRequest.class);
        restricted.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null);
        restricted.getCode().setText("Restricted need");
        restricted.addNote().setText("Key safe code 4321");
        restricted.setPatientInstruction("Knock twice, then let yourself in");
        assertThat(http.putJson("/fhir/ServiceRequest/" + visit.visitId(), restricted).status()).isEqualTo(200);
        TeamDayFixture.Member member = TeamDayFixture.members(repository).stream()
                .filter(m -> m.roleId().equals(route.staffId())).findFirst().orElseThrow();
        HttpClient assistant = signedIn(member, AccessRole.HEALTH_CARE_ASSISTANT);

        String sheet = page(assistant, "/staff/run-sheet?date=" + day);
        assertThat(sheet).contains("Details not shown", "/staff/patients/" + visit.patientId() + "\"",
                visit.start().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString())
                .doesNotContain("Key safe code 4321", "Knock twice", "Restricted need");
        String teamDay = page(assistant, "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day);
        assertThat(teamDay).contains("Details not shown").doesNotContain("Restricted need");

        // A registered nurse may see restricted entries: the same visit shows them what it is for.
        String nurseSheet = page(signedIn(member, AccessRole.REGISTERED_NURSE), "/staff/run-sheet?date=" + day);
        assertThat(nurseSheet).contains("Restricted need", "Key safe code 4321").doesNotContain("Details not shown");
    }

    private HttpClient signedIn(TeamDayFixture.Member member, AccessRole role) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.staff(member.practitioner(), role)),
                TestTokens.PASSWORD);
        return browser;
    }

    private String page(HttpClient browser, String path) {
        HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** The page once planning has finished (the page says "planning" until then). */
    private String ready(HttpClient browser, String path) {
        String[] html = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            html[0] = page(browser, path);
            return !html[0].contains("id=\"planning\"");
        });
        return html[0];
    }

    private HttpResponse<String> post(HttpClient browser, String path, String formPage, Map<String, String> form) {
        Map<String, String> withToken = new java.util.HashMap<>(form);
        withToken.put("_csrf", csrf(formPage));
        return tokens.postForm(browser, "http://localhost:" + port + path, withToken, true);
    }

    private List<Appointment> liveAppointments() {
        return repository.search(new SearchRequest("Appointment", Map.of("identifier",
                        List.of(PlannedAppointments.TEAM_DAY + "|" + TeamDayFixture.TEAM + "/" + day)), false))
                .matches().stream().map(s -> s.parse(Appointment.class))
                .filter(a -> a.getStatus() != Appointment.AppointmentStatus.CANCELLED).toList();
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }
}
