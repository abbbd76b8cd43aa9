package org.charnwood.app.referrals;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathwayDefinitionsTests {

    private static PlanDefinition heartFailure() {
        return ShippedPathways.get("heart-failure").definition().copy();
    }

    private static List<String> problems(PlanDefinition definition) {
        return PathwayDefinitions.problems(definition).stream().map(OperationOutcomeIssueComponent::getDiagnostics).toList();
    }

    private static Extension criterion(PlanDefinition definition, String rule) {
        return definition.getExtensionsByUrl(ReferralCodes.REFERRAL_CRITERION).stream()
                .filter(e -> rule.equals(e.getExtensionByUrl("rule").getValue().primitiveValue())).findFirst().orElseThrow();
    }

    @Test
    void everyShippedPathwayIsValidAndTheThreeDivisionsAreCovered() {
        List<Bundle> shipped = PathwayLoader.shipped();
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(12);
        for (Bundle bundle : shipped) {
            PlanDefinition definition = ShippedPathways.find(bundle, PlanDefinition.class);
            Questionnaire questionnaire = ShippedPathways.find(bundle, Questionnaire.class);
            assertThat(PathwayDefinitions.problems(definition)).as(definition.getUrl()).isEmpty();
            assertThat(PathwayDefinitions.problems(questionnaire)).as(questionnaire.getUrl()).isEmpty();
        }
        assertThat(shipped.stream().map(b -> ShippedPathways.find(b, org.hl7.fhir.r4.model.HealthcareService.class)
                .getComment()).distinct()).hasSize(3);
    }

    @Test
    void theShippedPathwaysCarryTheContractsTargetTimesAndSelfReferral() {
        assertThat(ShippedPathways.get("urgent-community-response").targets())
                .contains(new TargetTime("urgent-response", Duration.ofMinutes(120)));
        assertThat(ShippedPathways.get("intermediate-care").targets())
                .contains(new TargetTime("reablement", Duration.ofDays(2)));
        assertThat(ShippedPathways.get("talking-therapies").selfReferral()).isTrue();
        assertThat(ShippedPathways.get("district-nursing").selfReferral()).isFalse();
        assertThat(ShippedPathways.get("urgent-community-response").priorities()).startsWith("asap");
    }

    @Test
    void refusesInvalidEcl() {
        PlanDefinition definition = heartFailure();
        criterion(definition, "ecl").getExtensionByUrl("ecl").setValue(new StringType("<< 84114007 OR"));
        assertThat(problems(definition)).singleElement().asString().startsWith("Not valid SNOMED CT ECL");
    }

    @Test
    void refusesAnEmptyAgeRange() {
        PlanDefinition definition = heartFailure();
        criterion(definition, "age").addExtension("maxAge", new IntegerType(10));
        assertThat(problems(definition)).singleElement().asString().contains("minAge 18 is above maxAge 10");
    }

    @Test
    void refusesAnUnknownClockATargetWithoutADurationAndAnUrgentResponseWithoutAsap() {
        PlanDefinition definition = heartFailure();
        definition.getGoal().get(0).getTargetFirstRep().getMeasure().getCodingFirstRep().setCode("tea-break");
        definition.getGoal().get(1).getTargetFirstRep().setDue(null);
        org.hl7.fhir.r4.model.Duration twoHours = new org.hl7.fhir.r4.model.Duration();
        twoHours.setValue(2).setCode("h").setSystem("http://unitsofmeasure.org");
        definition.addGoal().addTarget().setDue(twoHours).getMeasure().addCoding()
                .setSystem(ReferralCodes.REFERRAL_CLOCK).setCode("urgent-response");
        assertThat(problems(definition)).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("A goal's clock"))
                .anySatisfy(p -> assertThat(p).startsWith("A goal's target is due"))
                .anySatisfy(p -> assertThat(p).contains("asap"));
    }

    @Test
    void refusesARedirectToItselfAndAnIdThatIsNotTheVersions() {
        PlanDefinition definition = heartFailure();
        criterion(definition, "age").addExtension("redirect",
                new org.hl7.fhir.r4.model.CanonicalType(definition.getUrl()));
        definition.setId("heart-failure-v9");
        assertThat(problems(definition)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("another pathway"))
                .anySatisfy(p -> assertThat(p).contains("PlanDefinition/heart-failure-v1"));
    }

    @Test
    void refusesAPathwayWithoutItsServiceOrUrgencyLevels() {
        PlanDefinition definition = heartFailure();
        definition.getExtension().removeIf(e -> e.getUrl().equals(ReferralCodes.PATHWAY_SERVICE)
                || e.getUrl().equals(ReferralCodes.REFERRAL_PRIORITY));
        assertThat(problems(definition)).hasSize(2);
    }

    @Test
    void refusesAQuestionnaireWithAnUnknownEnableWhenADuplicateLinkIdOrAChoiceWithoutOptions() {
        Questionnaire questionnaire = ShippedPathways.get("district-nursing").questionnaire().copy();
        questionnaire.getItem().get(2).getEnableWhenFirstRep().setQuestion("nowhere");
        questionnaire.getItem().get(3).setLinkId("consent");
        questionnaire.getItem().get(0).getAnswerOption().clear();
        assertThat(PathwayDefinitions.problems(questionnaire)).extracting(OperationOutcomeIssueComponent::getDiagnostics)
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("not an earlier question"))
                .anySatisfy(p -> assertThat(p).contains("used twice"))
                .anySatisfy(p -> assertThat(p).contains("answerOption"));
    }

    @Test
    void refusesAQuestionnaireItemTheFormsCannotShow() {
        Questionnaire questionnaire = ShippedPathways.get("district-nursing").questionnaire().copy();
        questionnaire.getItem().get(0).setType(Questionnaire.QuestionnaireItemType.ATTACHMENT);
        assertThat(PathwayDefinitions.problems(questionnaire)).singleElement()
                .satisfies(i -> assertThat(i.getExpression().get(0).getValue()).isEqualTo("Questionnaire.item[0].type"));
    }

    @Test
    void readsSelfReferralFromTheExtension() {
        PlanDefinition definition = heartFailure();
        definition.getExtensionByUrl(ReferralCodes.SELF_REFERRAL_ALLOWED).setValue(new BooleanType(true));
        assertThat(PathwayDefinitions.read(definition, ShippedPathways.get("heart-failure").questionnaire()).selfReferral())
                .isTrue();
    }
}
