package org.charnwood.fhir.bundle;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.charnwood.fhir.bundle.TestBundles.batch;
import static org.charnwood.fhir.bundle.TestBundles.delete;
import static org.charnwood.fhir.bundle.TestBundles.get;
import static org.charnwood.fhir.bundle.TestBundles.observation;
import static org.charnwood.fhir.bundle.TestBundles.patch;
import static org.charnwood.fhir.bundle.TestBundles.patient;
import static org.charnwood.fhir.bundle.TestBundles.post;
import static org.charnwood.fhir.bundle.TestBundles.put;

class BatchIntegrationTests {

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;
    private BundleProcessor processor;

    @BeforeEach
    void setUp() {
        db.reset();
        IdListSearchEngine engine = new IdListSearchEngine();
        repository = new FhirRepository(db.dataSource(), new ParseOnlyValidator(), engine, engine,
                RepositorySettings.defaults(), Clock.systemUTC());
        processor = new BundleProcessor(repository);
    }

    @Test
    void eachEntrySucceedsOrFailsOnItsOwnAndIsAnsweredInRequestOrder() {
        String kept = existingPatient("Hall");
        String removed = existingPatient("Wood");
        String tested = existingPatient("Ward");
        BundleEntryComponent stale = put("Patient/" + kept, patient(kept, "Hall-Stone"));
        stale.getRequest().setIfMatch("W/\"9\"");

        Bundle response = processor.process(batch(
                post(null, patient("Clarke")),
                stale,
                get("Patient/missing"),
                delete("Patient/" + removed),
                get("Patient/" + kept),
                patch("Patient/" + tested, "[{\"op\":\"test\",\"path\":\"/active\",\"value\":true}]")));

        assertThat(response.getType()).isEqualTo(BundleType.BATCHRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus()).containsExactly(
                "201 Created", "412 Precondition Failed", "404 Not Found", "204 No Content", "200 OK",
                "422 Unprocessable Entity");
        BundleEntryComponent created = response.getEntry().get(0);
        assertThat(created.getResponse().getLocation()).matches("Patient/[0-9a-f-]{36}/_history/1");
        assertThat(created.getResponse().getEtag()).isEqualTo("W/\"1\"");
        assertThat(created.getResource()).isInstanceOf(Patient.class);
        OperationOutcome conflict = (OperationOutcome) response.getEntry().get(1).getResponse().getOutcome();
        assertThat(conflict.getIssueFirstRep().getDiagnostics()).contains("not version 9");
        assertThat(response.getEntry().get(1).hasResource()).isFalse();
        assertThat(response.getEntry().get(2).getResponse().getOutcome()).isInstanceOf(OperationOutcome.class);
        assertThat(response.getEntry().get(4).getResponse().getEtag()).isEqualTo("W/\"1\"");

        assertThat(db.count("select count(*) from fhir_resource where not deleted")).isEqualTo(3);
        assertThat(repository.read("Patient", kept).version()).isEqualTo(1);
        FhirException gone = catchThrowableOfType(FhirException.class, () -> repository.read("Patient", removed));
        assertThat(gone.status()).isEqualTo(410);
        assertThat(repository.read("Patient", tested).version()).isEqualTo(1);
    }

    @Test
    void referenceToAnotherEntrysPlaceholderIsRefusedInThatEntryOnly() {
        Bundle response = processor.process(batch(
                post("urn:uuid:66666666-0000-4000-8000-000000000001", patient("Young")),
                post(null, observation("urn:uuid:66666666-0000-4000-8000-000000000001"))));

        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("400 Bad Request");
        assertThat(((OperationOutcome) response.getEntry().get(1).getResponse().getOutcome())
                .getIssueFirstRep().getDiagnostics()).contains("batch").contains("transaction instead");
        assertThat(db.count("select count(*) from fhir_resource")).isEqualTo(1);
    }

    @Test
    void malformedEntryIsRefusedWhileTheOthersRun() {
        BundleEntryComponent noRequest = new BundleEntryComponent().setResource(patient("X"));

        Bundle response = processor.process(batch(noRequest, post(null, patient("King"))));

        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("400 Bad Request");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("201 Created");
    }

    @Test
    void twoEntriesChangingOneResourceAreNotIndependentSoTheSecondIsRefused() {
        String id = existingPatient("Scott");

        Bundle response = processor.process(batch(
                put("Patient/" + id, patient(id, "Scott-Bell")),
                patch("Patient/" + id, "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]")));

        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("400 Bad Request");
        assertThat(repository.read("Patient", id).version()).isEqualTo(2);
    }

    @Test
    void conditionalReferencesAreResolvedInBatchesToo() {
        String id = existingPatient("Price");

        Bundle response = processor.process(batch(post(null, observation("Patient?_id=" + id))));

        String observationId = response.getEntryFirstRep().getResponse().getLocation().split("/")[1];
        assertThat(repository.read("Observation", observationId).json()).contains("Patient/" + id);
    }

    private String existingPatient(String family) {
        return repository.inTransaction(s -> s.create(patient(family))).id();
    }
}
