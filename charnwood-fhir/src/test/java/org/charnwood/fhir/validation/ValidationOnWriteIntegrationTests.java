package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.testing.TestRepositories;
import org.charnwood.fhir.testing.TestDatabase;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationOnWriteIntegrationTests {
    private static final RepositoryValidator VALIDATOR = new RepositoryValidator(ValidationSettings.defaults());

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;

    @BeforeEach
    void setUp() {
        db.reset();
        repository = TestRepositories.with(VALIDATOR);
    }

    @Test
    void storesAValidPatient() {
        WriteResult created = repository.inTransaction(s -> s.create(patient("9990000018")));

        assertThat(repository.read("Patient", created.id()).json()).contains("9990000018");
    }

    @Test
    void refusesAPatientWithAnInvalidNhsNumberWith422AndStoresNothing() {
        assertThatThrownBy(() -> repository.inTransaction(s -> s.create(patient("9990000017"))))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                            .isEqualTo(ErrorCode.INVALID_NHS_NUMBER.code());
                    assertThat(e.outcome().getIssueFirstRep().getExpression()).extracting(StringType::getValue)
                            .containsExactly("Patient.identifier[0].value");
                });
        assertThat(db.count("select count(*) from fhir_resource_version")).isZero();
    }

    private static Patient patient(String nhsNumber) {
        Patient patient = new Patient();
        patient.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient");
        patient.addIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber));
        patient.addName().setFamily("Smith").addGiven("Jane");
        return patient;
    }
}
