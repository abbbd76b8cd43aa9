package org.charnwood.fhir.patch;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.testing.TestRepositories;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The patch interaction of the write session, against the real store. */
class PatchInteractionIntegrationTests {

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;
    private String id;

    @BeforeEach
    void setUp() {
        db.reset();
        repository = TestRepositories.with(new ParseOnlyValidator());
        Patient patient = new Patient();
        patient.addName(new HumanName().setFamily("Taylor").addGiven("Sam"));
        id = repository.inTransaction(s -> s.create(patient)).id();
    }

    @Test
    void appliesTheOperationsAndStoresANewVersionLikeAnUpdate() {
        WriteResult result = patch("""
                [{"op":"test","path":"/name/0/family","value":"Taylor"},
                 {"op":"replace","path":"/name/0/family","value":"Taylor-Reid"},
                 {"op":"add","path":"/name/0/given/-","value":"Jo"},
                 {"op":"add","path":"/gender","value":"female"}]""", 1);

        assertThat(result.kind()).isEqualTo(WriteResult.Kind.UPDATED);
        assertThat(result.version()).isEqualTo(2);
        String json = repository.read("Patient", id).json();
        assertThat(json).contains("\"family\":\"Taylor-Reid\"").contains("\"given\":[\"Sam\",\"Jo\"]")
                .contains("\"gender\":\"female\"").contains("\"versionId\":\"2\"");
        assertThat(db.count("select count(*) from fhir_outbox")).isEqualTo(2);
        assertThat(repository.vread("Patient", id, 1).json()).contains("\"family\":\"Taylor\"");
    }

    @Test
    void staleIfMatchIsRefusedWith412() {
        assertRefused("[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]", 4, 412);
    }

    @Test
    void missingResourceIs404AndDeletedIs410() {
        FhirException missing = catchThrowableOfType(FhirException.class, () -> repository.inTransaction(s ->
                s.patch("Patient", "nobody", "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]", null)));
        repository.inTransaction(s -> s.delete("Patient", id));
        FhirException gone = catchThrowableOfType(FhirException.class, () -> patch(
                "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]", null));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(gone.status()).isEqualTo(410);
    }

    @Test
    void failedTestIs422AndWritesNothing() {
        assertRefused("""
                [{"op":"add","path":"/active","value":true},
                 {"op":"test","path":"/name/0/family","value":"Smith"}]""", null, 422);
    }

    @Test
    void malformedPatchIs400() {
        assertRefused("{\"op\":\"add\"}", null, 400);
        assertRefused("[{\"op\":\"add\",\"path\":\"/active\"}]", null, 400);
    }

    @Test
    void changingTheIdOrTypeIs422() {
        assertRefused("[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"someone-else\"}]", null, 422);
        assertRefused("[{\"op\":\"replace\",\"path\":\"/resourceType\",\"value\":\"Person\"}]", null, 422);
    }

    @Test
    void resultThatIsNotAValidResourceIs422() {
        assertRefused("[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"purple\"}]", null, 422);
        assertRefused("[{\"op\":\"add\",\"path\":\"/favouriteColour\",\"value\":\"blue\"}]", null, 422);
        assertRefused("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Taylor\"}]", null, 422);
    }

    private WriteResult patch(String jsonPatch, Integer ifMatch) {
        return repository.inTransaction(s -> s.patch("Patient", id, jsonPatch, ifMatch));
    }

    private void assertRefused(String jsonPatch, Integer ifMatch, int status) {
        FhirException refused = catchThrowableOfType(FhirException.class, () -> patch(jsonPatch, ifMatch));
        assertThat(refused).as("refusal of %s", jsonPatch).isNotNull();
        assertThat(refused.status()).isEqualTo(status);
        assertThat(db.count("select count(*) from fhir_resource_version")).isEqualTo(1);
        assertThat(repository.read("Patient", id).version()).isEqualTo(1);
    }
}
