package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.*;

/**
 * What the matrix cannot show by status alone: hidden resources stay out of search pages, totals, includes and
 * {@code $everything}; relationships come from each kind of link; break-glass opens a record, is announced,
 * marks the requests it covers and is reviewed; proxy access ends when the consent does.
 */
class AccessPolicyIntegrationTests extends CharnwoodIntegrationTest {

    private static final String H = AccessTestCallers.HEADER;
    private static final String CLINICIAN_DOC = AccessTestCallers.staff("doc", CLINICIAN);
    private static final String NURSE_DOC = AccessTestCallers.staff("doc", REGISTERED_NURSE);
    private static final String HCA_DOC = AccessTestCallers.staff("doc", HEALTH_CARE_ASSISTANT);
    private static final String UNRELATED = AccessTestCallers.staff("other", CLINICIAN);
    private static final String IG = AccessTestCallers.staff("gov", INFORMATION_GOVERNANCE);

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @Autowired
    AccessPolicy policy;

    @Autowired
    ConfigurableApplicationContext context;

    private final List<BreakGlassGranted> grants = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ApplicationListener<PayloadApplicationEvent<BreakGlassGranted>> listener;

    @org.junit.jupiter.api.AfterEach
    void stopListening() {
        context.removeApplicationListener(listener);
    }

    @BeforeEach
    void loadTrust() {
        listener = e -> grants.add(e.getPayload());
        context.addApplicationListener(listener);
        AccessFixture.load(repository);
        relationships.forgetAll();
    }

    private int total(String path, String caller) {
        Response r = http.get(path, H, caller);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.bundle().getTotal();
    }

