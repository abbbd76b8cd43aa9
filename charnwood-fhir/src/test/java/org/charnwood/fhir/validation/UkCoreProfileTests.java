package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.charnwood.fhir.validation.BaseR4ValidatorTests.errors;
import static org.charnwood.fhir.validation.BaseR4ValidatorTests.expressions;

class UkCoreProfileTests {
    private static final String PROFILES = UkCoreExamples.PROFILES;
    private static final String UK_CORE_PATIENT = PROFILES + "UKCore-Patient";
    private static final String ETHNIC_CATEGORY = PROFILES + "Extension-UKCore-EthnicCategory";
    private static final String BIRTH_SEX = PROFILES + "Extension-UKCore-BirthSex";
    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    /** Examples published in UK Core 2.0.2 that are wrong, and what is wrong with them. */
    private static final Map<String, ErrorCode> KNOWN_BAD_EXAMPLES = Map.of(
            // Its NHS number 9912003890 fails the Modulus 11 check (the check digit would be 6).
            "Patient-UKCore-Patient-BabyPatient-Example.json", ErrorCode.INVALID_NHS_NUMBER);

    /** The compiled rules (what every write uses) and HAPI's instance validator (deep mode) must both pass these. */
    private static final ProfileConformance COMPILED = CompiledProfileValidator.ukCore();
    private static final ProfileConformance DEEP = ProfileValidator.ukCore();
    private final ResourceParser parser = new ResourceParser();

    static List<String> examples() {
        return UkCoreExamples.names();
    }

    static Stream<Named<ProfileConformance>> modes() {
        return Stream.of(Named.of("compiled", COMPILED), Named.of("deep", DEEP));
    }

    static Stream<Arguments> examplesInEachMode() {
        return modes().flatMap(mode -> examples().stream().map(example -> Arguments.of(mode, example)));
    }

