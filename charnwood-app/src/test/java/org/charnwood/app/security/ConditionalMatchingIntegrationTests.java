package org.charnwood.app.security;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.HEALTH_CARE_ASSISTANT;

/**
 * Conditional writes and conditional references match only what the caller's own search would find: a record
 * hidden from them (another patient's, with no relationship; one carrying a label their role may not see; for a
 * patient, anyone else's) is no match. Each request is sent while a hidden record matches and again once it is gone,
 * and must get the same answer both times, leaving the hidden record as it was.
 */
class ConditionalMatchingIntegrationTests extends AccessFixtureIntegrationTest {

    /** Has a relationship with p1 (through team-a) but none with p2; may not see R, V or sealed entries. */
    private static final Caller HCA = Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT);
    private static final Caller PATIENT_1 = Caller.patient("p1")
            .scopes("patient/*.rs", "patient/QuestionnaireResponse.c");

    @Test
    void aConditionalDeleteLeavesHiddenMatchesAloneAndAnswersAsForNoMatch() {
        String prefer = "return=OperationOutcome";
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> as(HCA)
                .delete("/fhir/Observation?subject=Patient/p2&category=vital-signs", "Prefer", prefer), 200);
        sameAnswerWithAndWithout("Observation", "p1-r", () -> as(HCA)
                .delete("/fhir/Observation?_id=p1-r", "Prefer", prefer), 200);
        StoredResource veryRestricted = current("Observation", "p1-v");
        Response plain = as(HCA).delete("/fhir/Observation?_id=p1-v");
        assertThat(plain.status()).as(plain.body()).isEqualTo(204);
        assertUnchanged(veryRestricted);

        // Criteria matching visible and hidden records alike delete the visible ones only.
        List<StoredResource> hidden = List.of(current("Observation", "p1-r"), current("Observation", "p1-v"),
                current("Observation", "p1-sex"));
        Response mixed = as(HCA).delete("/fhir/Observation?subject=Patient/p1&category=vital-signs");
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(204);
        assertThat(current("Observation", "p1-obs")).isNull();
        assertThat(current("Observation", "p1-withheld")).isNull();
        hidden.forEach(this::assertUnchanged);
    }

    @Test
    void aConditionalDeleteEntryInABatchLeavesHiddenMatchesAlone() {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE)
                .setUrl("Observation?subject=Patient/p2&category=vital-signs");
        Response r = as(HCA).postJson("/fhir", batch);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("204");
        assertThat(current("Observation", "p2-obs").version()).isEqualTo(1);
    }

    @Test
    void ifNoneExistCountsOnlyVisibleMatches() {
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> as(HCA).postJson("/fhir/Observation",
                AccessFixture.observation(null, "p1", AccessFixture.VITALS),
                "If-None-Exist", "subject=Patient/p2&category=vital-signs", "Prefer", "return=minimal"), 201);
        sameAnswerWithAndWithout("Observation", "p1-sex", () -> as(HCA).postJson("/fhir/Observation",
                AccessFixture.observation(null, "p1", AccessFixture.VITALS),
                "If-None-Exist", "_id=p1-sex", "Prefer", "return=minimal"), 201);
        // What the caller sees still counts: the match is returned and nothing is created.
        Response found = as(HCA).postJson("/fhir/Observation",
                AccessFixture.observation(null, "p1", AccessFixture.VITALS), "If-None-Exist", "_id=p1-obs");
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(found.header("Location")).isNull();
    }

    @Test
    void aPatientsIfNoneExistCannotTellWhetherAnotherPatientAnswered() {
        QuestionnaireResponse theirs = answer("p2");
        theirs.setId("p2-qr");
        AccessFixture.put(repository, List.of(theirs));
        sameAnswerWithAndWithout("QuestionnaireResponse", "p2-qr", () -> as(PATIENT_1).postJson(
                "/fhir/QuestionnaireResponse", answer("p1"), "If-None-Exist", "subject=Patient/p2",
                "Prefer", "return=minimal"), 201);
    }

    @Test
    void ifNoneExistInATransactionCountsOnlyVisibleMatches() {
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> {
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry().setFullUrl("urn:uuid:5c3f6d1e-0000-4000-8000-000000000001")
                    .setResource(AccessFixture.observation(null, "p1", AccessFixture.VITALS)).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation")
                    .setIfNoneExist("subject=Patient/p2&category=vital-signs");
            Response r = as(HCA).postJson("/fhir", tx, "Prefer", "return=minimal");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("201");
            return r;
        }, 200);
    }

    /**
     * Criteria that reach a hidden record through a chain or {@code _has} match as the caller's search does: the
     * booking office, who may not read observations, cannot learn from a conditional create of a patient whether
     * one has a given observation, nor a healthcare assistant find a record through its patient's name.
     */
    @Test
    void chainedAndReverseChainedCriteriaSeeOnlyWhatTheCallerSees() {
        Caller booking = Caller.staff("Practitioner/doc", AccessRole.ADMIN_BOOKING);
        sameAnswerWithAndWithout("Observation", "p1-r", () -> as(booking).postJson("/fhir/Patient",
                AccessFixture.patient(null, "Carter"), "If-None-Exist", "_has:Observation:subject:_id=p1-r",
                "Prefer", "return=minimal"), 201);
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> as(HCA).delete(
                "/fhir/Observation?subject:Patient.family=Baker", "Prefer", "return=OperationOutcome"), 200);
    }

    @Test
    void aConditionalUpdateCreatesBesideHiddenMatchesAndChangesNoneOfThem() {
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> as(HCA).putJson(
                "/fhir/Observation?subject=Patient/p2&category=vital-signs",
                AccessFixture.observation(null, "p1", AccessFixture.VITALS), "Prefer", "return=minimal"), 201);
        sameAnswerWithAndWithout("Observation", "p1-r", () -> as(HCA).putJson("/fhir/Observation?_id=p1-r",
                AccessFixture.observation(null, "p1", AccessFixture.VITALS), "Prefer", "return=minimal"), 201);
    }

    @Test
    void aConditionalReferenceInATransactionResolvesOnlyToWhatTheCallerSees() {
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> as(HCA).postJson("/fhir",
                derivedFrom("Observation?subject=Patient/p2&category=vital-signs")), 400);
        sameAnswerWithAndWithout("Observation", "p1-v", () -> as(HCA).postJson("/fhir",
                derivedFrom("Observation?_id=p1-v")), 400);

        // Beside a hidden match, the one the caller sees is the one match (not "several").
        Response one = as(HCA).postJson("/fhir", derivedFrom("Observation?_id=p1-obs,p1-r"));
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        String created = one.bundle().getEntryFirstRep().getResponse().getLocation();
        String id = created.substring("Observation/".length(), created.indexOf("/_history"));
        assertThat(repository.read("Observation", id).parse(Observation.class).getDerivedFromFirstRep()
                .getReference()).isEqualTo("Observation/p1-obs");
    }

    @Test
    void aPatientsConditionalReferenceCannotFindAnotherPatientsRecord() {
        sameAnswerWithAndWithout("Observation", "p2-obs", () -> {
            QuestionnaireResponse mine = answer("p1");
            mine.addPartOf(new Reference("Observation?subject=Patient/p2"));
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry().setFullUrl("urn:uuid:5c3f6d1e-0000-4000-8000-000000000002").setResource(mine)
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("QuestionnaireResponse");
            return as(PATIENT_1).postJson("/fhir", tx);
        }, 400);
    }

    /** A transaction creating an observation on p1 derived from what the conditional reference finds. */
    private static Bundle derivedFrom(String conditionalReference) {
        Observation o = AccessFixture.observation(null, "p1", AccessFixture.VITALS);
        o.addDerivedFrom(new Reference(conditionalReference));
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry().setFullUrl("urn:uuid:5c3f6d1e-0000-4000-8000-000000000003").setResource(o).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        return tx;
    }

    private static QuestionnaireResponse answer(String patient) {
        QuestionnaireResponse qr = new QuestionnaireResponse();
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference("Patient/" + patient));
        return qr;
    }

    /**
     * Sends the request while {@code type/hiddenId} (hidden from the caller) matches it, checks that it was left as
     * it was, takes it away, and sends the request again: both answers must be {@code status}, with the same
     * outcome text.
     */
    private void sameAnswerWithAndWithout(String type, String hiddenId, Supplier<Response> request, int status) {
        StoredResource hidden = current(type, hiddenId);
        assertThat(hidden).as(type + "/" + hiddenId + " is there to begin with").isNotNull();
        Response withHidden = request.get();
        assertThat(withHidden.status()).as(withHidden.body()).isEqualTo(status);
        assertUnchanged(hidden);
        repository.inTransaction(s -> s.delete(type, hiddenId, null));
        Response without = request.get();
        assertThat(without.status()).as(without.body()).isEqualTo(status);
        assertThat(diagnostics(withHidden)).isEqualTo(diagnostics(without));
        // Back as it was, for the next request of the test.
        AccessFixture.put(repository, List.of((org.hl7.fhir.r4.model.Resource) org.charnwood.fhir.FhirContexts.r4()
                .newJsonParser().parseResource(hidden.json())));
    }

    /** The outcome's text, if the answer is one, with server-assigned ids left out. */
    private static List<String> diagnostics(Response r) {
        if (r.body() == null || !r.body().contains("\"OperationOutcome\"") || r.body().contains("\"Bundle\"")) {
            return List.of();
        }
        OperationOutcome oo = r.outcome();
        return oo.getIssue().stream().map(i -> i.getSeverity().toCode() + " " + i.getCode().toCode() + " "
                + String.valueOf(i.getDiagnostics()).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")).toList();
    }

    /** The resource is current, at the version it had, with the same content. */
    private void assertUnchanged(StoredResource before) {
        StoredResource now = current(before.type(), before.id());
        assertThat(now).as(before.type() + "/" + before.id() + " is still there").isNotNull();
        assertThat(now.version()).as(before.type() + "/" + before.id() + " is unchanged").isEqualTo(before.version());
        assertThat(now.json()).isEqualTo(before.json());
    }

    private StoredResource current(String type, String id) {
        try {
            return repository.read(type, id);
        } catch (FhirException gone) {
            return null;
        }
    }
}
