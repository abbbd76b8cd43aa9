package org.charnwood.app.terminology;

import io.micrometer.core.instrument.MeterRegistry;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.terminology.snomed.Sctid;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Codes are held to the served releases on write (binding {@code refuse}, the default): inactive and malformed
 * SNOMED CT codes are refused with their FHIRPath; codes the partial sample release cannot judge, and replaced
 * dm+d codes, are accepted with warnings.
 */
class TerminologyBindingIntegrationTests extends CharnwoodIntegrationTest {

    static final String SCT = "http://snomed.info/sct";
    static final String DMD = "https://dmd.nhs.uk";

    @Autowired
    MeterRegistry meters;

    private String patient;

    @BeforeEach
    void createPatient() {
        Response r = http.postJson("/fhir/Patient", new Patient().setActive(true));
        assertThat(r.status()).isEqualTo(201);
        patient = "Patient/" + r.resource(Patient.class).getIdElement().getIdPart();
    }

    static Condition condition(String patient, String system, String code) {
        Condition c = new Condition();
        c.setSubject(new Reference(patient));
        c.setCode(new CodeableConcept(new Coding(system, code, null)));
        return c;
    }

    static OperationOutcome.OperationOutcomeIssueComponent issue(Response r, String errorCode) {
        return r.resource(OperationOutcome.class).getIssue().stream()
                .filter(i -> errorCode.equals(i.getDetails().getCodingFirstRep().getCode())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + errorCode + " in " + r.body()));
    }

    @Test
    void refusesAnInactiveConceptNamingItsReplacement() {
        Response r = http.postJson("/fhir/Condition", condition(patient, SCT,
                TerminologyOperationsIntegrationTests.HEART_DELTA_INACTIVE));
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        OperationOutcome.OperationOutcomeIssueComponent issue = issue(r, "CHARNWOOD-3150");
        assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
        assertThat(issue.getDiagnostics()).contains(TerminologyOperationsIntegrationTests.HEART_ALPHA);
        assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Condition.code.coding[0].code");
        assertThat(http.get("/fhir/Condition?_summary=count").bundle().getTotal()).isZero();
    }

    @Test
    void refusesAMalformedSnomedCode() {
        Response r = http.postJson("/fhir/Condition", condition(patient, SCT, "heart attack"));
        assertThat(r.status()).isEqualTo(422);
        issue(r, "CHARNWOOD-3152");
    }

    @Test
    void refusesIdsNoReleaseCouldHoldAsConceptsRatherThanWarningAboutThem() {
        String partition99 = "99999999999" + Sctid.checkDigit(99_999_999_999L);
        String description = Long.toString(Sctid.of(1234567, 0, Sctid.Partition.DESCRIPTION));
        for (String[] code : new String[][] {{"1234567890101", "check digit"}, {partition99, "partition"},
                {description, "description id"}}) {
            Response r = http.postJson("/fhir/Condition", condition(patient, SCT, code[0]),
                    "Prefer", "return=OperationOutcome");
            assertThat(r.status()).as(code[0]).isEqualTo(422);
            OperationOutcome.OperationOutcomeIssueComponent issue = issue(r, "CHARNWOOD-3152");
            assertThat(issue.getDiagnostics()).as(code[0]).contains(code[1]);
            assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Condition.code.coding[0].code");
        }
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setSubject(new Reference(patient));
        request.setMedication(new CodeableConcept(new Coding(DMD, "39720311000001102", null)));
        Response product = http.postJson("/fhir/MedicationRequest", request);
        assertThat(product.status()).as(product.body()).isEqualTo(422);
        issue(product, "CHARNWOOD-3153");
        assertThat(http.get("/fhir/Condition?_summary=count").bundle().getTotal()).isZero();
    }

    @Test
    void acceptsActiveConceptsSilently() {
        Response r = http.postJson("/fhir/Condition", condition(patient, SCT,
                TerminologyOperationsIntegrationTests.HEART_ALPHA), "Prefer", "return=OperationOutcome");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.resource(OperationOutcome.class).getIssue())
                .noneMatch(i -> i.getSeverity() == IssueSeverity.WARNING);
    }

    @Test
    void warnsAboutCodesThePartialReleaseCannotJudge() {
        double before = meters.counter("charnwood.terminology.binding.warnings").count();
        Response r = http.postJson("/fhir/Condition", condition(patient, SCT, "22298006"),
                "Prefer", "return=OperationOutcome");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        OperationOutcome.OperationOutcomeIssueComponent issue = issue(r, "CHARNWOOD-3155");
        assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.WARNING);
        assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Condition.code.coding[0].code");
        assertThat(meters.counter("charnwood.terminology.binding.warnings").count()).isGreaterThan(before);
    }

    @Test
    void acceptsAReplacedDmdCodeWithAWarningNamingTheCurrentOne() {
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setSubject(new Reference(patient));
        request.setMedication(new CodeableConcept(new Coding(DMD, "354303007", null)));
        Response r = http.postJson("/fhir/MedicationRequest", request, "Prefer", "return=OperationOutcome");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        OperationOutcome.OperationOutcomeIssueComponent issue = issue(r, "CHARNWOOD-3154");
        assertThat(issue.getDiagnostics()).contains("34186711000001102");
        assertThat(issue.getExpression().get(0).getValue())
                .isEqualTo("MedicationRequest.medicationCodeableConcept.coding[0].code");
    }

    @Test
    void refusesAMalformedDmdCode() {
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setSubject(new Reference(patient));
        request.setMedication(new CodeableConcept(new Coding(DMD, "paracetamol", null)));
        Response r = http.postJson("/fhir/MedicationRequest", request);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        issue(r, "CHARNWOOD-3153");
    }

    @Test
    void warnsAboutDmdCodesTheSampleDoesNotHold() {
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setSubject(new Reference(patient));
        request.setMedication(new CodeableConcept(new Coding(DMD, "39720311000001101", null)));
        Response r = http.postJson("/fhir/MedicationRequest", request, "Prefer", "return=OperationOutcome");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(issue(r, "CHARNWOOD-3155").getDiagnostics()).contains("dm+d");
    }
}