    private static RepositoryValidator validator(ProfileConformance profiles) {
        return new RepositoryValidator(ValidationSettings.defaults(), new BaseR4Validator(), profiles);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examplesInEachMode")
    void everyUkCoreExampleValidatesAgainstItsProfile(ProfileConformance profiles, String example) {
        String profile = UkCoreExamples.profileFor(UkCoreExamples.json(example));
        // The examples do not claim their profile in meta.profile; each is named for the one it shows.
        // UK Core has no profile for a few types (Bundle, BodyStructure): those get base R4 only.
        String body = profiles.knows(profile) ? UkCoreExamples.claiming(example, profile)
                : UkCoreExamples.json(example).toString();
        Resource resource = parser.parse(body, FhirFormat.JSON);

        List<OperationOutcomeIssueComponent> errors = errors(validator(profiles).validate(resource));

        if (KNOWN_BAD_EXAMPLES.containsKey(example)) {
            assertThat(errors).isNotEmpty().allSatisfy(issue -> assertThat(issue.getDetails().getCodingFirstRep().getCode())
                    .isEqualTo(KNOWN_BAD_EXAMPLES.get(example).code()));
        } else {
            assertThat(errors).as(describe(errors)).isEmpty();
        }
    }

    @Test
    void theUkCorePackageHoldsAllItsExamples() {
        assertThat(examples()).hasSize(140);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void refusesAUkCorePatientWithAnInvalidNhsNumber(ProfileConformance profiles) {
        Patient patient = ukCorePatient();
        patient.getIdentifierFirstRep().setValue("9990000017");

        List<OperationOutcomeIssueComponent> errors = errors(validator(profiles).validate(patient));

        assertThat(errors).singleElement().satisfies(issue -> {
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.INVALID_NHS_NUMBER.code());
            assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Patient.identifier[0].value");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void refusesAUkCorePatientWithTwoEthnicCategories(ProfileConformance profiles) {
        Patient patient = ukCorePatient();
        patient.addExtension(ethnicCategory("A"));
        patient.addExtension(ethnicCategory("B"));

        List<OperationOutcomeIssueComponent> errors = errors(validator(profiles).validate(patient));

        assertThat(errors).isNotEmpty().allSatisfy(issue ->
                assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.PROFILE_NOT_MET.code()));
        assertThat(describe(errors)).contains("ethnicCategory");
        assertThat(expressions(errors)).allSatisfy(expression -> assertThat(expression).startsWith("Patient"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void refusesACodeThatAUkCoreCodeSystemDoesNotDefine(ProfileConformance profiles) {
        Patient patient = ukCorePatient();
        patient.addExtension(ethnicCategory("QQ"));

        List<OperationOutcomeIssueComponent> errors = errors(validator(profiles).validate(patient));

        assertThat(describe(errors)).contains("QQ");
        assertThat(expressions(errors)).anySatisfy(expression -> assertThat(expression).startsWith("Patient.extension[0]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void refusesAUkCoreExtensionWithTheWrongValueType(ProfileConformance profiles) {
        Patient patient = ukCorePatient();
        patient.addExtension(new Extension(BIRTH_SEX, new StringType("female")));

        List<OperationOutcomeIssueComponent> errors = errors(validator(profiles).validate(patient));

        assertThat(errors).isNotEmpty();
        assertThat(expressions(errors)).anySatisfy(expression -> assertThat(expression).startsWith("Patient.extension[0]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void enforcesTheConfiguredProfileOnResourcesThatDoNotClaimIt(ProfileConformance profiles) {
        Patient patient = ukCorePatient();
        patient.getMeta().getProfile().clear();
        patient.addExtension(ethnicCategory("A"));
        patient.addExtension(ethnicCategory("B"));
        RepositoryValidator enforcing = new RepositoryValidator(
                new ValidationSettings(Map.of("Patient", UK_CORE_PATIENT)), new BaseR4Validator(), profiles);

        assertThat(errors(validator(profiles).validate(patient))).isEmpty();
        assertThat(errors(enforcing.validate(patient))).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void refusesToEnforceAProfileNoPackageDefines(ProfileConformance profiles) {
        ValidationSettings settings = new ValidationSettings(Map.of("Patient", PROFILES + "UKCore-Nonesuch"));

        assertThatThrownBy(() -> new RepositoryValidator(settings, new BaseR4Validator(), profiles))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UKCore-Nonesuch");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void warnsButDoesNotRefuseWhenAClaimedProfileIsUnknown(ProfileConformance profiles) {
        Patient patient = ukCorePatient();
        patient.getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");

        List<OperationOutcomeIssueComponent> issues = validator(profiles).validate(patient);

        assertThat(errors(issues)).isEmpty();
        assertThat(issues).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.WARNING);
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(ErrorCode.UNKNOWN_PROFILE.code());
            assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly("Patient.meta.profile[1]");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void snomedCodesItCannotCheckOnlyWarn(ProfileConformance profiles) {
        Condition condition = new Condition();
        condition.getMeta().addProfile(PROFILES + "UKCore-Condition");
        condition.setSubject(new Reference("Patient/1"));
        condition.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "999999999999", "Not a real concept")));
        condition.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));

        List<OperationOutcomeIssueComponent> issues = validator(profiles).validate(condition);

        assertThat(errors(issues)).as(describe(issues)).isEmpty();
    }

    private static Patient ukCorePatient() {
        Patient patient = new Patient();
        patient.getMeta().addProfile(UK_CORE_PATIENT);
        patient.addIdentifier(new Identifier().setSystem(NHS).setValue("9990000018"));
        patient.addName().setFamily("Smith").addGiven("Jane");
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        return patient;
    }

    private static Extension ethnicCategory(String code) {
        return new Extension(ETHNIC_CATEGORY, new CodeableConcept(
                new Coding("https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland", code, null)));
    }

    private static String describe(List<OperationOutcomeIssueComponent> issues) {
        StringBuilder sb = new StringBuilder();
        for (OperationOutcomeIssueComponent issue : issues) {
            sb.append('\n').append(issue.getSeverity()).append(' ')
                    .append(issue.getExpression().stream().map(StringType::getValue).toList()).append(' ')
                    .append(issue.getDiagnostics());
        }
        return sb.toString();
    }
}
