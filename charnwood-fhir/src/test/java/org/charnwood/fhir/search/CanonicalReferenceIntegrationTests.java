package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reference parameters whose element is a canonical (QuestionnaireResponse.questionnaire, CarePlan
 * instantiates-canonical): includes and chains follow the URL to the stored resources that have it as their url,
 * and its version when it names one (R4 references.html#canonical, search.html#reference).
 */
class CanonicalReferenceIntegrationTests {

    private static final String PHQ9 = "https://forms.example/Questionnaire/phq9";

    private SearchFixture fx;
    private String phq9v1;
    private String phq9v2;
    private String other;
    private String answeredV2;
    private String answeredAnyVersion;
    private String answeredUnknown;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        phq9v1 = fx.create(questionnaire(PHQ9, "1.0", "PHQ-9 depression"));
        phq9v2 = fx.create(questionnaire(PHQ9, "2.0", "PHQ-9 depression"));
        other = fx.create(questionnaire("https://forms.example/Questionnaire/gad7", "1.0", "GAD-7 anxiety"));
        answeredV2 = fx.create(response(PHQ9 + "|2.0"));
        answeredAnyVersion = fx.create(response(PHQ9));
        answeredUnknown = fx.create(response("https://forms.example/Questionnaire/unknown"));
    }

    private static Questionnaire questionnaire(String url, String version, String title) {
        return new Questionnaire().setUrl(url).setVersion(version).setTitle(title).setStatus(PublicationStatus.ACTIVE);
    }

    private static QuestionnaireResponse response(String questionnaire) {
        QuestionnaireResponse qr = new QuestionnaireResponse();
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setQuestionnaire(questionnaire);
        return qr;
    }

    @Test
    void includeFollowsTheUrlToTheVersionNamedOrToEveryVersion() {
        assertThat(fx.included("QuestionnaireResponse", "_id=" + answeredV2
                + "&_include=QuestionnaireResponse:questionnaire")).containsExactly("Questionnaire/" + phq9v2);
        assertThat(fx.included("QuestionnaireResponse", "_id=" + answeredAnyVersion
                + "&_include=QuestionnaireResponse:questionnaire"))
                .containsExactlyInAnyOrder("Questionnaire/" + phq9v1, "Questionnaire/" + phq9v2);
        assertThat(fx.included("QuestionnaireResponse", "_id=" + answeredUnknown
                + "&_include=QuestionnaireResponse:questionnaire")).isEmpty();
        assertThat(fx.included("QuestionnaireResponse", "_id=" + answeredV2
                + "&_include=QuestionnaireResponse:questionnaire:Questionnaire")).containsExactly("Questionnaire/" + phq9v2);
        assertThat(fx.included("QuestionnaireResponse", "_id=" + answeredV2 + "&_include=*"))
                .containsExactly("Questionnaire/" + phq9v2);
    }

    @Test
    void revincludeFindsTheResponsesThatNameTheQuestionnaireByUrl() {
        assertThat(fx.included("Questionnaire", "_id=" + phq9v2 + "&_revinclude=QuestionnaireResponse:questionnaire"))
                .containsExactlyInAnyOrder("QuestionnaireResponse/" + answeredV2,
                        "QuestionnaireResponse/" + answeredAnyVersion);
        assertThat(fx.included("Questionnaire", "_id=" + phq9v1 + "&_revinclude=QuestionnaireResponse:questionnaire"))
                .containsExactly("QuestionnaireResponse/" + answeredAnyVersion);
        assertThat(fx.included("Questionnaire", "_id=" + other + "&_revinclude=QuestionnaireResponse:questionnaire"))
                .isEmpty();
        assertThat(fx.included("Questionnaire", "_id=" + phq9v1 + "&_revinclude=*"))
                .containsExactly("QuestionnaireResponse/" + answeredAnyVersion);
    }

    @Test
    void chainsFollowTheUrlAndHonourTheVersion() {
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire.title=phq"))
                .containsExactlyInAnyOrder(answeredV2, answeredAnyVersion);
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire.version=1.0"))
                .as("the response naming version 2.0 does not answer version 1.0").containsExactly(answeredAnyVersion);
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire:Questionnaire._id=" + phq9v2))
                .containsExactlyInAnyOrder(answeredV2, answeredAnyVersion);
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire.title=gad")).isEmpty();
        fx.delete("Questionnaire", phq9v1);
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire.version=1.0")).isEmpty();
    }

    @Test
    void reverseChainsFindTheQuestionnairesAResponseNamesByUrl() {
        QuestionnaireResponse inProgress = response(PHQ9 + "|1.0");
        inProgress.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        fx.create(inProgress);

        assertThat(fx.ids("Questionnaire", "_has:QuestionnaireResponse:questionnaire:status=completed"))
                .containsExactlyInAnyOrder(phq9v1, phq9v2);
        assertThat(fx.ids("Questionnaire", "_has:QuestionnaireResponse:questionnaire:_id=" + answeredV2))
                .containsExactly(phq9v2);
        assertThat(fx.ids("Questionnaire", "_has:QuestionnaireResponse:questionnaire:status=in-progress"))
                .containsExactly(phq9v1);
        assertThat(fx.ids("Questionnaire", "_has:QuestionnaireResponse:questionnaire:status=stopped")).isEmpty();
    }

    @Test
    void otherCanonicalParametersAndADerivedUrlAreFollowedToo() {
        String plan = fx.create(new PlanDefinition().setUrl("https://plans.example/falls").setTitle("Falls prevention")
                .setStatus(PublicationStatus.ACTIVE));
        String patient = fx.create(new Patient());
        CarePlan cp = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference("Patient/" + patient));
        cp.addInstantiatesCanonical("https://plans.example/falls");
        String carePlan = fx.create(cp);

        assertThat(fx.ids("CarePlan", "instantiates-canonical.title=falls")).containsExactly(carePlan);
        assertThat(fx.included("CarePlan", "_include=CarePlan:instantiates-canonical"))
                .containsExactly("PlanDefinition/" + plan);
        assertThat(fx.included("PlanDefinition", "_revinclude=CarePlan:instantiates-canonical"))
                .containsExactly("CarePlan/" + carePlan);
        // A type whose url is stored under another parameter (CodeSystem's under system) is named by those rows.
        assertThat(CanonicalTarget.of(SearchFixture.REGISTRY, "CodeSystem").url())
                .isEqualTo(StoredRows.of(SearchFixture.REGISTRY.find("CodeSystem", "url").orElseThrow()));
        assertThat(CanonicalTarget.of(SearchFixture.REGISTRY, "Patient")).isNull();
        assertThat(CanonicalTarget.of(SearchFixture.REGISTRY, "Device")).as("its url is a network address").isNull();
    }
}
