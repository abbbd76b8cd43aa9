package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AuditEvent inside transactions and batches is what it is at its REST address: writes refused with 405 and the
 * same OperationOutcome (a transaction as a whole), reads answered by the audit trail with its own checks. And
 * the AuditEvent search does what its parameters say or refuses them: comma is OR for patient, a subtype's
 * system counts, {@code _count=0} and {@code _summary=count} give the total, {@code :missing} works on each
 * parameter, other modifiers and unknown parameters are refused unless the client asks for lenient handling.
 */
class AuditEventBundlesAndSearchIntegrationTests extends CharnwoodIntegrationTest {

    private static final String READ_ONLY =
            "AuditEvents are written by the server only; they cannot be created, changed or deleted";

    private String anEvent;

    @BeforeEach
    void eventsAboutTwoPatients() {
        for (String id : new String[]{"ab-1", "ab-2"}) {
            Patient p = new Patient();
            p.setId(id);
            p.addName(new HumanName().setFamily("Audit"));
            assertThat(http.putJson("/fhir/Patient/" + id, p).status()).isEqualTo(201);
            assertThat(http.get("/fhir/Patient/" + id).status()).isEqualTo(200);
        }
        anEvent = http.get("/fhir/AuditEvent?patient=ab-1").bundle().getEntryFirstRep().getResource()
                .getIdElement().getIdPart();
    }

    private Response send(Bundle bundle) {
        return http.post("/fhir", FhirHttp.json(bundle), "application/fhir+json");
    }

    private static Bundle bundle(Bundle.BundleType type) {
        return new Bundle().setType(type);
    }

    private static void entry(Bundle bundle, Bundle.HTTPVerb method, String url) {
        bundle.addEntry().getRequest().setMethod(method).setUrl(url);
    }

    @Test
    void aTransactionDeletingAnAuditEventIsRefusedAsAWholeAsTheRestDeleteIs() {
        for (String url : new String[]{"AuditEvent/" + anEvent, "AuditEvent?_id=" + anEvent}) {
            Bundle tx = bundle(Bundle.BundleType.TRANSACTION);
            entry(tx, Bundle.HTTPVerb.DELETE, url);
            Patient other = new Patient();
            other.addName(new HumanName().setFamily("NotWritten"));
            tx.addEntry().setResource(other).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");

            Response r = send(tx);

            assertThat(r.status()).as(url).isEqualTo(405);
            assertThat(r.body()).as(url).contains("CHARNWOOD-2100");
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).as(url).isEqualTo(READ_ONLY);
            assertThat(r.outcome().getIssueFirstRep().getExpression().getFirst().getValue()).isEqualTo("Bundle.entry[0]");
        }
        assertThat(http.get("/fhir/AuditEvent/" + anEvent).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient?family=NotWritten").bundle().getEntry()).isEmpty();
    }

