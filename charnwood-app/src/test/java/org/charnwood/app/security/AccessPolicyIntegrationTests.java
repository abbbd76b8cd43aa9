package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
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

    private static final Caller CLINICIAN_DOC = Caller.staff("Practitioner/doc", CLINICIAN);
    private static final Caller NURSE_DOC = Caller.staff("Practitioner/doc", REGISTERED_NURSE);
    private static final Caller HCA_DOC = Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT);
    private static final Caller UNRELATED = Caller.staff("Practitioner/other", CLINICIAN);
    private static final Caller IG = Caller.staff("Practitioner/gov", INFORMATION_GOVERNANCE)
            .scopes("user/*.cruds", "charnwood/break-glass.review");
    /** The clinician through an app granted emergency access as well. */
    private static final Caller EMERGENCY_DOC = CLINICIAN_DOC.scopes("user/*.cruds", "charnwood/break-glass");

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
        AccessFixture.load(repository, relationships);
    }

    private int total(String path, Caller caller) {
        Response r = as(caller).get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.bundle().getTotal();
    }

    /** The FHIR endpoint as the caller, with a real bearer token; null is nobody signed in. */
    private FhirHttp as(Caller caller) {
        return caller == null ? http.anonymous() : http.as(tokens.bearer(caller));
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
        assertThat(total(all, Caller.patient("p1"))).isEqualTo(5);
        assertThat(total(all, Caller.carer("carer1", "p1"))).isEqualTo(2);
        assertThat(total(all, UNRELATED)).isZero();
        assertThat(total("/fhir/Observation?_summary=count", HCA_DOC)).isEqualTo(3);
    }

    @Test
    void pagingDoesNotRevealHiddenResources() {
        Response first = as(HCA_DOC).get("/fhir/Observation?subject=Patient/p1&_count=3");
        Bundle page = first.bundle();
        assertThat(page.getEntry()).hasSize(3);
        assertThat(page.getLink("next")).isNull();
    }

    @Test
    void aSearchAcrossSeveralTypesShowsWhatTheTypeSearchesWouldOnEveryPage() {
        String patients = "patient=Patient/p1,Patient/p2";
        for (Caller caller : List.of(CLINICIAN_DOC, NURSE_DOC, HCA_DOC, UNRELATED)) {
            List<String> typeSearches = new java.util.ArrayList<>();
            for (String type : List.of("Observation", "Appointment")) {
                typeSearches.addAll(ids(as(caller).get("/fhir/" + type + "?" + patients + "&_count=50").bundle(),
                        "match"));
            }

            Bundle page = as(caller).get("/fhir?_type=Observation,Appointment&" + patients
                    + "&_total=accurate&_count=2&_sort=_id").bundle();
            List<String> seen = new java.util.ArrayList<>(ids(page, "match"));
            while (page.getLink("next") != null) {
                String next = page.getLink("next").getUrl();
                page = as(caller).get(next.substring(next.indexOf("/fhir"))).bundle();
                seen.addAll(ids(page, "match"));
            }

            assertThat(page.getTotal()).as(caller.toString()).isEqualTo(typeSearches.size());
            assertThat(seen).as(caller.toString()).containsExactlyInAnyOrderElementsOf(typeSearches);
        }
        // The nurse's scope hides some of what matches: a labelled record the clinician may see, and p2's
        // observation, p2 being no patient of theirs.
        String across = "/fhir?_type=Observation,Appointment&" + patients + "&_count=50";
        List<String> clinician = ids(as(CLINICIAN_DOC).get(across).bundle(), "match");
        List<String> nurse = ids(as(NURSE_DOC).get(across).bundle(), "match");
        assertThat(clinician).containsAll(nurse).hasSizeGreaterThan(nurse.size()).doesNotContain("p2-obs");
        assertThat(nurse).contains("p1-obs");
    }

    @Test
    void fineGrainedScopesRestrictSearchesToTheirCriteria() {
        Caller app = CLINICIAN_DOC.scopes("user/Observation.rs?category=laboratory");
        Bundle b = as(app).get("/fhir/Observation?subject=Patient/p1").bundle();
        assertThat(ids(b, "match")).containsExactly("p1-lab");
    }

    @Test
    void twoTokensOfOnePersonWithDifferentScopesEachSeeWhatTheirOwnScopesGrant() {
        Caller labOnly = CLINICIAN_DOC.scopes("user/Observation.rs?category=laboratory");
        Caller everything = CLINICIAN_DOC.scopes("user/*.rs");
        Caller patientsOnly = CLINICIAN_DOC.scopes("user/Patient.rs");
        String search = "/fhir/Observation?subject=Patient/p1&_total=accurate";
        // Twice over, interleaved: what one token's scopes worked out must never be used for the other's.
        for (int round = 0; round < 2; round++) {
            assertThat(ids(as(labOnly).get(search).bundle(), "match")).containsExactly("p1-lab");
            assertThat(total(search, everything)).isEqualTo(6);
            assertThat(as(patientsOnly).get(search).status()).isEqualTo(403);
            assertThat(total("/fhir/Patient?_id=p1", patientsOnly)).isEqualTo(1);
        }
    }

    @Test
    void includesLeaveOutHiddenResources() {
        Bundle b = as(HCA_DOC).get("/fhir/Patient?_id=p1&_revinclude=Observation:subject").bundle();
        assertThat(ids(b, "match")).containsExactly("p1");
        assertThat(ids(b, "include")).containsExactlyInAnyOrder("p1-obs", "p1-lab", "p1-withheld");
        Bundle none = as(UNRELATED).get("/fhir/Patient?_id=p1&_revinclude=Observation:subject").bundle();
        assertThat(ids(none, "match")).containsExactly("p1");
        assertThat(ids(none, "include")).isEmpty();
    }

    @Test
    void everythingLeavesOutHiddenResources() {
        Bundle b = as(HCA_DOC).get("/fhir/Patient/p1/$everything").bundle();
        assertThat(ids(b, "match")).contains("p1", "p1-obs", "p1-lab", "p1-withheld")
                .doesNotContain("p1-r", "p1-v", "p1-sex");
        Bundle patient = as(Caller.patient("p1")).get("/fhir/Patient/p1/$everything").bundle();
        assertThat(ids(patient, "match")).contains("p1-r", "p1-v", "p1-sex").doesNotContain("p1-withheld");
    }

    @Test
    void staffWithoutARelationshipMayStillFindPatientsByDemographics() {
        Bundle b = as(UNRELATED).get("/fhir/Patient?family=Allen").bundle();
        assertThat(ids(b, "match")).containsExactly("p1");
        assertThat(as(UNRELATED).get("/fhir/Observation/p1-obs").status()).isEqualTo(404);
    }

    @Test
    void aCareManagerHoldsARelationship() {
        relate(AccessFixture.episode("ep-2", "p2", null, "Practitioner/other"));
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
    }

    @Test
    void membershipOfThePatientsCareTeamHoldsARelationship() {
        CareTeam team = AccessFixture.team("p2-team", "Practitioner/other");
        team.setSubject(new Reference("Patient/p2"));
        relate(team);
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
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
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
        referral.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
        relate(referral);
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
    }

    @Test
    void aReferralWhoseIdentityIsUncheckedHoldsNoRelationshipWithAnExistingRecord() {
        ServiceRequest referral = new ServiceRequest();
        referral.setId("self-1");
        referral.getMeta().addTag(IDENTITY_STATUS, "unverified", null);
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setSubject(new Reference("Patient/p2"));
        referral.addPerformer(new Reference("Practitioner/other"));
        relate(referral);
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);

        // On the provisional record the person's own details made, it does: triage reads what they sent.
        org.hl7.fhir.r4.model.Patient provisional = AccessFixture.patient("provisional-1", "Baker");
        provisional.getMeta().addTag(IDENTITY_STATUS, "unverified", null);
        org.hl7.fhir.r4.model.Observation own = new org.hl7.fhir.r4.model.Observation();
        own.setId("provisional-obs");
        own.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL);
        own.getCode().setText("What the person said");
        own.setSubject(new Reference("Patient/provisional-1"));
        AccessFixture.put(repository, List.of(provisional, own));
        referral.setSubject(new Reference("Patient/provisional-1"));
        relate(referral);
        assertThat(as(UNRELATED).get("/fhir/Observation/provisional-obs").status()).isEqualTo(200);
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);

        // Once triage has confirmed the identity (the tag is gone), the referral counts as any other.
        referral.getMeta().getTag().clear();
        referral.setSubject(new Reference("Patient/p2"));
        relate(referral);
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
    }

    private static final String IDENTITY_STATUS = "https://charnwood.nhs.uk/fhir/CodeSystem/identity-status";

    @Test
    void aBookedAppointmentWithThemHoldsARelationshipButAProposedOneDoesNot() {
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
        relate(AccessFixture.appointment("p2-appt", "p2", "Practitioner/other", Appointment.AppointmentStatus.BOOKED));
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
    }

    @Test
    void aTeamEpisodeEndsTheRelationshipWhenItFinishes() {
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);
        var episode = AccessFixture.episode("ep-1", "p1", "CareTeam/team-a", null);
        episode.setStatus(org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        relate(episode);
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p1-obs").status()).isEqualTo(404);
    }

    @Autowired
    org.charnwood.app.repository.OutboxRelay relay;

    @Test
    void aNewRelationshipIsSeenOnceItsChangeIsRelayed() {
        assertThat(as(UNRELATED).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
        Response booked = as(Caller.staff("Practitioner/other",
                ADMIN_BOOKING)).postJson("/fhir/Appointment", AccessFixture.appointment(null, "p2",
                "Practitioner/other", Appointment.AppointmentStatus.BOOKED));
        assertThat(booked.status()).isEqualTo(201);
        relay.relayPending();
        // The relay's own thread may have claimed the change first: wait for it to deliver, however busy the machine.
        // The answer remembered before lasts a minute, so an answer that changes sooner was changed by the relay.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> as(UNRELATED).get("/fhir/Observation/p2-obs").status() == 200);
    }

    private void relate(org.hl7.fhir.r4.model.Resource resource) {
        AccessFixture.put(repository, relationships, List.of(resource));
    }

    @Test
    void breakGlassOpensTheRecordForALimitedTimeAndIsReviewed() {
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
        assertThat(as(CLINICIAN_DOC).get("/fhir/Patient/p2/$everything").status()).isEqualTo(403);

        Response granted = as(EMERGENCY_DOC).post("/api/break-glass",
                "{\"patientId\":\"p2\",\"reason\":\"Collapsed at the clinic, no record of allergies\"}",
                "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(granted.body()).contains("\"patientId\":\"p2\"", "expiresAt");
        assertThat(grants).singleElement().satisfies(e -> {
            assertThat(e.patientId()).isEqualTo("p2");
            assertThat(e.requester().fhirUser()).isEqualTo("Practitioner/doc");
        });
        String grantId = grants.get(0).grantId();
        assertThat(grants.get(0).expiresAt()).isAfter(Instant.now().plusSeconds(3 * 3600));

        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
        assertThat(as(CLINICIAN_DOC).get("/fhir/Patient/p2/$everything").status()).isEqualTo(200);
        Requester doc = new Requester(Requester.Kind.STAFF, "doc", "Practitioner/doc", Set.of(CLINICIAN), null,
                null, List.of(), null, null, null, Instant.now());
        assertThat(policy.everything(doc, "p2").emergencyGrantIds()).containsExactly(grantId);
        assertThat(policy.everything(doc, "p1").emergency()).isFalse();
        assertThat(policy.read(doc, FhirAction.SEARCH, "Observation").emergencyGrantIds()).containsExactly(grantId);

        Response list = as(IG).get("/api/break-glass/reviews?status=unreviewed");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(grantId, "Collapsed at the clinic");
        Response reviewed = as(IG).post("/api/break-glass/" + grantId + "/review",
                "{\"note\":\"Appropriate: patient unconscious\"}", "application/json");
        assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
        assertThat(as(IG).get("/api/break-glass/reviews?status=unreviewed").body()).doesNotContain(grantId);
        assertThat(as(IG).get("/api/break-glass/reviews?status=reviewed").body()).contains(grantId);

        jdbc.update("update access_break_glass set expires_at = now() - interval '1 minute'");
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
    }

    @Test
    void breakGlassNeedsAReasonAndAPatient() {
        assertThat(as(EMERGENCY_DOC).post("/api/break-glass", "{\"patientId\":\"p2\",\"reason\":\"urgent\"}",
                "application/json").status()).isEqualTo(400);
        assertThat(as(EMERGENCY_DOC).post("/api/break-glass", "{\"reason\":\"A long enough reason to be accepted\"}",
                "application/json").status()).isEqualTo(400);
        assertThat(as(EMERGENCY_DOC).post("/api/break-glass", "{\"patientId\":\"nobody\",\"reason\":\"A long enough reason here\"}",
                "application/json").status()).isEqualTo(404);
        assertThat(as(IG).post("/api/break-glass/none/review", "{\"note\":\"x\"}", "application/json").status())
                .isEqualTo(404);
        assertThat(as(EMERGENCY_DOC).post("/api/break-glass", "{\"patientId\":\"p2\",\"reason\":\""
                + "a".repeat(2001) + "\"}", "application/json").status()).isEqualTo(400);
        assertThat(as(IG).post("/api/break-glass/none/review", "{\"note\":\"" + "n".repeat(2001) + "\"}",
                "application/json").status()).isEqualTo(400);
        assertThat(rows("access_break_glass")).isZero();
    }

    /**
     * A reason is something a reviewer can judge: padding does not lengthen it, one key held down is not one, and
     * characters nobody can see (a NUL, which the database would refuse) are refused as bad input, not a failure.
     */
    @Test
    void breakGlassNeedsAReasonInWords() {
        for (String meaningless : List.of("a".repeat(25), ".".repeat(25), "Help" + " ".repeat(30) + "now",
                "xx xx xx xx xx xx xx xx", "Patient collapsed in clinic\\u0000\\u0000 now",
                "Patient collapsed\\u200b\\u200b\\u200b\\u200b in clinic")) {
            Response r = as(EMERGENCY_DOC).post("/api/break-glass",
                    "{\"patientId\":\"p2\",\"reason\":\"" + meaningless + "\"}", "application/json");
            assertThat(r.status()).as(meaningless + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("CHARNWOOD-2056");
        }
        assertThat(rows("access_break_glass")).isZero();
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);

        Response granted = as(EMERGENCY_DOC).post("/api/break-glass",
                "{\"patientId\":\"p2\",\"reason\":\"  Collapsed at the clinic,\\n\\n   no record of allergies  \"}",
                "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select reason from access_break_glass", String.class))
                .isEqualTo("Collapsed at the clinic, no record of allergies");
    }

    /**
     * A person may hold several roles; one who is both a clinician and an information governance officer may break
     * glass, but their use of it is judged by another officer, never cleared by themselves.
     */
    @Test
    void nobodyReviewsTheirOwnEmergencyAccess() {
        Caller lead = Caller.staff("Practitioner/lead", CLINICIAN, INFORMATION_GOVERNANCE)
                .scopes("user/*.cruds", "charnwood/break-glass", "charnwood/break-glass.review");
        Response granted = as(lead).post("/api/break-glass",
                "{\"patientId\":\"p2\",\"reason\":\"Collapsed at the clinic, no record of allergies\"}",
                "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        String grantId = jdbc.queryForObject("select grant_id from access_break_glass", String.class);

        Response own = as(lead).post("/api/break-glass/" + grantId + "/review", "{\"note\":\"Appropriate\"}",
                "application/json");
        assertThat(own.status()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("another information governance officer");
        assertThat(jdbc.queryForObject("select reviewed_at is null from access_break_glass", Boolean.class)).isTrue();
        assertThat(as(lead).get("/api/break-glass/reviews?status=unreviewed").body()).contains(grantId);

        Response other = as(IG).post("/api/break-glass/" + grantId + "/review", "{\"note\":\"Appropriate\"}",
                "application/json");
        assertThat(other.status()).as(other.body()).isEqualTo(200);
    }

    @Test
    void proxyAccessEndsWhenTheConsentIsWithdrawn() {
        Caller carer = Caller.carer("carer1", "p1");
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);
        assertThat(as(carer).get("/fhir/Condition?subject=Patient/p1").status()).isEqualTo(403);
        AccessFixture.put(repository, List.of(AccessFixture.consent("consent1", "p1", "carer1",
                Consent.ConsentState.INACTIVE, "Observation")));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(403);
    }

    /**
     * A carer for two patients, one of whom shared only appointments and the other the whole record: each
     * patient's consent speaks for their own record, so the first's observations stay hidden in reads,
     * searches across both, includes and {@code $everything}.
     */
    @Test
    void aCarerSeesOfEachPatientOnlyWhatThatPatientShared() {
        AccessFixture.put(repository, List.of(AccessFixture.relatedPerson("carer3", "p1"),
                AccessFixture.consent("consent3a", "p1", "carer3", Consent.ConsentState.ACTIVE, "Appointment"),
                AccessFixture.consent("consent3b", "p2", "carer3", Consent.ConsentState.ACTIVE)));
        Caller forP1 = Caller.carer("carer3", "p1");
        assertThat(as(forP1).get("/fhir/Observation/p1-obs").status()).isEqualTo(404);
        assertThat(ids(as(forP1).get("/fhir/Observation?subject=Patient/p1").bundle(), "match")).isEmpty();
        assertThat(as(forP1).get("/fhir/Patient/p1").status()).isEqualTo(200);

        Caller both = forP1.scopes("user/*.rs");
        assertThat(ids(as(both).get("/fhir/Observation").bundle(), "match")).containsExactly("p2-obs");
        assertThat(ids(as(both).get("/fhir/Appointment").bundle(), "match")).containsExactly("p2-appt");
        Bundle included = as(both).get("/fhir/Patient?_id=p1,p2&_revinclude=Observation:subject").bundle();
        assertThat(ids(included, "match")).containsExactlyInAnyOrder("p1", "p2");
        assertThat(ids(included, "include")).containsExactly("p2-obs");
        assertThat(ids(as(both).get("/fhir/Patient/p1/$everything").bundle(), "match")).containsExactly("p1");
        assertThat(ids(as(both).get("/fhir/Patient/p2/$everything").bundle(), "match"))
                .contains("p2", "p2-obs", "p2-appt");
    }

    /**
     * A consent to research (or treatment) that names a relative as an actor says nothing about what they may read:
     * only a privacy Consent gives proxy access.
     */
    @Test
    void onlyAPrivacyConsentGivesProxyAccess() {
        Caller carer = Caller.carer("carer1", "p1");
        assertThat(as(carer).get("/fhir/Condition?subject=Patient/p1").status()).isEqualTo(403);
        Consent research = AccessFixture.consent("consent-research", "p1", "carer1", Consent.ConsentState.ACTIVE);
        research.getScope().getCodingFirstRep().setCode("research");
        AccessFixture.put(repository, List.of(research));

        assertThat(as(carer).get("/fhir/Condition?subject=Patient/p1").status()).isEqualTo(403);
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);

        AccessFixture.put(repository, List.of(AccessFixture.consent("consent1", "p1", "carer1",
                Consent.ConsentState.INACTIVE, "Observation")));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(403);
    }

    /**
     * The care team ending the carer's relationship (their RelatedPerson made inactive, or its period ended) ends
     * their access at once, though the Consent still names them.
     */
    @Test
    void proxyAccessEndsWithTheCarersRelationship() {
        Caller carer = Caller.carer("carer1", "p1");
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);

        AccessFixture.put(repository, List.of(AccessFixture.relatedPerson("carer1", "p1").setActive(false)));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(403);
        assertThat(as(carer).get("/fhir/Patient/p1").status()).isEqualTo(403);

        org.hl7.fhir.r4.model.RelatedPerson ended = AccessFixture.relatedPerson("carer1", "p1");
        ended.setPeriod(new Period().setStart(Date.from(Instant.parse("2020-01-01T00:00:00Z")))
                .setEnd(Date.from(Instant.parse("2021-01-01T00:00:00Z"))));
        AccessFixture.put(repository, List.of(ended));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(403);

        AccessFixture.put(repository, List.of(AccessFixture.relatedPerson("carer1", "p1")));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);
    }

    @Test
    void proxyAccessEndsWhenTheConsentPeriodDoes() {
        Consent ended = AccessFixture.consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE, "Observation");
        ended.getProvision().setPeriod(new Period().setStart(Date.from(Instant.parse("2020-01-01T00:00:00Z")))
                .setEnd(Date.from(Instant.parse("2021-01-01T00:00:00Z"))));
        AccessFixture.put(repository, List.of(ended));
        assertThat(as(Caller.carer("carer1", "p1")).get("/fhir/Observation/p1-obs").status())
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
        Response r = as(CLINICIAN_DOC).postJson("/fhir", b);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("Entry 1", "CHARNWOOD-2055");
        assertThat(rows("fhir_resource")).isEqualTo(before);
    }

    @Test
    void aPatchThatMovesARecordToAnotherPatientIsRefusedAndRolledBack() {
        Response r = as(CLINICIAN_DOC).patch("/fhir/Observation/p1-obs",
                "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/p2\"}]",
                "application/json-patch+json");
        assertThat(r.status()).isEqualTo(403);
        assertThat(repository.read("Observation", "p1-obs").json()).contains("Patient/p1");
    }

    /**
     * A PATCH entry is held to what a REST patch is: its result may not move a record to a patient the caller has
     * no relationship with, in a transaction (refused whole) or a batch (that entry refused), rolled back either way.
     */
    @Test
    void aPatchEntryThatMovesARecordToAnotherPatientIsRefusedAndRolledBack() {
        String toP2 = "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/p2\"}]";
        Response tx = as(NURSE_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation/p1-obs", toP2));
        assertThat(tx.status()).as(tx.body()).isEqualTo(403);
        assertThat(tx.body()).contains("CHARNWOOD-2053");

        Response batch = as(NURSE_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.BATCH,
                "Observation/p1-obs", toP2));
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("403");
        assertThat(repository.read("Observation", "p1-obs").json()).contains("Patient/p1")
                .doesNotContain("Patient/p2");
        assertThat(repository.read("Observation", "p1-obs").version()).isEqualTo(1);
    }

    /**
     * A conditional PATCH entry finds its target only among what the caller may see, as a conditional update or
     * delete does: criteria matching only a record hidden from them (a label their role may not see, or a patient
     * they have no relationship with) match nothing, answered as any criteria that match nothing are, and change
     * nothing; criteria matching what they may change work.
     */
    @Test
    void aConditionalPatchEntryReachesOnlyWhatTheCallerMaySee() {
        String amend = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]";
        Response veryRestricted = as(NURSE_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation?_id=p1-v", amend));
        Response nothing = as(NURSE_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation?_id=p1-none", amend));
        assertThat(veryRestricted.status()).as(veryRestricted.body()).isEqualTo(404).isEqualTo(nothing.status());
        Response unrelated = as(UNRELATED).postJson("/fhir", patchBundle(Bundle.BundleType.BATCH,
                "Observation?_id=p2-obs", amend));
        assertThat(unrelated.status()).as(unrelated.body()).isEqualTo(200);
        assertThat(unrelated.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("404");
        assertThat(repository.read("Observation", "p1-v").json()).contains("\"final\"");
        assertThat(repository.read("Observation", "p2-obs").json()).contains("\"final\"");

        Response own = as(NURSE_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation?_id=p1-obs", amend));
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(repository.read("Observation", "p1-obs").json()).contains("\"amended\"");
    }

    private static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /** Labels a record that has none. */
    private static String addLabel(String system, String code) {
        return "[{\"op\":\"add\",\"path\":\"/meta/security\",\"value\":[" + label(system, code) + "]}]";
    }

    /** Adds a label beside those a record has. */
    private static String appendLabel(String system, String code) {
        return "[{\"op\":\"add\",\"path\":\"/meta/security/-\",\"value\":" + label(system, code) + "}]";
    }

    private static String label(String system, String code) {
        return "{\"system\":\"" + system + "\",\"code\":\"" + code + "\"}";
    }

    private static final String REMOVE_LABELS = "[{\"op\":\"remove\",\"path\":\"/meta/security\"}]";

    private Response patch(Caller caller, String path, String jsonPatch) {
        return as(caller).patch(path, jsonPatch, "application/json-patch+json");
    }

    private List<String> labels(String id) {
        return repository.read("Observation", id).parse(org.hl7.fhir.r4.model.Observation.class).getMeta()
                .getSecurity().stream().map(org.hl7.fhir.r4.model.Coding::getCode).toList();
    }

    /**
     * A PATCH is judged as the update with the patched resource as its body would be: someone whose role may not
     * see restricted (R), very restricted (V) or sealed (SEX) entries may set such a label neither by update nor
     * by patch (the same 403 and code), and the patch is rolled back; someone whose role may see them may.
     */
    @Test
    void aPatchMaySetOnlyTheSecurityLabelsAnUpdateMay() {
        org.hl7.fhir.r4.model.Observation restricted = AccessFixture.labelled(
                AccessFixture.observation("p1-obs", "p1", AccessFixture.VITALS), CONFIDENTIALITY, "R");
        Response update = as(HCA_DOC).putJson("/fhir/Observation/p1-obs", restricted);
        assertThat(update.status()).as(update.body()).isEqualTo(403);
        assertThat(update.body()).contains("CHARNWOOD-2054");

        for (String[] label : List.of(new String[]{CONFIDENTIALITY, "R"}, new String[]{ACT_CODE, "SEX"},
                new String[]{CONFIDENTIALITY, "V"})) {
            Response refused = patch(HCA_DOC, "/fhir/Observation/p1-obs", addLabel(label[0], label[1]));
            assertThat(refused.status()).as(label[1] + ": " + refused.body()).isEqualTo(update.status());
            assertThat(refused.body()).contains("CHARNWOOD-2054");
        }
        Response beside = patch(HCA_DOC, "/fhir/Observation/p1-withheld", appendLabel(CONFIDENTIALITY, "R"));
        assertThat(beside.status()).as(beside.body()).isEqualTo(403);
        assertThat(beside.body()).contains("CHARNWOOD-2054");
        Response veryRestricted = patch(NURSE_DOC, "/fhir/Observation/p1-obs", addLabel(CONFIDENTIALITY, "V"));
        assertThat(veryRestricted.status()).as(veryRestricted.body()).isEqualTo(403);
        assertThat(veryRestricted.body()).contains("CHARNWOOD-2054");
        assertThat(labels("p1-obs")).isEmpty();
        assertThat(labels("p1-withheld")).containsExactly("withheld-from-patient");
        assertThat(repository.read("Observation", "p1-obs").version()).isEqualTo(1);
        assertThat(repository.read("Observation", "p1-withheld").version()).isEqualTo(1);

        Response sealed = patch(NURSE_DOC, "/fhir/Observation/p1-obs", addLabel(ACT_CODE, "SEX"));
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        Response allowed = patch(CLINICIAN_DOC, "/fhir/Observation/p1-obs", appendLabel(CONFIDENTIALITY, "V"));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(labels("p1-obs")).containsExactly("SEX", "V");
        Response besideAllowed = patch(NURSE_DOC, "/fhir/Observation/p1-withheld",
                appendLabel(CONFIDENTIALITY, "R"));
        assertThat(besideAllowed.status()).as(besideAllowed.body()).isEqualTo(200);
        assertThat(labels("p1-withheld")).containsExactly("withheld-from-patient", "R");
    }

    /**
     * Taking a label off by PATCH is refused to a role that may not see it, as updating the labelled record is (a
     * 404: to them the record does not exist), and allowed to one that may.
     */
    @Test
    void aPatchMayRemoveOnlyTheSecurityLabelsAnUpdateMay() {
        Response update = as(HCA_DOC).putJson("/fhir/Observation/p1-r",
                AccessFixture.observation("p1-r", "p1", AccessFixture.VITALS));
        assertThat(update.status()).as(update.body()).isEqualTo(404);
        Response refused = patch(HCA_DOC, "/fhir/Observation/p1-r", REMOVE_LABELS);
        assertThat(refused.status()).as(refused.body()).isEqualTo(update.status());
        assertThat(refused.body()).contains("CHARNWOOD-1001");
        Response veryRestricted = patch(NURSE_DOC, "/fhir/Observation/p1-v", REMOVE_LABELS);
        assertThat(veryRestricted.status()).as(veryRestricted.body()).isEqualTo(404);
        assertThat(labels("p1-r")).containsExactly("R");
        assertThat(labels("p1-v")).containsExactly("V");

        Response allowed = patch(NURSE_DOC, "/fhir/Observation/p1-r", REMOVE_LABELS);
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(labels("p1-r")).isEmpty();
    }

    /**
     * A bundle's PATCH entry is held to the same: a label the caller may not see refuses a transaction whole and
     * the entry of a batch, rolled back either way, as a PUT entry with that body is refused; the label the
     * caller may see is set.
     */
    @Test
    void aPatchEntryMaySetOnlyTheSecurityLabelsAnUpdateMay() {
        Bundle put = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        put.addEntry().setResource(AccessFixture.labelled(AccessFixture.observation("p1-obs", "p1",
                        AccessFixture.VITALS), CONFIDENTIALITY, "R"))
                .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Observation/p1-obs");
        Response update = as(HCA_DOC).postJson("/fhir", put);
        assertThat(update.status()).as(update.body()).isEqualTo(403);
        assertThat(update.body()).contains("CHARNWOOD-2055", "security label");

        String restrict = addLabel(CONFIDENTIALITY, "R");
        Response tx = as(HCA_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation/p1-obs", restrict));
        assertThat(tx.status()).as(tx.body()).isEqualTo(403);
        assertThat(tx.body()).contains("CHARNWOOD-2054");
        Response conditional = as(HCA_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation?_id=p1-obs", addLabel(ACT_CODE, "SEX")));
        assertThat(conditional.status()).as(conditional.body()).isEqualTo(403);
        Response batch = as(HCA_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.BATCH,
                "Observation/p1-obs", restrict));
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("403");
        Response unseen = as(HCA_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation/p1-r", REMOVE_LABELS));
        // A record hidden from the writer is patched as an unknown id would be: not found, and left as it was.
        assertThat(unseen.status()).as(unseen.body()).isEqualTo(404);
        assertThat(unseen.body()).contains("CHARNWOOD-1001").doesNotContain("CHARNWOOD-2055");
        assertThat(labels("p1-obs")).isEmpty();
        assertThat(labels("p1-r")).containsExactly("R");
        assertThat(repository.read("Observation", "p1-obs").version()).isEqualTo(1);

        Response allowed = as(NURSE_DOC).postJson("/fhir", patchBundle(Bundle.BundleType.TRANSACTION,
                "Observation/p1-obs", restrict));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(labels("p1-obs")).containsExactly("R");
    }

    private static Bundle patchBundle(Bundle.BundleType type, String url, String jsonPatch) {
        Bundle b = new Bundle().setType(type);
        org.hl7.fhir.r4.model.Binary patch = new org.hl7.fhir.r4.model.Binary()
                .setContentType("application/json-patch+json");
        patch.setData(jsonPatch.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.addEntry().setResource(patch).getRequest().setMethod(Bundle.HTTPVerb.PATCH).setUrl(url);
        return b;
    }

    @Test
    void patientsMayAnswerOnlyAboutThemselves() {
        var qr = new org.hl7.fhir.r4.model.QuestionnaireResponse();
        qr.setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference("Patient/p2"));
        // The patient's app may create QuestionnaireResponses: the refusal is the policy's, not the scope's.
        Response r = as(Caller.patient("p1").scopes("patient/*.rs", "patient/QuestionnaireResponse.c"))
                .postJson("/fhir/QuestionnaireResponse", qr);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("CHARNWOOD-2052");
    }

    /**
     * A patient sees the labels their care team set on their answers, but sending the answers back without them
     * would open them to healthcare assistants and carers: the update is refused and the labels stay.
     */
    @Test
    void patientsMayNotTakeTheirCareTeamsLabelsOffTheirAnswers() {
        var qr = new org.hl7.fhir.r4.model.QuestionnaireResponse();
        qr.setId("p1-answers");
        qr.setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        qr.setSubject(new Reference("Patient/p1"));
        qr.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null);
        qr.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY", null);
        AccessFixture.put(repository, List.of(qr));
        Caller patient = Caller.patient("p1").scopes("patient/*.rs", "patient/QuestionnaireResponse.cu");
        assertThat(as(patient).get("/fhir/QuestionnaireResponse/p1-answers").status()).isEqualTo(200);
        assertThat(as(HCA_DOC).get("/fhir/QuestionnaireResponse/p1-answers").status()).isEqualTo(404);

        var unlabelled = qr.copy();
        unlabelled.getMeta().getSecurity().clear();
        unlabelled.setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        Response stripped = as(patient).putJson("/fhir/QuestionnaireResponse/p1-answers", unlabelled);
        assertThat(stripped.status()).as(stripped.body()).isEqualTo(403);
        assertThat(stripped.body()).contains("CHARNWOOD-2054");
        assertThat(as(HCA_DOC).get("/fhir/QuestionnaireResponse/p1-answers").status()).isEqualTo(404);

        var kept = qr.copy();
        kept.setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        Response answered = as(patient).putJson("/fhir/QuestionnaireResponse/p1-answers", kept);
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        assertThat(as(HCA_DOC).get("/fhir/QuestionnaireResponse/p1-answers").status()).isEqualTo(404);
    }

    /**
     * A Group of patients is in every member's compartment; shown to one member, or to their carer, it would name the
     * others. Patients and carers do not see Groups; staff still do.
     */
    @Test
    void patientsAndCarersAreNotShownTheOtherMembersOfAGroup() {
        org.hl7.fhir.r4.model.Group cohort = new org.hl7.fhir.r4.model.Group();
        cohort.setId("cohort");
        cohort.setType(org.hl7.fhir.r4.model.Group.GroupType.PERSON).setActual(true).setName("Memory clinic group");
        cohort.addMember().setEntity(new Reference("Patient/p1"));
        cohort.addMember().setEntity(new Reference("Patient/p2").setDisplay("Bea Baker"));
        AccessFixture.put(repository, List.of(cohort, AccessFixture.consent("consent-whole", "p1", "carer1",
                Consent.ConsentState.ACTIVE)));

        Caller patient = Caller.patient("p1");
        assertThat(as(patient).get("/fhir/Group/cohort").status()).isEqualTo(404);
        assertThat(ids(as(patient).get("/fhir/Group?member=Patient/p1").bundle(), "match")).isEmpty();
        assertThat(as(patient).get("/fhir/Patient/p1/$everything").body()).doesNotContain("Bea Baker");
        assertThat(as(patient).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);

        Caller carer = Caller.carer("carer1", "p1");
        assertThat(as(carer).get("/fhir/Group/cohort").status()).isIn(403, 404);
        assertThat(as(carer).get("/fhir/Patient/p1/$everything").body()).doesNotContain("Bea Baker");
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);

        assertThat(as(CLINICIAN_DOC).get("/fhir/Group/cohort").status()).isEqualTo(200);
    }

    @Test
    void patientsMayNotNameAClinicianAsWhoAnswered() {
        Caller patient = Caller.patient("p1").scopes("patient/*.rs", "patient/QuestionnaireResponse.cu");
        // Naming a clinician as author or source, by reference, by type, by a contained resource or by name alone,
        // would put the patient's answers in the clinician's mouth.
        for (var spoof : List.<java.util.function.Consumer<org.hl7.fhir.r4.model.QuestionnaireResponse>>of(
                q -> q.setAuthor(new Reference("Practitioner/doc").setDisplay("Dr Doc")),
                q -> q.setSource(new Reference("Practitioner/doc")),
                q -> q.setAuthor(new Reference("PractitionerRole/doc-role")),
                q -> q.setAuthor(new Reference("Organization/trust")),
                q -> q.setAuthor(new Reference().setType("Practitioner").setDisplay("Dr Doc")),
                q -> q.setAuthor(new Reference().setDisplay("Dr Doc")),
                q -> q.setAuthor(new Reference("RelatedPerson/carer2")),
                q -> {
                    q.addContained(new org.hl7.fhir.r4.model.Practitioner().setId("doc"));
                    q.setAuthor(new Reference("#doc"));
                },
                q -> q.addItem().setLinkId("1").addAnswer().setValue(new Reference("Practitioner/doc")))) {
            var qr = answers("p1");
            spoof.accept(qr);
            Response r = as(patient).postJson("/fhir/QuestionnaireResponse", qr);
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("OperationOutcome", "may name only you");
        }
        assertThat(as(patient).get("/fhir/QuestionnaireResponse?subject=Patient/p1").bundle().getEntry()).isEmpty();

        // Themselves, or their own carer helping them, is who answered; or nobody named at all.
        var own = answers("p1");
        own.setAuthor(new Reference("Patient/p1")).setSource(new Reference("RelatedPerson/carer1"));
        Response created = as(patient).postJson("/fhir/QuestionnaireResponse", own);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(as(patient).postJson("/fhir/QuestionnaireResponse", answers("p1")).status()).isEqualTo(201);
    }

    private static org.hl7.fhir.r4.model.QuestionnaireResponse answers(String patient) {
        var qr = new org.hl7.fhir.r4.model.QuestionnaireResponse();
        qr.setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference("Patient/" + patient));
        return qr;
    }

    @Test
    void chainsCannotTestResourcesTheCallerMayNotSee() {
        String hasRestricted = "/fhir/Patient?_has:Observation:subject:_id=p1-r";
        assertThat(ids(as(NURSE_DOC).get(hasRestricted).bundle(), "match")).containsExactly("p1");
        assertThat(ids(as(HCA_DOC).get(hasRestricted).bundle(), "match")).isEmpty();
        assertThat(ids(as(UNRELATED).get("/fhir/Patient?_has:Observation:subject:status=final").bundle(),
                "match")).isEmpty();
        assertThat(ids(as(CLINICIAN_DOC).get("/fhir/Patient?_has:Observation:subject:status=final").bundle(),
                "match")).containsExactly("p1");
        assertThat(ids(as(NURSE_DOC).get("/fhir/Observation?subject:Patient._has:Observation:subject:_id=p1-v")
                .bundle(), "match")).isEmpty();
    }

    @Test
    void refusalsNameTheirReasonInTheOutcome() {
        Response r = as(UNRELATED).get("/fhir/Patient/p1/$everything");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("CHARNWOOD-2053", "break-glass");
        assertThat(as(null).get("/fhir/Patient").body()).contains("CHARNWOOD-2050");
    }
}
