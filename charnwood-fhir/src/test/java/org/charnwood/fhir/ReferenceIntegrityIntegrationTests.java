package org.charnwood.fhir;

import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.search.SqlSearchEngine;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** References written to the store resolve, by whatever form they name their target. */
class ReferenceIntegrityIntegrationTests {

    private static final SearchParameterRegistry REGISTRY = SearchParameterRegistry.r4();
    private static final String OUR_BASE = "https://fhir.charnwood.example/r4";

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;

    @BeforeEach
    void setUp() {
        db.reset();
        ServerBase base = ServerBase.of(OUR_BASE);
        RepositorySettings settings = RepositorySettings.defaults();
        repository = new FhirRepository(db.dataSource(), new ParseOnlyValidator(), new SearchIndexer(REGISTRY, base),
                new SqlSearchEngine(REGISTRY, base, settings, Clock.systemUTC()), settings, Clock.systemUTC());
    }

    // ---- dangling references -----------------------------------------------------------

    @Test
    void aReferenceByThisServersAddressToNothingIsRefused() {
        FhirException refused = refused(observation(OUR_BASE + "/Patient/nope"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.getMessage()).contains("Patient/nope");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void aReferenceByThisServersAddressToAResourceOnFileIsAccepted() {
        put(patient("p1", "Smith"));

        create(observation(OUR_BASE + "/Patient/p1"));
        create(observation(OUR_BASE.toUpperCase() + "/Patient/p1/_history/1"));

        assertThat(db.count("select count(*) from fhir_resource where res_type = 'Observation'")).isEqualTo(2);
    }

    @Test
    void aReferenceToAnotherServerIsNotChecked() {
        create(observation("https://elsewhere.example/fhir/Patient/nope"));

        assertThat(db.count("select count(*) from fhir_resource")).isEqualTo(1);
    }

    @Test
    void aReferenceInAnExtensionOfAPrimitiveValueToNothingIsRefused() {
        FhirException refused = refused(new ResourceParser().parse("""
                {"resourceType":"Patient","birthDate":"1970-01-01","_birthDate":{"extension":[
                  {"url":"https://example.org/recorded-by","valueReference":{"reference":"Practitioner/nope"}}]}}""",
                FhirFormat.JSON));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.getMessage()).contains("Practitioner/nope");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------

    private String create(Resource resource) {
        return repository.inTransaction(s -> s.create(resource)).id();
    }

    private void put(Resource resource) {
        repository.inTransaction(s -> s.update(resource.fhirType(), resource.getIdPart(), resource, null));
    }

    private FhirException refused(Resource resource) {
        FhirException refused = catchThrowableOfType(FhirException.class, () -> create(resource));
        assertThat(refused).as("the write should be refused").isNotNull();
        return refused;
    }

    private static Patient patient(String id, String family) {
        Patient patient = new Patient();
        patient.setId(id);
        patient.addName(new HumanName().setFamily(family));
        return patient;
    }

    private static Observation observation(String subject) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("pulse");
        observation.setSubject(new Reference(subject));
        return observation;
    }
}