    @Test
    void aBatchAnswersItsAuditEventWritesWith405AndGoesOnWithTheRest() {
        long refusalsBefore = refusals();
        Bundle batch = bundle(Bundle.BundleType.BATCH);
        entry(batch, Bundle.HTTPVerb.DELETE, "AuditEvent/" + anEvent);
        batch.addEntry().setResource(new AuditEvent()).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("AuditEvent/" + anEvent);
        Patient written = new Patient();
        written.addName(new HumanName().setFamily("Written"));
        batch.addEntry().setResource(written).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");

        Response r = send(batch);

        assertThat(r.status()).isEqualTo(200);
        Bundle answer = r.bundle();
        assertThat(answer.getEntry()).hasSize(3);
        for (int i = 0; i < 2; i++) {
            Bundle.BundleEntryResponseComponent refused = answer.getEntry().get(i).getResponse();
            assertThat(refused.getStatus()).startsWith("405");
            assertThat(((org.hl7.fhir.r4.model.OperationOutcome) refused.getOutcome()).getIssueFirstRep()
                    .getDiagnostics()).isEqualTo(READ_ONLY);
        }
        assertThat(answer.getEntry().get(2).getResponse().getStatus()).startsWith("201");
        assertThat(http.get("/fhir/AuditEvent/" + anEvent).status()).isEqualTo(200);
        // Each refused entry is on the trail as a failure.
        assertThat(refusals() - refusalsBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aBatchReadsTheAuditTrailWithItsOwnChecks() {
        int direct = http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&_count=100").bundle().getEntry().size();
        Bundle batch = bundle(Bundle.BundleType.BATCH);
        entry(batch, Bundle.HTTPVerb.GET, "AuditEvent?patient=ab-1&subtype=read&_count=100");
        entry(batch, Bundle.HTTPVerb.GET, "AuditEvent/" + anEvent);

        Bundle answer = send(batch).bundle();

        assertThat(direct).isPositive();
        assertThat(answer.getEntry().get(0).getResponse().getStatus()).startsWith("200");
        assertThat(((Bundle) answer.getEntry().get(0).getResource()).getEntry()).hasSize(direct);
        assertThat(answer.getEntry().get(1).getResponse().getStatus()).startsWith("200");
        assertThat(answer.getEntry().get(1).getResource().getIdElement().getIdPart()).isEqualTo(anEvent);

        // A nurse may not read the trail, in a bundle as at its address.
        FhirHttp nurse = http.as(tokens.bearer(Caller.staff("Practitioner/staff-951", AccessRole.REGISTERED_NURSE)));
        Bundle asked = bundle(Bundle.BundleType.BATCH);
        entry(asked, Bundle.HTTPVerb.GET, "AuditEvent/" + anEvent);
        Response refused = nurse.post("/fhir", FhirHttp.json(asked), "application/fhir+json");
        assertThat(nurse.get("/fhir/AuditEvent/" + anEvent).status()).isEqualTo(403);
        assertThat(refused.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("403");
    }

    @Test
    void commaSeparatedPatientsAreEitherOfThem() {
        // Only the reads of the patients: each search of the trail is itself recorded against them.
        Set<String> one = ids(http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&_count=100").bundle());
        Set<String> two = ids(http.get("/fhir/AuditEvent?patient=Patient/ab-2&subtype=read&_count=100").bundle());
        Set<String> union = new HashSet<>(one);
        union.addAll(two);

        Set<String> either = ids(http.get("/fhir/AuditEvent?patient=ab-1,Patient/ab-2&subtype=read&_count=100")
                .bundle());

        assertThat(one).isNotEmpty();
        assertThat(two).isNotEmpty();
        assertThat(either).isEqualTo(union);
    }

    @Test
    void aSubtypesSystemMustMatch() {
        assertThat(http.get("/fhir/AuditEvent?patient=ab-1&subtype=http://hl7.org/fhir/restful-interaction%7Cread")
                .bundle().getEntry()).isNotEmpty();
        assertThat(http.get("/fhir/AuditEvent?patient=ab-1&subtype=read").bundle().getEntry()).isNotEmpty();
        assertThat(http.get("/fhir/AuditEvent?patient=ab-1&subtype=http://wrong.example%7Cread")
                .bundle().getEntry()).isEmpty();
    }

    /**
     * An operation's event has {@code operation} and which operation as subtypes, a bundle entry's its interaction
     * and {@code transaction} or {@code batch}: a subtype search finds the event by any of them, as a token search
     * does, not by the first alone.
     */
    @Test
    void anEventIsFoundByEachOfItsSubtypes() {
        assertThat(http.get("/fhir/Patient/ab-1/$everything").status()).isEqualTo(200);
        Bundle tx = bundle(Bundle.BundleType.TRANSACTION);
        Patient changed = new Patient();
        changed.setId("ab-2");
        changed.addName(new HumanName().setFamily("Audited"));
        tx.addEntry().setResource(changed).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/ab-2");
        assertThat(send(tx).status()).isEqualTo(200);

        Bundle everything = http.get("/fhir/AuditEvent?patient=ab-1&subtype=everything").bundle();
        Bundle inItsSystem = http.get("/fhir/AuditEvent?patient=ab-1&subtype="
                + "https://charnwood.nhs.example/fhir/CodeSystem/audit-subtype%7Ceverything").bundle();
        Bundle entries = http.get("/fhir/AuditEvent?patient=ab-2&subtype=transaction").bundle();

        assertThat(everything.getEntry()).hasSize(1).allSatisfy(e -> assertThat(((AuditEvent) e.getResource())
                .getSubtype()).extracting(org.hl7.fhir.r4.model.Coding::getCode).containsExactly("operation",
                        "everything"));
        assertThat(ids(inItsSystem)).isEqualTo(ids(everything));
        assertThat(http.get("/fhir/AuditEvent?patient=ab-1&subtype=http://hl7.org/fhir/restful-interaction"
                + "%7Ceverything").bundle().getEntry()).isEmpty();
        assertThat(entries.getEntry()).hasSize(1).allSatisfy(e -> assertThat(((AuditEvent) e.getResource())
                .getSubtype()).extracting(org.hl7.fhir.r4.model.Coding::getCode).containsExactly("update",
                        "transaction"));
        assertThat(ids(http.get("/fhir/AuditEvent?patient=ab-2&subtype=transaction,everything").bundle()))
                .isEqualTo(ids(entries));
    }

    /**
     * {@code _id} and {@code _lastUpdated}, which R4 gives every type: an event by its number (one that is no
     * event's number finds nothing), and by when it was recorded, as {@code date} finds it.
     */
    @Test
    void anEventIsFoundByItsIdAndByWhenItWasRecorded() {
        Bundle byId = http.get("/fhir/AuditEvent?_id=" + anEvent).bundle();
        assertThat(byId.getEntry()).hasSize(1);
        assertThat(byId.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(anEvent);
        assertThat(http.get("/fhir/AuditEvent?_id=not-an-event," + anEvent).bundle().getEntry()).hasSize(1);
        assertThat(http.get("/fhir/AuditEvent?_id=not-an-event").bundle().getEntry()).isEmpty();

        String recorded = ((AuditEvent) byId.getEntryFirstRep().getResource()).getRecordedElement().getValueAsString();
        String day = recorded.substring(0, 10);
        assertThat(ids(http.get("/fhir/AuditEvent?_id=" + anEvent + "&_lastUpdated=" + day).bundle()))
                .containsExactly(anEvent);
        assertThat(http.get("/fhir/AuditEvent?_id=" + anEvent + "&_lastUpdated=lt" + day).bundle().getEntry())
                .isEmpty();
        assertThat(ids(http.get("/fhir/AuditEvent?patient=ab-1&_lastUpdated=ge" + day).bundle())).contains(anEvent);
        assertThat(http.get("/fhir/AuditEvent?_lastUpdated=gt2999-01-01").bundle().getEntry()).isEmpty();
        assertThat(http.get("/fhir/AuditEvent?_lastUpdated=soon").status()).isEqualTo(400);
    }

    /**
     * {@code entity} finds the events about what it names: a Patient as {@code patient} does, any other resource by
     * its reference, with or without the version the event names.
     */
    @Test
    void anEventIsFoundByWhatItWasAbout() {
        org.hl7.fhir.r4.model.Observation o = new org.hl7.fhir.r4.model.Observation();
        o.setId("ab-obs");
        o.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/ab-1"));
        assertThat(http.putJson("/fhir/Observation/ab-obs", o).status()).isEqualTo(201);

        Set<String> reads = ids(http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&_count=100").bundle());
        Set<String> byEntity = ids(http.get("/fhir/AuditEvent?entity=Patient/ab-1&subtype=read&_count=100").bundle());
        Set<String> written = ids(http.get("/fhir/AuditEvent?entity=Observation/ab-obs").bundle());

        assertThat(byEntity).isNotEmpty().isEqualTo(reads);
        assertThat(written).hasSize(1);
        assertThat(ids(http.get("/fhir/AuditEvent?entity=Observation/ab-obs/_history/1").bundle()))
                .isEqualTo(written);
        assertThat(ids(http.get("/fhir/AuditEvent?entity=Observation/ab-obs/_history/2").bundle())).isEmpty();
        assertThat(ids(http.get("/fhir/AuditEvent?entity=Observation/ab-ob").bundle())).isEmpty();
        assertThat(ids(http.get("/fhir/AuditEvent?entity=Observation/ab-obs,Patient/ab-2&_count=100").bundle()))
                .containsAll(written)
                .containsAll(ids(http.get("/fhir/AuditEvent?patient=ab-2&subtype=read&_count=100").bundle()));
    }

    /**
     * A search or history across types that names AuditEvent is refused, saying where the trail is searched: the
     * clinical store it would be answered from holds none, and an empty answer would say there were none.
     */
    @Test
    void aSearchAcrossTypesNamingAuditEventIsSentToTheTrail() {
        for (String url : new String[]{"/fhir?_type=AuditEvent", "/fhir?_type=Patient,AuditEvent&_count=1",
                "/fhir/_history?_type=AuditEvent"}) {
            Response r = http.get(url);

            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).as(url).contains("GET [base]/AuditEvent?");
        }
        Response form = http.post("/fhir/_search", "_type=AuditEvent", "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(400);
        assertThat(http.get("/fhir?_type=Patient&_count=1").status()).isEqualTo(200);
    }

    @Test
    void countZeroAndSummaryCountGiveTheTotalAndANegativeCountIsRefused() {
        int all = http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&_count=100").bundle().getEntry().size();

        Bundle zero = http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&_count=0").bundle();
        Bundle summary = http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&_summary=count").bundle();

        assertThat(zero.getEntry()).isEmpty();
        assertThat(zero.getTotal()).isEqualTo(all);
        assertThat(summary.getEntry()).isEmpty();
        assertThat(summary.getTotal()).isEqualTo(all);
        assertThat(http.get("/fhir/AuditEvent?patient=ab-1&_count=-1").status()).isEqualTo(400);
        assertThat(http.get("/fhir/AuditEvent?patient=ab-1&_summary=text").status()).isEqualTo(400);
    }

    @Test
    void missingSplitsTheTrailByWhetherAnEventHasTheParameter() throws InterruptedException {
        // Each search is itself recorded: count only the events recorded before the first of them, once written.
        String before = "&date=lt" + java.time.Instant.now();
        Thread.sleep(500);
        int all = total("/fhir/AuditEvent?_summary=count" + before);
        int aboutNoPatient = total("/fhir/AuditEvent?patient:missing=true&_summary=count" + before);
        int aboutAPatient = total("/fhir/AuditEvent?patient:missing=false&_summary=count" + before);

        assertThat(aboutAPatient).isGreaterThanOrEqualTo(2);
        assertThat(aboutNoPatient + aboutAPatient).isEqualTo(all);
        assertThat(total("/fhir/AuditEvent?date:missing=true&_summary=count")).isZero();
        assertThat(total("/fhir/AuditEvent?patient=ab-1&agent:missing=false&type:missing=false&subtype:missing=false"
                + "&action:missing=false&outcome:missing=false&purpose:missing=true&_summary=count" + before))
                .isEqualTo(total("/fhir/AuditEvent?patient=ab-1&purpose:missing=true&_summary=count" + before));
        Response bad = http.get("/fhir/AuditEvent?outcome:missing=perhaps");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.outcome().getIssueFirstRep().getDiagnostics()).contains("true or false");
    }

    private int total(String url) {
        Response r = http.get(url);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.bundle().getTotal();
    }

    @Test
    void modifiersAndUnknownParametersAreRefusedUnlessLenientHandlingIsAskedFor() {
        Response modifier = http.get("/fhir/AuditEvent?agent:identifier=someone");
        Response unknown = http.get("/fhir/AuditEvent?patient=ab-1&entity-name=x");
        Response lenient = http.get("/fhir/AuditEvent?patient=ab-1&subtype=read&agent:identifier=someone",
                "Prefer", "handling=lenient");

        assertThat(modifier.status()).isEqualTo(400);
        assertThat(modifier.outcome().getIssueFirstRep().getDiagnostics()).contains(":identifier");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(lenient.status()).isEqualTo(200);
        Bundle page = lenient.bundle();
        assertThat(page.getEntry()).anySatisfy(e -> {
            assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.OUTCOME);
            assertThat(((org.hl7.fhir.r4.model.OperationOutcome) e.getResource()).getIssueFirstRep().getDiagnostics())
                    .contains(":identifier");
        });
        assertThat(page.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH))
                .hasSize(ids(http.get("/fhir/AuditEvent?patient=ab-1&subtype=read").bundle()).size());
    }

    private long refusals() {
        return jdbc.queryForObject("select count(*) from audit.event where outcome <> 0", Long.class);
    }

    private static Set<String> ids(Bundle bundle) {
        Set<String> ids = new HashSet<>();
        bundle.getEntry().stream().filter(e -> e.getResource() instanceof AuditEvent)
                .forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
        return ids;
    }
}