    private List<String> ids(Bundle b, String mode) {
        return b.getEntry().stream().filter(e -> e.getSearch().getMode().toCode().equals(mode))
                .map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    void totalsCountOnlyWhatTheCallerMaySee() {
        String all = "/fhir/Observation?subject=Patient/p1&_total=accurate&_count=1";
        assertThat(total(all, CLINICIAN_DOC)).isEqualTo(6);
        assertThat(total(all, NURSE_DOC)).isEqualTo(5);
        assertThat(total(all, HCA_DOC)).isEqualTo(3);
        assertThat(total(all, AccessTestCallers.patient("p1"))).isEqualTo(5);
        assertThat(total(all, AccessTestCallers.carer("carer1"))).isEqualTo(2);
        assertThat(total(all, UNRELATED)).isZero();
        assertThat(total("/fhir/Observation?_summary=count", HCA_DOC)).isEqualTo(3);
    }

    @Test
    void pagingDoesNotRevealHiddenResources() {
        Response first = http.get("/fhir/Observation?subject=Patient/p1&_count=3", H, HCA_DOC);
        Bundle page = first.bundle();
        assertThat(page.getEntry()).hasSize(3);
        assertThat(page.getLink("next")).isNull();
    }

    @Test
    void fineGrainedScopesRestrictSearchesToTheirCriteria() {
        String app = CLINICIAN_DOC + ";client=vitals;scopes=user/Observation.rs?category=laboratory";
        Bundle b = http.get("/fhir/Observation?subject=Patient/p1", H, app).bundle();
        assertThat(ids(b, "match")).containsExactly("p1-lab");
    }

    @Test
    void includesLeaveOutHiddenResources() {
        Bundle b = http.get("/fhir/Patient?_id=p1&_revinclude=Observation:subject", H, HCA_DOC).bundle();
        assertThat(ids(b, "match")).containsExactly("p1");
        assertThat(ids(b, "include")).containsExactlyInAnyOrder("p1-obs", "p1-lab", "p1-withheld");
        Bundle none = http.get("/fhir/Patient?_id=p1&_revinclude=Observation:subject", H, UNRELATED).bundle();
        assertThat(ids(none, "match")).containsExactly("p1");
        assertThat(ids(none, "include")).isEmpty();
    }

    @Test
    void everythingLeavesOutHiddenResources() {
        Bundle b = http.get("/fhir/Patient/p1/$everything", H, HCA_DOC).bundle();
        assertThat(ids(b, "match")).contains("p1", "p1-obs", "p1-lab", "p1-withheld")
                .doesNotContain("p1-r", "p1-v", "p1-sex");
        Bundle patient = http.get("/fhir/Patient/p1/$everything", H, AccessTestCallers.patient("p1")).bundle();
        assertThat(ids(patient, "match")).contains("p1-r", "p1-v", "p1-sex").doesNotContain("p1-withheld");
    }

    @Test
    void staffWithoutARelationshipMayStillFindPatientsByDemographics() {
        Bundle b = http.get("/fhir/Patient?family=Allen", H, UNRELATED).bundle();
        assertThat(ids(b, "match")).containsExactly("p1");
        assertThat(http.get("/fhir/Observation/p1-obs", H, UNRELATED).status()).isEqualTo(404);
    }

    @Test
    void aCareManagerHoldsARelationship() {
        relate(AccessFixture.episode("ep-2", "p2", null, "Practitioner/other"));
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(200);
    }

    @Test
    void membershipOfThePatientsCareTeamHoldsARelationship() {
        CareTeam team = AccessFixture.team("p2-team", "Practitioner/other");
        team.setSubject(new Reference("Patient/p2"));
        relate(team);
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(200);
    }

    @Test
    void anActiveReferralToThemHoldsARelationship() {
        ServiceRequest referral = new ServiceRequest();
        referral.setId("ref-1");
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setSubject(new Reference("Patient/p2"));
        referral.addPerformer(new Reference("Practitioner/other"));
        relate(referral);
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(200);
        referral.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
        relate(referral);
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(404);
    }

    @Test
    void aBookedAppointmentWithThemHoldsARelationshipButAProposedOneDoesNot() {
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(404);
        relate(AccessFixture.appointment("p2-appt", "p2", "Practitioner/other", Appointment.AppointmentStatus.BOOKED));
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(200);
    }

    @Test
    void aTeamEpisodeEndsTheRelationshipWhenItFinishes() {
        assertThat(http.get("/fhir/Observation/p1-obs", H, CLINICIAN_DOC).status()).isEqualTo(200);
        var episode = AccessFixture.episode("ep-1", "p1", "CareTeam/team-a", null);
        episode.setStatus(org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        relate(episode);
        assertThat(http.get("/fhir/Observation/p1-obs", H, CLINICIAN_DOC).status()).isEqualTo(404);
    }

    @Autowired
    org.charnwood.app.repository.OutboxRelay relay;

    @Test
    void aNewRelationshipIsSeenOnceItsChangeIsRelayed() {
        assertThat(http.get("/fhir/Observation/p2-obs", H, UNRELATED).status()).isEqualTo(404);
        Response booked = http.postJson("/fhir/Appointment", AccessFixture.appointment(null, "p2",
                "Practitioner/other", Appointment.AppointmentStatus.BOOKED), H, AccessTestCallers.staff("other",
                ADMIN_BOOKING));
        assertThat(booked.status()).isEqualTo(201);
        relay.relayPending();
        // The relay's own thread may have claimed the change first: give it a moment to deliver.
        int status = 0;
        for (int i = 0; i < 50 && status != 200; i++) {
            status = http.get("/fhir/Observation/p2-obs", H, UNRELATED).status();
            if (status != 200) {
                sleep(100);
            }
        }
        assertThat(status).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void relate(org.hl7.fhir.r4.model.Resource resource) {
        AccessFixture.put(repository, List.of(resource));
        relationships.forgetAll();
    }

    @Test
    void breakGlassOpensTheRecordForALimitedTimeAndIsReviewed() {
        assertThat(http.get("/fhir/Observation/p2-obs", H, CLINICIAN_DOC).status()).isEqualTo(404);
        assertThat(http.get("/fhir/Patient/p2/$everything", H, CLINICIAN_DOC).status()).isEqualTo(403);

        Response granted = http.post("/api/break-glass",
                "{\"patientId\":\"p2\",\"reason\":\"Collapsed at the clinic, no record of allergies\"}",
                "application/json", H, CLINICIAN_DOC);
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(granted.body()).contains("\"patientId\":\"p2\"", "expiresAt");
        assertThat(grants).singleElement().satisfies(e -> {
            assertThat(e.patientId()).isEqualTo("p2");
            assertThat(e.requester().fhirUser()).isEqualTo("Practitioner/doc");
        });
        String grantId = grants.get(0).grantId();
        assertThat(grants.get(0).expiresAt()).isAfter(Instant.now().plusSeconds(3 * 3600));

        assertThat(http.get("/fhir/Observation/p2-obs", H, CLINICIAN_DOC).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient/p2/$everything", H, CLINICIAN_DOC).status()).isEqualTo(200);
        Requester doc = new Requester(Requester.Kind.STAFF, "doc", "Practitioner/doc", Set.of(CLINICIAN), null,
                null, List.of(), null, null, null, Instant.now());
        assertThat(policy.everything(doc, "p2").emergencyGrantIds()).containsExactly(grantId);
        assertThat(policy.everything(doc, "p1").emergency()).isFalse();
        assertThat(policy.read(doc, FhirAction.SEARCH, "Observation").emergencyGrantIds()).containsExactly(grantId);

        Response list = http.get("/api/break-glass/reviews?status=unreviewed", H, IG);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(grantId, "Collapsed at the clinic");
        Response reviewed = http.post("/api/break-glass/" + grantId + "/review",
                "{\"note\":\"Appropriate: patient unconscious\"}", "application/json", H, IG);
        assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
        assertThat(http.get("/api/break-glass/reviews?status=unreviewed", H, IG).body()).doesNotContain(grantId);
        assertThat(http.get("/api/break-glass/reviews?status=reviewed", H, IG).body()).contains(grantId);

        jdbc.update("update access_break_glass set expires_at = now() - interval '1 minute'");
        assertThat(http.get("/fhir/Observation/p2-obs", H, CLINICIAN_DOC).status()).isEqualTo(404);
    }

    @Test
    void breakGlassNeedsAReasonAndAPatient() {
        assertThat(http.post("/api/break-glass", "{\"patientId\":\"p2\",\"reason\":\"urgent\"}", "application/json",
                H, CLINICIAN_DOC).status()).isEqualTo(400);
        assertThat(http.post("/api/break-glass", "{\"reason\":\"A long enough reason to be accepted\"}",
                "application/json", H, CLINICIAN_DOC).status()).isEqualTo(400);
        assertThat(http.post("/api/break-glass", "{\"patientId\":\"nobody\",\"reason\":\"A long enough reason here\"}",
                "application/json", H, CLINICIAN_DOC).status()).isEqualTo(404);
        assertThat(http.post("/api/break-glass/none/review", "{\"note\":\"x\"}", "application/json", H, IG).status())
                .isEqualTo(404);
        assertThat(rows("access_break_glass")).isZero();
    }

    @Test
    void proxyAccessEndsWhenTheConsentIsWithdrawn() {
        String carer = AccessTestCallers.carer("carer1");
        assertThat(http.get("/fhir/Observation/p1-obs", H, carer).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Condition?subject=Patient/p1", H, carer).status()).isEqualTo(403);
        AccessFixture.put(repository, List.of(AccessFixture.consent("consent1", "p1", "carer1",
                Consent.ConsentState.INACTIVE, "Observation")));
        assertThat(http.get("/fhir/Observation/p1-obs", H, carer).status()).isEqualTo(403);
    }

    @Test
    void proxyAccessEndsWhenTheConsentPeriodDoes() {
        Consent ended = AccessFixture.consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE, "Observation");
        ended.getProvision().setPeriod(new Period().setStart(Date.from(Instant.parse("2020-01-01T00:00:00Z")))
                .setEnd(Date.from(Instant.parse("2021-01-01T00:00:00Z"))));
        AccessFixture.put(repository, List.of(ended));
        assertThat(http.get("/fhir/Observation/p1-obs", H, AccessTestCallers.carer("carer1")).status())
                .isEqualTo(403);
    }

    @Test
    void aRefusedEntryRefusesTheWholeTransaction() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        b.addEntry().setResource(AccessFixture.observation(null, "p1", AccessFixture.VITALS))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        b.addEntry().setResource(AccessFixture.observation(null, "p2", AccessFixture.VITALS))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        long before = rows("fhir_resource");
        Response r = http.postJson("/fhir", b, H, CLINICIAN_DOC);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("Entry 1", "CHARNWOOD-2055");
        assertThat(rows("fhir_resource")).isEqualTo(before);
    }

    @Test
    void aPatchThatMovesARecordToAnotherPatientIsRefusedAndRolledBack() {
        Response r = http.patch("/fhir/Observation/p1-obs",
                "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/p2\"}]",
                "application/json-patch+json", H, CLINICIAN_DOC);
        assertThat(r.status()).isEqualTo(403);
        assertThat(repository.read("Observation", "p1-obs").json()).contains("Patient/p1");
    }

    @Test
    void patientsMayAnswerOnlyAboutThemselves() {
        var qr = new org.hl7.fhir.r4.model.QuestionnaireResponse();
        qr.setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference("Patient/p2"));
        assertThat(http.postJson("/fhir/QuestionnaireResponse", qr, H, AccessTestCallers.patient("p1")).status())
                .isEqualTo(403);
    }

    @Test
    void chainsCannotTestResourcesTheCallerMayNotSee() {
        String hasRestricted = "/fhir/Patient?_has:Observation:subject:_id=p1-r";
        assertThat(ids(http.get(hasRestricted, H, NURSE_DOC).bundle(), "match")).containsExactly("p1");
        assertThat(ids(http.get(hasRestricted, H, HCA_DOC).bundle(), "match")).isEmpty();
        assertThat(ids(http.get("/fhir/Patient?_has:Observation:subject:status=final", H, UNRELATED).bundle(),
                "match")).isEmpty();
        assertThat(ids(http.get("/fhir/Patient?_has:Observation:subject:status=final", H, CLINICIAN_DOC).bundle(),
                "match")).containsExactly("p1");
        assertThat(ids(http.get("/fhir/Observation?subject:Patient._has:Observation:subject:_id=p1-v", H, NURSE_DOC)
                .bundle(), "match")).isEmpty();
    }

    @Test
    void refusalsNameTheirReasonInTheOutcome() {
        Response r = http.get("/fhir/Patient/p1/$everything", H, UNRELATED);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("CHARNWOOD-2053", "break-glass");
        assertThat(http.get("/fhir/Patient", H, AccessTestCallers.anonymous()).body()).contains("CHARNWOOD-2050");
    }
}
