package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchParameterRegistryTests {

    private static final SearchParameterRegistry registry = SearchParameterRegistry.r4();

    @Test
    void coversEveryResourceTypeWithTheResourceLevelParameters() {
        assertThat(registry.resourceTypes()).hasSizeGreaterThan(140).contains("Patient", "Observation", "Encounter");
        for (String type : registry.resourceTypes()) {
            for (String code : List.of("_id", "_lastUpdated", "_tag", "_profile", "_security")) {
                assertThat(registry.find(type, code)).as(type + "." + code).isPresent();
            }
        }
        assertThat(registry.find("Patient", "_tag").orElseThrow().type()).isEqualTo(SearchParamType.TOKEN);
        assertThat(registry.find("Patient", "_profile").orElseThrow().type()).isEqualTo(SearchParamType.URI);
    }

    @Test
    void narrowsSharedExpressionsToTheOneType() {
        SearchParameterDefinition family = registry.find("Patient", "family").orElseThrow();
        assertThat(family.expression()).isEqualTo("Patient.name.family");
        SearchParameterDefinition code = registry.find("Observation", "code").orElseThrow();
        assertThat(code.expression()).isEqualTo("Observation.code");
        SearchParameterDefinition patient = registry.find("Observation", "patient").orElseThrow();
        assertThat(patient.expression()).isEqualTo("Observation.subject.where(resolve() is Patient)");
        assertThat(patient.targets()).contains("Patient");
    }

    @Test
    void describesCompositeComponents() {
        SearchParameterDefinition cvq = registry.find("Observation", "code-value-quantity").orElseThrow();
        assertThat(cvq.type()).isEqualTo(SearchParamType.COMPOSITE);
        assertThat(cvq.components()).extracting(SearchParameterDefinition.Component::type)
                .containsExactly(SearchParamType.TOKEN, SearchParamType.QUANTITY);
        assertThat(registry.find("Observation", "component-code-value-quantity").orElseThrow().searchable()).isTrue();
        assertThat(registry.find("Observation", "combo-code-value-concept").orElseThrow().components()).hasSize(2);
    }

    @Test
    void compilesNearlyEveryOfficialExpressionToTheFastPath() {
        List<String> fallbacks = new ArrayList<>();
        int total = 0;
        for (String type : registry.resourceTypes()) {
            for (SearchParameterDefinition d : registry.indexed(type)) {
                total++;
                if (d.path() instanceof FhirPathElementPath) {
                    fallbacks.add(type + "." + d.code() + ": " + d.expression());
                }
            }
        }
        assertThat(total).isGreaterThan(2000);
        assertThat(fallbacks).as(fallbacks.toString()).hasSizeLessThan(5);
    }

    @Test
    void storesParametersThatRepeatOthersOnlyOnce() {
        assertThat(registry.find("Observation", "combo-code").orElseThrow().derivation().params())
                .containsExactlyInAnyOrder("code", "component-code");
        assertThat(registry.find("Observation", "combo-code-value-quantity").orElseThrow().derivation().params())
                .containsExactlyInAnyOrder("code-value-quantity", "component-code-value-quantity");
        assertThat(registry.find("Observation", "patient").orElseThrow().derivation())
                .isEqualTo(new SearchParameterDefinition.Derivation(List.of("subject"), "Patient"));
        assertThat(registry.find("Patient", "phonetic").orElseThrow().derivation())
                .as("selects the names as name does, but is stored as their sounds").isNull();
        assertThat(registry.indexed("Patient")).extracting(SearchParameterDefinition::code).contains("phonetic");
        assertThat(registry.find("Patient", "name").orElseThrow().derivation()).isNull();
        assertThat(registry.find("Observation", "code").orElseThrow().derivation()).isNull();
        assertThat(registry.indexed("Observation")).extracting(SearchParameterDefinition::code)
                .contains("code", "subject").doesNotContain("combo-code", "patient");
        for (String type : registry.resourceTypes()) {
            for (SearchParameterDefinition d : registry.all(type)) {
                if (d.derivation() != null) {
                    for (String base : d.derivation().params()) {
                        assertThat(registry.find(type, base).orElseThrow().derivation())
                                .as(type + "." + d.code() + " rests on a stored parameter").isNull();
                    }
                }
            }
        }
    }

    @Test
    void leavesParametersWithoutExpressionUnsearchable() {
        assertThat(registry.find("Patient", "_content").orElseThrow().searchable()).isFalse();
        assertThat(registry.find("Location", "near").orElseThrow().searchable()).isFalse();
        assertThat(registry.indexed("Patient")).extracting(SearchParameterDefinition::code)
                .doesNotContain("_id", "_lastUpdated", "_content", "_text");
    }

    @Test
    void acceptsCustomParametersAtRuntime() {
        SearchParameterRegistry own = SearchParameterRegistry.r4();
        SearchParameter sp = new SearchParameter();
        sp.setUrl("https://charnwood.nhs.example/fhir/SearchParameter/patient-nickname");
        sp.setCode("nickname");
        sp.addBase("Patient");
        sp.setType(Enumerations.SearchParamType.STRING);
        sp.setExpression("Patient.name.where(use='nickname').given");

        own.register(sp);

        SearchParameterDefinition nickname = own.find("Patient", "nickname").orElseThrow();
        assertThat(nickname.type()).isEqualTo(SearchParamType.STRING);
        assertThat(own.indexed("Patient")).contains(nickname);
        assertThat(registry.find("Patient", "nickname")).isEmpty();
    }

    @Test
    void refusesCustomParameterWithoutExpression() {
        SearchParameter sp = new SearchParameter();
        sp.setCode("broken");
        sp.addBase("Patient");
        sp.setType(Enumerations.SearchParamType.TOKEN);

        assertThatThrownBy(() -> SearchParameterRegistry.r4().register(sp))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(422))
                .hasMessageContaining("broken");
    }
}
