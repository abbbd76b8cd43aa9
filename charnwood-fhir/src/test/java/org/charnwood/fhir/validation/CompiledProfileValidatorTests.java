package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.fhir.validation.BaseR4ValidatorTests.errors;
import static org.charnwood.fhir.validation.BaseR4ValidatorTests.expressions;

class CompiledProfileValidatorTests {
    private static final Logger log = LoggerFactory.getLogger(CompiledProfileValidatorTests.class);
    private static final String UK = "https://fhir.hl7.org.uk/StructureDefinition/";
    private static final String R4 = "http://hl7.org/fhir/StructureDefinition/";
    /** What the generated demo data claims besides UK Core. */
    private static final List<String> VITAL_SIGNS = List.of("vitalsigns", "bodyweight", "heartrate", "bp", "bodytemp",
            "resprate", "oxygensat");
    private static final String FALLBACK_PACKAGE = "classpath:fhir-packages/charnwood.test.fallback-0.1.0.tgz";
    private static final String FALLBACK_PROFILE = "https://fhir.charnwood.example/StructureDefinition/TestPatient-SlicedByProfile";

    private final CompiledProfileValidator validator = CompiledProfileValidator.ukCore();
    private final ResourceParser parser = new ResourceParser();

    @Test
    void compilesEveryUkCoreProfileAndTheVitalSignsProfilesWithoutFallingBackToHapi() {
        validator.warmUp();
        for (String profile : VITAL_SIGNS) {
            assertThat(validator.knows(R4 + profile)).isTrue();
        }

        Map<String, List<String>> fallbacks = validator.fallbacks();

        log.info("Profiles checked by HAPI instead of compiled rules: {}", fallbacks.isEmpty() ? "none" : fallbacks);
        assertThat(fallbacks).isEmpty();
    }

