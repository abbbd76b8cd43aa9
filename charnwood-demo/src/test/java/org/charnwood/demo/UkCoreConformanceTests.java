package org.charnwood.demo;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validates generated resources against the profiles they claim (UK Core 2.0.2 and base R4 vital signs) with
 * HAPI's instance validator. There is no terminology server here, so findings that only say a SNOMED CT,
 * dm+d or LOINC code could not be checked are set aside; every structural or binding error fails the test.
 */
class UkCoreConformanceTests {

    private static FhirValidator validator;

    @BeforeAll
    static void loadUkCore() throws Exception {
        var context = FhirContexts.r4();
        NpmPackageValidationSupport ukCore = new NpmPackageValidationSupport(context);
        ukCore.loadPackageFromClasspath("classpath:uk-core/fhir.r4.ukcore.stu2-2.0.2.tgz");
        ValidationSupportChain chain = new ValidationSupportChain(
                ukCore,
                new DefaultProfileValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        instanceValidator.setNoTerminologyChecks(false);
        validator = context.newValidator().registerValidatorModule(instanceValidator);
    }

    @Test
    void generatedPatientsMeetTheProfilesTheyClaim() {
        PopulationGenerator generator = new PopulationGenerator(new TrustShapeGenerator().generate(),
                PopulationSpec.of(0, 8));
        List<Resource> sample = generator.patients(30, ReferenceStyle.LITERAL)
                .flatMap(r -> r.resources().stream()).toList();
        assertThat(problems(sample.stream())).isEmpty();
    }

    @Test
    void trustDirectoryMeetsTheProfilesItClaims() {
        assertThat(problems(new TrustShapeGenerator().generate().resources().stream())).isEmpty();
    }

    @Test
    void wouldNoticeAResourceThatBreaksItsProfile() {
        org.hl7.fhir.r4.model.MedicationRequest request = new org.hl7.fhir.r4.model.MedicationRequest();
        request.getMeta().addProfile(UkCore.MEDICATION_REQUEST);
        request.setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(new org.hl7.fhir.r4.model.CodeableConcept().setText("Something"));
        request.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/x"));
        // UK Core requires MedicationRequest.substitution, which is missing here.
        assertThat(problems(Stream.of(request))).anySatisfy(p -> assertThat(p).contains("substitution"));
    }

    private static List<String> problems(Stream<Resource> resources) {
        List<String> problems = new ArrayList<>();
        resources.forEach(resource -> {
            ValidationResult result = validator.validateWithResult(resource);
            for (SingleValidationMessage message : result.getMessages()) {
                if (message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()
                        && !terminologyOnly(message.getMessage())) {
                    problems.add(resource.fhirType() + " " + message.getLocationString() + ": " + message.getMessage());
                }
            }
        });
        return problems.stream().distinct().toList();
    }

    /** Messages that only mean "no terminology server knows this code system here". */
    private static boolean terminologyOnly(String message) {
        return message.contains("http://snomed.info/sct") || message.contains("https://dmd.nhs.uk")
                || message.contains("http://loinc.org") || message.contains("Unknown code system")
                || message.contains("unknown code system") || message.contains("could not be validated");
    }
}
