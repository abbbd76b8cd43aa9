package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BaseR4ValidatorTests {
    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    private final BaseR4Validator validator = new BaseR4Validator();
    private final ResourceParser parser = new ResourceParser();

    @ParameterizedTest
    @ValueSource(strings = {"Patient", "Observation", "Encounter", "Condition"})
    void acceptsTypicalSyntheaResources(String type) throws IOException {
        Resource resource = parser.parse(read("/validation/synthea/" + type + ".json"), FhirFormat.JSON);

        assertThat(errors(validator.validate(resource))).isEmpty();
    }

    @Test
    void everyIssueCarriesSeverityCodeDiagnosticsExpressionAndErrorCode() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);

        OperationOutcomeIssueComponent issue = validator.validate(observation).get(0);

        assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
        assertThat(issue.getCode()).isEqualTo(IssueType.REQUIRED);
        assertThat(issue.getDiagnostics()).contains("Observation.code: minimum required = 1");
        assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Observation.code");
        assertThat(issue.getDetails().getCodingFirstRep().getSystem()).isEqualTo(ErrorCode.SYSTEM);
        assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.INVALID_RESOURCE.code());
    }

    @Test
    void pointsAtTheRepeatedElementByIndex() {
        Patient patient = new Patient();
        patient.addName().setFamily("Smith").addGiven("Jane").addGiven("Ann\u0007e");

        assertThat(expressions(validator.validate(patient))).containsExactly("Patient.name[0].given[1]");
    }

    @Test
    void refusesADateTimeWithATimeButNoTimeZone() {
        Observation observation = observation();
        observation.setEffective(new DateTimeType("2024-03-01T10:00:00"));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(observation));

        assertThat(expressions(errors)).containsExactly("Observation.effective.ofType(dateTime)");
        assertThat(errors.get(0).getDiagnostics()).contains("time zone");
    }

    @Test
    void refusesACodeWithRepeatedSpaces() {
        Questionnaire questionnaire = questionnaire();
        questionnaire.getSubjectType().add(new CodeType("Pat  ient"));

        assertThat(expressions(errors(validator.validate(questionnaire)))).contains("Questionnaire.subjectType[0]");
    }

    @Test
    void refusesACodeOutsideARequiredValueSet() {
        Questionnaire questionnaire = questionnaire();
        questionnaire.getSubjectType().add(new CodeType("Patient"));
        questionnaire.getSubjectType().add(new CodeType("Patientish"));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(questionnaire));

        assertThat(expressions(errors)).containsExactly("Questionnaire.subjectType[1]");
        assertThat(errors.get(0).getDiagnostics()).contains("resource-types");
    }

    @Test
    void refusesACodeableConceptWithNoCodeFromARequiredValueSet() {
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.setPatient(new Reference("Patient/1"));
        allergy.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "maybe", null)));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(allergy));

        assertThat(expressions(errors)).containsExactly("AllergyIntolerance.clinicalStatus");
    }

    @Test
    void refusesAPeriodThatEndsBeforeItStarts() {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HH", "home health"));
        encounter.setPeriod(new Period().setStartElement(new DateTimeType("2024-03-02T10:00:00Z"))
                .setEndElement(new DateTimeType("2024-03-01T10:00:00Z")));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(encounter));

        assertThat(expressions(errors)).containsExactly("Encounter.period");
        assertThat(errors.get(0).getDiagnostics()).contains("per-1");
    }

    @Test
    void refusesAReferenceToAResourceTypeTheElementDoesNotAllow() {
        Observation observation = observation();
        observation.setSubject(new Reference("Practitioner/123"));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(observation));

        assertThat(expressions(errors)).containsExactly("Observation.subject.reference");
        assertThat(errors.get(0).getDiagnostics()).contains("Practitioner").contains("Patient");
    }

    @Test
    void refusesAContainedResourceNothingRefersTo() {
        Observation observation = observation();
        Patient contained = new Patient();
        contained.setId("p1");
        observation.addContained(contained);

        assertThat(errors(validator.validate(observation))).singleElement()
                .satisfies(issue -> assertThat(issue.getDiagnostics()).contains("dom-3"));
    }

    @Test
    void acceptsAContainedResourceThatCodeRefersToByObject() {
        Observation observation = observation();
        Patient contained = new Patient();
        contained.setId("p1");
        observation.addContained(contained);
        observation.setSubject(new Reference(contained));

        assertThat(errors(validator.validate(observation))).isEmpty();
    }

    @Test
    void refusesAnExtensionWithNeitherValueNorExtensions() {
        Patient patient = new Patient();
        Extension empty = new Extension("http://example.org/empty");
        empty.setId("x1");
        patient.addExtension(empty);

        assertThat(expressions(errors(validator.validate(patient)))).containsExactly("Patient.extension[0]");
    }

    @Test
    void refusesTheWrongValueTypeForAnExtensionR4Defines() {
        Patient patient = new Patient();
        patient.addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                new StringType("ten past four")));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(patient));

        assertThat(expressions(errors)).containsExactly("Patient.extension[0]");
        assertThat(errors.get(0).getDiagnostics()).contains("dateTime").contains("string");
    }

    @Test
    void refusesScriptsInNarrative() {
        Patient patient = new Patient();
        XhtmlNode div = new XhtmlNode();
        div.setValueAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Hello<script>alert(1)</script></div>");
        patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(patient));

        assertThat(expressions(errors)).containsExactly("Patient.text.div");
        assertThat(errors.get(0).getDiagnostics()).contains("txt-1").contains("script");
    }

    @Test
    void refusesStylesThatRunScriptInNarrative() {
        for (String style : List.of("background:url(javascript:alert(1))", "background: URL( 'JavaScript:alert(1)' )",
                "width:expression(alert(1))", "width:exp/* */ression(alert(1))",
                "background:url(\\6a avascript:alert(1))", "background:url(java\\9 script:alert(1))",
                "behavior:url(x.htc)", "-moz-binding:url(x.xml#xss)", "background:url(vbscript:msgbox(1))")) {
            Patient patient = new Patient();
            XhtmlNode div = new XhtmlNode();
            div.setValueAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p style=\""
                    + style.replace("'", "&apos;") + "\">Hello</p></div>");
            patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div));

            List<OperationOutcomeIssueComponent> errors = errors(validator.validate(patient));

            assertThat(expressions(errors)).as(style).containsExactly("Patient.text.div");
            assertThat(errors.get(0).getDiagnostics()).contains("txt-1").contains("style").contains("script");
        }
    }

    @Test
    void acceptsPlainStylesInNarrative() {
        Patient patient = new Patient();
        XhtmlNode div = new XhtmlNode();
        div.setValueAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p style=\"color: red; font-weight: bold;"
                + " background: url(#chart) no-repeat\">Hello</p></div>");
        patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div));

        assertThat(errors(validator.validate(patient))).isEmpty();
    }

    @Test
    void refusesNarrativeOutsideTheXhtmlNamespace() {
        Patient patient = new Patient();
        XhtmlNode div = new XhtmlNode();
        div.setValueAsString("<div xmlns=\"http://hl7.org/fhir\">plain</div>");
        patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div));
        Patient fine = new Patient();
        XhtmlNode xhtml = new XhtmlNode();
        xhtml.setValueAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">plain</div>");
        fine.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(xhtml));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(patient));

        assertThat(expressions(errors)).containsExactly("Patient.text.div");
        assertThat(errors.get(0).getDiagnostics()).contains("txt-1").contains("http://www.w3.org/1999/xhtml");
        assertThat(errors(validator.validate(fine))).isEmpty();
    }

    @Test
    void refusesAnInvalidNhsNumberOnAPatient() {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("https://example.org/mrn").setValue("A1"));
        patient.addIdentifier(new Identifier().setSystem(NHS).setValue("9990000017"));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(patient));

        assertThat(errors).singleElement().satisfies(issue -> {
            assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Patient.identifier[1].value");
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.INVALID_NHS_NUMBER.code());
            assertThat(issue.getDiagnostics()).contains("9990000017").contains("check digit");
        });
    }

    @Test
    void acceptsAValidNhsNumber() {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(NHS).setValue("9990000018"));

        assertThat(validator.validate(patient)).isEmpty();
    }

    @Test
    void refusesAnNhsNumberWithoutAValue() {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(NHS));

        assertThat(errors(validator.validate(patient))).singleElement().satisfies(issue ->
                assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.INVALID_NHS_NUMBER.code()));
    }

    @Test
    void refusesAnInvalidNhsNumberInAReferenceIdentifierOfAnyResource() {
        Observation observation = observation();
        observation.setSubject(new Reference().setIdentifier(new Identifier().setSystem(NHS).setValue("9991234561")));

        List<OperationOutcomeIssueComponent> errors = errors(validator.validate(observation));

        assertThat(expressions(errors)).containsExactly("Observation.subject.identifier.value");
        assertThat(errors.get(0).getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.INVALID_NHS_NUMBER.code());
    }

    @Test
    void refusesAnInvalidNhsNumberInsideABundleEntryAndAnExtension() {
        Patient patient = new Patient();
        patient.addExtension(new Extension("https://example.org/previous-nhs-number",
                new Identifier().setSystem(NHS).setValue("999000001")));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setFullUrl("urn:uuid:2b3c0f86-8e3a-4c1f-9d5e-2d0c5f0a9e11").setResource(patient);

        assertThat(expressions(errors(validator.validate(bundle))))
                .containsExactly("Bundle.entry[0].resource.extension[0].value.ofType(Identifier).value");
    }

    @Test
    void refusesAnInvalidNhsNumberInAContainedResource() {
        Observation observation = observation();
        Patient patient = new Patient();
        patient.setId("subject");
        patient.addIdentifier(new Identifier().setSystem(NHS).setValue("1234567890"));
        observation.addContained(patient);
        observation.setSubject(new Reference("#subject"));

        assertThat(expressions(errors(validator.validate(observation))))
                .containsExactly("Observation.contained[0].identifier[0].value");
    }

    private static Observation observation() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        return observation;
    }

    private static Questionnaire questionnaire() {
        Questionnaire questionnaire = new Questionnaire();
        questionnaire.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.DRAFT);
        return questionnaire;
    }

    static List<OperationOutcomeIssueComponent> errors(List<OperationOutcomeIssueComponent> issues) {
        return issues.stream()
                .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)
                .toList();
    }

    static List<String> expressions(List<OperationOutcomeIssueComponent> issues) {
        return issues.stream().flatMap(i -> i.getExpression().stream()).map(StringType::getValue).toList();
    }

    static String read(String resource) throws IOException {
        try (InputStream in = BaseR4ValidatorTests.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("No test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