    @Test
    void listsAProfileItCannotCompileAndLeavesThatProfileToHapi() {
        CompiledProfileValidator withTestPackage = new CompiledProfileValidator(
                List.of(ProfileValidator.UK_CORE_PACKAGE, FALLBACK_PACKAGE));
        Resource withoutPractitioner = parse("""
                {"resourceType": "Patient", "meta": {"profile": ["%s"]}, "name": [{"family": "Smith"}]}
                """.formatted(FALLBACK_PROFILE));
        Resource withPractitioner = parse("""
                {"resourceType": "Patient", "meta": {"profile": ["%s"]}, "name": [{"family": "Smith"}],
                 "generalPractitioner": [{"reference": "Organization/gp-c82916"}]}
                """.formatted(FALLBACK_PROFILE));

        List<OperationOutcomeIssueComponent> refused = errors(withTestPackage.validate(withoutPractitioner, List.of()));
        List<OperationOutcomeIssueComponent> accepted = errors(withTestPackage.validate(withPractitioner, List.of()));

        assertThat(withTestPackage.fallbacks()).containsOnlyKeys(FALLBACK_PROFILE);
        assertThat(withTestPackage.fallbacks().get(FALLBACK_PROFILE)).singleElement().asString().contains("profile");
        assertThat(refused).singleElement().satisfies(issue -> {
            assertThat(issue.getDiagnostics()).contains("generalPractitioner");
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.PROFILE_NOT_MET.code());
        });
        assertThat(accepted).isEmpty();
    }

    @Test
    void reportsHapisFindingsOnAFallbackProfileAtThePathOfTheBundleEntry() {
        CompiledProfileValidator withTestPackage = new CompiledProfileValidator(
                List.of(ProfileValidator.UK_CORE_PACKAGE, FALLBACK_PACKAGE));
        Resource bundle = parse("""
                {"resourceType": "Bundle", "type": "collection", "entry": [{
                  "fullUrl": "urn:uuid:2a3e4bc5-1d4c-4d8f-9c61-3f1f1b2b9a01",
                  "resource": {"resourceType": "Patient", "meta": {"profile": ["%s"]}, "name": [{"family": "Smith"}]}}]}
                """.formatted(FALLBACK_PROFILE));

        List<OperationOutcomeIssueComponent> errors = errors(withTestPackage.validate(bundle, List.of()));

        assertThat(expressions(errors)).isNotEmpty().allSatisfy(expression ->
                assertThat(expression).startsWith("Bundle.entry[0].resource"));
    }

    @Test
    void refusesABodyWeightWhoseValueIsNotAQuantity() {
        Resource observation = vitalSign("bodyweight", "29463-7", "\"valueString\": \"62 kg\"");

        assertThat(messages(observation)).anySatisfy(message -> assertThat(message).contains("CLOSED"));
    }

    @Test
    void refusesABodyWeightInAUnitOutsideItsRequiredValueSet() {
        Resource observation = vitalSign("bodyweight", "29463-7", """
                "valueQuantity": {"value": 62, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}""");

        assertThat(messages(observation)).anySatisfy(message -> assertThat(message).contains("ucum-bodyweight"));
    }

    @Test
    void acceptsABodyWeightInPounds() {
        Resource observation = vitalSign("bodyweight", "29463-7", """
                "valueQuantity": {"value": 137, "unit": "lb", "system": "http://unitsofmeasure.org", "code": "[lb_av]"}""");

        assertThat(errors(validator.validate(observation, List.of()))).isEmpty();
    }

    @Test
    void refusesABloodPressureWithoutADiastolicComponent() {
        Resource observation = vitalSign("bp", "85354-9", """
                "component": [{"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                  "valueQuantity": {"value": 114, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}]""");

        assertThat(messages(observation)).anySatisfy(message -> assertThat(message).contains("DiastolicBP"));
    }

    @Test
    void refusesAUnitThatIsNotUcum() {
        Resource observation = parse("""
                {"resourceType": "Observation", "meta": {"profile": ["%sUKCore-Observation"]}, "status": "final",
                 "code": {"text": "Weight"}, "subject": {"reference": "Patient/1"},
                 "valueQuantity": {"value": 1, "system": "http://unitsofmeasure.org", "code": "kgg"}}
                """.formatted(UK));

        assertThat(errors(validator.validate(observation, List.of()))).singleElement().satisfies(issue ->
                assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Observation.value.ofType(Quantity)"));
    }

    @Test
    void refusesAnExtensionWhereItsDefinitionDoesNotAllowIt() {
        Resource encounter = encounter("""
                "extension": [{"url": "%sExtension-UKCore-AdmissionMethod", "valueCodeableConcept": {"coding": [
                  {"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland", "code": "11"}]}}]"""
                .formatted(UK));

        assertThat(messages(encounter)).singleElement().asString().contains("not allowed to be used at this point");
    }

    @Test
    void acceptsAnExtensionWhereItsDefinitionAllowsIt() {
        Resource encounter = encounter("""
                "hospitalization": {"extension": [{"url": "%sExtension-UKCore-AdmissionMethod", "valueCodeableConcept": {
                  "coding": [{"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland", "code": "11"}]}}]}"""
                .formatted(UK));

        assertThat(errors(validator.validate(encounter, List.of()))).isEmpty();
    }

    @Test
    void refusesARegularExtensionUsedAsAModifier() {
        Resource patient = patient("""
                "modifierExtension": [{"url": "%sExtension-UKCore-BirthSex", "valueCodeableConcept": {"coding": [
                  {"system": "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender", "code": "F"}]}}]"""
                .formatted(UK));

        assertThat(messages(patient)).singleElement().asString().contains("modifierExtension");
    }

    @Test
    void refusesASubExtensionTheExtensionDoesNotDefine() {
        Resource encounter = encounter("""
                "extension": [{"url": "%sExtension-UKCore-LegalStatus", "extension": [
                  {"url": "legalStatusContext", "valueCodeableConcept": {"coding": [
                    {"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-LegalStatusContext", "code": "admission"}]}},
                  {"url": "legalStatusClassification", "valueCodeableConcept": {"coding": [
                    {"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-LegalStatusClassificationEngland", "code": "01"}]}},
                  {"url": "section", "valueString": "2"}]}]""".formatted(UK));

        assertThat(messages(encounter)).singleElement().asString().contains("Sub-extension url 'section'");
    }

    @Test
    void refusesAReferenceToATypeTheProfileDoesNotAllowEvenToAContainedResource() {
        Resource observation = parse("""
                {"resourceType": "Observation", "meta": {"profile": ["%sUKCore-Observation-Lab"]},
                 "contained": [{"resourceType": "Group", "id": "g", "type": "person", "actual": true}],
                 "status": "final", "category": [{"coding": [
                   {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}],
                 "code": {"text": "Haemoglobin"}, "subject": {"reference": "#g"}, "valueString": "normal"}
                """.formatted(UK));

        assertThat(errors(validator.validate(observation, List.of()))).singleElement().satisfies(issue -> {
            assertThat(issue.getDiagnostics()).contains("Group");
            assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Observation.subject");
        });
    }

    @Test
    void refusesAValueOtherThanTheOneTheSliceFixes() {
        Resource observation = parse("""
                {"resourceType": "Observation", "meta": {"profile": ["%sUKCore-Observation-Lab"]},
                 "status": "final", "category": [{"coding": [
                   {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"},
                   {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                 "code": {"text": "Haemoglobin"}, "subject": {"reference": "Patient/1"}, "valueString": "normal"}
                """.formatted(UK));

        assertThat(errors(validator.validate(observation, List.of()))).singleElement().satisfies(issue ->
                assertThat(issue.getExpression()).extracting(StringType::getValue)
                        .containsExactly("Observation.category[0].coding[1].code"));
    }

    @Test
    void checksResourcesInABundleAgainstTheProfilesTheyClaim() {
        Resource bundle = parse("""
                {"resourceType": "Bundle", "type": "collection", "entry": [{
                  "fullUrl": "urn:uuid:2a3e4bc5-1d4c-4d8f-9c61-3f1f1b2b9a02",
                  "resource": {"resourceType": "MedicationRequest", "meta": {"profile": ["%sUKCore-MedicationRequest"]},
                    "status": "active", "intent": "order", "medicationCodeableConcept": {"text": "Sertraline 50mg tablets"},
                    "subject": {"reference": "Patient/1"}}}]}
                """.formatted(UK));

        assertThat(errors(validator.validate(bundle, List.of()))).singleElement().satisfies(issue -> {
            assertThat(issue.getDiagnostics()).contains("MedicationRequest.substitution");
            assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Bundle.entry[0].resource");
        });
    }

    @Test
    void checksAContainedResourceAgainstTheProfileItClaims() {
        Resource patient = patient("""
                "contained": [{"resourceType": "Organization", "id": "gp", "meta": {"profile": ["%sUKCore-Organization"]},
                  "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code",
                    "extension": [{"url": "http://example.org/note", "valueString": "code to follow"}]}],
                  "name": "Enderby Medical Practice"}],
                "generalPractitioner": [{"reference": "#gp"}]""".formatted(UK));

        assertThat(messages(patient)).singleElement().asString().contains("odsOrganisationCode.value");
    }

    @Test
    void evaluatesTheInvariantsAProfileAdds() {
        Resource immunization = parse("""
                {"resourceType": "Immunization", "meta": {"profile": ["%sUKCore-Immunization"]}, "status": "not-done",
                 "vaccineCode": {"text": "Influenza vaccine"}, "patient": {"reference": "Patient/1"},
                 "occurrenceDateTime": "2024-10-01"}
                """.formatted(UK));

        assertThat(messages(immunization)).singleElement().asString().contains("ukcore-imm-001");
    }

    @Test
    void appliesARequiredProfileTheResourceDoesNotClaim() {
        Resource request = parse("""
                {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                 "medicationCodeableConcept": {"text": "Sertraline 50mg tablets"}, "subject": {"reference": "Patient/1"}}
                """);

        assertThat(errors(validator.validate(request, List.of()))).isEmpty();
        assertThat(errors(validator.validate(request, List.of(UK + "UKCore-MedicationRequest")))).isNotEmpty();
    }

    @Test
    void refusesAProfileClaimedForAnotherResourceType() {
        Resource observation = parse("""
                {"resourceType": "Observation", "meta": {"profile": ["%sUKCore-Patient"]}, "status": "final",
                 "code": {"text": "Weight"}}
                """.formatted(UK));

        assertThat(errors(validator.validate(observation, List.of()))).singleElement().satisfies(issue ->
                assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Observation.meta.profile[0]"));
    }

    @Test
    void onlyWarnsAboutAnUnknownCodeInAConceptThatAlsoHasACodingItCannotCheck() {
        Resource observation = parse("""
                {"resourceType": "Observation", "meta": {"profile": ["%sUKCore-Observation"]}, "status": "final",
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "27113001"},
                   {"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-PracticeSettingCode", "code": "27113001"}]},
                 "subject": {"reference": "Patient/1"}}
                """.formatted(UK));

        List<OperationOutcomeIssueComponent> issues = validator.validate(observation, List.of());

        assertThat(errors(issues)).isEmpty();
        assertThat(issues).anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("Unknown code"));
    }

    private List<String> messages(Resource resource) {
        return errors(validator.validate(resource, List.of())).stream().map(OperationOutcomeIssueComponent::getDiagnostics).toList();
    }

    private Resource vitalSign(String profile, String loinc, String rest) {
        return parse("""
                {"resourceType": "Observation", "meta": {"profile": ["%sUKCore-Observation", "%svitalsigns", "%s%s"]},
                 "status": "final", "category": [{"coding": [
                   {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "%s"}]},
                 "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2025-03-17T08:05:00+00:00", %s}
                """.formatted(UK, R4, R4, profile, loinc, rest));
    }

    private Resource encounter(String rest) {
        return parse("""
                {"resourceType": "Encounter", "meta": {"profile": ["%sUKCore-Encounter"]}, "status": "finished",
                 "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
                 "subject": {"reference": "Patient/1"}, %s}
                """.formatted(UK, rest));
    }

    private Resource patient(String rest) {
        return parse("""
                {"resourceType": "Patient", "meta": {"profile": ["%sUKCore-Patient"]},
                 "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}],
                 "name": [{"family": "Smith", "given": ["Jane"]}], %s}
                """.formatted(UK, rest));
    }

    private Resource parse(String json) {
        return parser.parse(json, FhirFormat.JSON);
    }
}
