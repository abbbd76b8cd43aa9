package org.charnwood.app.audit;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.validation.ResourceValidator;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Who has viewed my record" over FHIR: {@code AuditEvent?patient=} for a patient's or carer's app, carrying what
 * the page shows and nothing more from the trail.
 */
class PatientAccessHistoryApiIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;

    /** The validator every write to the store goes through (base R4 structure, types, cardinality, invariants). */
    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("repositoryValidator")
    ResourceValidator validator;

    private RecordAccessFixture fixture;

    @BeforeEach
    void aRecordOthersHaveUsed() {
        fixture = new RecordAccessFixture(repository);
    }

    private FhirHttp app(TestTokens.Caller caller) {
        return http.as(tokens.bearer(caller));
    }

    private List<AuditEvent> events(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    }

    @Test
    void aPatientsAppGetsWhoAccessedTheRecordNewestFirstAsThePageShowsIt() {
        fixture.othersUseTheRecord(tokens, http);

        FhirHttp.Response response = app(TestTokens.Caller.patient(fixture.patient))
                .get("/fhir/AuditEvent?patient=" + fixture.patient);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<AuditEvent> events = events(response.bundle());
        // The clinician's search under break-glass, the grant itself, then the nurse's read.
        assertThat(events).hasSize(3);
        AuditEvent search = events.get(0);
        assertThat(search.getAgentFirstRep().getWho().getDisplay()).isEqualTo("Elizabeth Blackwell");
        assertThat(search.getAgentFirstRep().getRequestor()).isTrue();
        assertThat(search.getAgentFirstRep().getRoleFirstRep().getText()).isEqualTo("Doctor or clinical practitioner");
        assertThat(search.getEntityFirstRep().getDescription()).isEqualTo("Searched and saw your observations and measurements");
        assertThat(search.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("BTG");
        assertThat(search.getAgentFirstRep().getPurposeOfUseFirstRep().getText()).isEqualTo(RecordAccessFixture.REASON);
        AuditEvent read = events.get(2);
        assertThat(read.getAgentFirstRep().getWho().getDisplay()).isEqualTo("Mary Seacole");
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getEntityFirstRep().getDescription()).isEqualTo("Viewed your personal details");
        assertThat(read.getAgent()).extracting(a -> a.getWho().getDisplay())
                .contains("Charnwood Community Health NHS Trust");
        assertThat(read.getRecorded()).isBeforeOrEqualTo(search.getRecorded());

        // Only what the page shows: the patient's own record as the one entity, no ids, addresses or queries.
        for (AuditEvent e : events) {
            assertThat(e.getEntity()).hasSize(1);
            assertThat(e.getEntityFirstRep().getWhat().getReference()).isEqualTo("Patient/" + fixture.patient);
            assertThat(e.getEntityFirstRep().hasQuery()).isFalse();
            assertThat(e.getAgent()).allSatisfy(a -> {
                assertThat(a.getWho().hasReference()).isFalse();
                assertThat(a.getWho().hasIdentifier()).isFalse();
                assertThat(a.hasNetwork()).isFalse();
            });
            assertThat(e.getType().getCode()).isEqualTo("110110");
        }
        assertThat(response.body()).doesNotContain("ra-nurse", "ra-doc", "127.0.0.1", "Observation?patient");
        // Valid R4 AuditEvents: strictly parsed, and accepted by the validator the store uses for writes.
        Bundle strict = FhirContexts.r4().newJsonParser()
                .setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler())
                .parseResource(Bundle.class, response.body());
        for (var entry : strict.getEntry()) {
            assertThat(validator.validate(entry.getResource()))
                    .noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                            || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
        }
    }

    @Test
    void thePatientsOwnUseIsLeftOutAndTheirLookingIsItselfRecorded() {
        FhirHttp patientApp = app(TestTokens.Caller.patient(fixture.patient));
        assertThat(patientApp.get("/fhir/Patient/" + fixture.patient).status()).isEqualTo(200);

        FhirHttp.Response response = patientApp.get("/fhir/AuditEvent?patient=Patient/" + fixture.patient);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.bundle().getEntry()).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit.event where subtype = 'search-type'"
                + " and who = ? and patients = ?", Integer.class, "Patient/" + fixture.patient, fixture.patient))
                .isEqualTo(1);
    }

    @Test
    void theHistoryIsPagedWithLinksThatCarryOnWhereItStopped() {
        String nurse = tokens.bearer(fixture.nurse);
        for (int i = 0; i < 5; i++) {
            http.as(nurse).get("/fhir/Patient/" + fixture.patient);
        }
        FhirHttp patientApp = app(TestTokens.Caller.patient(fixture.patient));

        Bundle first = patientApp.get("/fhir/AuditEvent?patient=" + fixture.patient + "&_count=3").bundle();
        String next = first.getLink("next").getUrl();
        Bundle second = patientApp.get(next.substring(next.indexOf("/fhir/"))).bundle();

        assertThat(first.getEntry()).hasSize(3);
        assertThat(second.getEntry()).hasSize(2);
        assertThat(second.getLink("next")).isNull();
        assertThat(second.getLink("previous").getUrl()).contains("_getpagesoffset=0");
    }

    @Test
    void aCarerSeesItOnlyWhenTheConsentSharesTheAccessHistory() {
        fixture.othersUseTheRecord(tokens, http);
        fixture.carerMaySee(repository, "Observation");
        FhirHttp.Response notShared = app(fixture.carer()).get("/fhir/AuditEvent?patient=" + fixture.patient);
        fixture.carerMaySee(repository, "Observation", "AuditEvent");
        FhirHttp.Response shared = app(fixture.carer()).get("/fhir/AuditEvent?patient=" + fixture.patient);

        assertThat(notShared.status()).isEqualTo(403);
        assertThat(shared.status()).as(shared.body()).isEqualTo(200);
        assertThat(events(shared.bundle())).extracting(e -> e.getAgentFirstRep().getWho().getDisplay())
                .contains("Mary Seacole");
    }

    @Test
    void otherPatientsScopesWithoutAuditEventAndOtherParametersAreRefusedClearly() {
        FhirHttp.Response otherPatient = app(TestTokens.Caller.patient("ra-someone-else"))
                .get("/fhir/AuditEvent?patient=" + fixture.patient);
        FhirHttp.Response observationsOnly = app(TestTokens.Caller.patient(fixture.patient)
                .scopes("patient/Observation.rs")).get("/fhir/AuditEvent?patient=" + fixture.patient);
        FhirHttp.Response noPatient = app(TestTokens.Caller.patient(fixture.patient)).get("/fhir/AuditEvent");
        FhirHttp.Response otherParameter = app(TestTokens.Caller.patient(fixture.patient))
                .get("/fhir/AuditEvent?patient=" + fixture.patient + "&agent=Practitioner/ra-nurse");
        FhirHttp.Response theTrailItself = app(TestTokens.Caller.patient(fixture.patient)).get("/fhir/AuditEvent/1");

        assertThat(otherPatient.status()).isEqualTo(403);
        assertThat(observationsOnly.status()).isEqualTo(403);
        assertThat(observationsOnly.outcome().getIssueFirstRep().getDiagnostics()).contains("patient/AuditEvent.rs");
        assertThat(noPatient.status()).isEqualTo(400);
        assertThat(noPatient.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(otherParameter.status()).isEqualTo(400);
        assertThat(otherParameter.outcome().getIssueFirstRep().getDiagnostics()).contains("agent");
        assertThat(theTrailItself.status()).isEqualTo(403);
    }

    @Test
    void aRefusedSearchWhoseTextHeldAControlCharacterDoesNotBreakThePatientsHistory() {
        fixture.othersUseTheRecord(tokens, http);
        // A search naming the patient, refused for a NUL in a value, is still recorded against them.
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        FhirHttp nurse = app(fixture.nurse);
        assertThat(nurse.get("/fhir/Observation?subject=Patient/" + fixture.patient + "&code=x%00").status())
                .isEqualTo(400);
        assertThat(nurse.get("/fhir/Observation?subject=Patient/" + fixture.patient + "&code=%ED%A0%80").status())
                .isBetween(400, 499);

        // Every row those searches wrote reads as jsonb, as the trail's queries read it (a NUL escape would not).
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ? and content::jsonb is not null",
                Long.class, before)).isPositive();
        FhirHttp.Response response = app(TestTokens.Caller.patient(fixture.patient))
                .get("/fhir/AuditEvent?patient=" + fixture.patient);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
}
