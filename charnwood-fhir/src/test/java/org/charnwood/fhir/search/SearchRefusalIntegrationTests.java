package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository.SearchPage;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SearchRefusalIntegrationTests {

    private SearchFixture fx;
    private String smith;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Smith"));
        smith = fx.create(p);
    }

    @Test
    void unknownParameterIsRefusedByName() {
        FhirException e = fx.refusal("Patient", "shoe-size=9");
        SearchFixture.assertRefused(e, ErrorCode.UNKNOWN_SEARCH_PARAMETER, "shoe-size", "Patient");
        assertThat(e.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getSystem())
                .isEqualTo(ErrorCode.SYSTEM);
    }

    @Test
    void lenientHandlingIgnoresUnknownParametersWithAWarning() {
        SearchPage page = fx.lenient("Patient", "family=smith&shoe-size=9&_sort=shoe-size");

        assertThat(page.matches()).extracting(r -> r.id()).containsExactly(smith);
        assertThat(page.outcome().warnings()).hasSize(2).allMatch(w -> w.contains("shoe-size"));
        assertThat(page.outcome().selfQuery()).isEqualTo("family=smith");
    }

    @Test
    void lenientHandlingIgnoresMalformedValuesWithAWarningButStrictRefusesThem() {
        SearchPage page = fx.lenient("Patient", "family=smith&birthdate=soon,1970");

        assertThat(page.matches()).extracting(r -> r.id()).containsExactly(smith);
        assertThat(page.outcome().warnings()).hasSize(1).allMatch(w -> w.contains("birthdate"));
        assertThat(page.outcome().selfQuery()).isEqualTo("family=smith");
        SearchFixture.assertRefused(fx.refusal("Patient", "birthdate=soon"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "birthdate");
    }

    @Test
    void unsupportedModifiersAreRefused() {
        SearchFixture.assertRefused(fx.refusal("Patient", "family:fuzzy=smith"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "family:fuzzy", ":fuzzy");
        SearchFixture.assertRefused(fx.refusal("Patient", "gender:below=m"), ErrorCode.INVALID_SEARCH_PARAMETER,
                ":below");
        SearchFixture.assertRefused(fx.refusal("Patient", "birthdate:exact=1970"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "birthdate", "date");
        SearchFixture.assertRefused(fx.refusal("Observation", "subject:Banana=1"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "subject:Banana");
        SearchFixture.assertRefused(fx.refusal("Observation", "subject:Medication=1"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "Medication");
    }

    @Test
    void malformedControlParametersAreRefused() {
        SearchFixture.assertRefused(fx.refusal("Patient", "_count=-1"), ErrorCode.INVALID_SEARCH_PARAMETER, "_count");
        SearchFixture.assertRefused(fx.refusal("Patient", "_count=ten"), ErrorCode.INVALID_SEARCH_PARAMETER, "_count");
        SearchFixture.assertRefused(fx.refusal("Patient", "_getpagesoffset=x"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "_getpagesoffset");
        SearchFixture.assertRefused(fx.refusal("Patient", "_total=some"), ErrorCode.INVALID_SEARCH_PARAMETER, "_total");
        SearchFixture.assertRefused(fx.refusal("Patient", "_summary=everything"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "_summary");
        SearchFixture.assertRefused(fx.refusal("Patient", "_sort=shoe-size"), ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                "shoe-size");
        SearchFixture.assertRefused(fx.refusal("Observation", "_sort=code-value-quantity"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "code-value-quantity");
        SearchFixture.assertRefused(fx.refusal("Patient", "family:missing=maybe"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "family:missing", "maybe");
    }

    @Test
    void malformedTokensAreRefused() {
        SearchFixture.assertRefused(fx.refusal("Patient", "identifier=a|b|c"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "identifier", "a|b|c");
        SearchFixture.assertRefused(fx.refusal("Patient", "identifier=|"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "identifier");
        SearchFixture.assertRefused(fx.refusal("Patient", "identifier:of-type=MR|123"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "of-type");
    }

    @Test
    void parametersWithoutSupportAreReportedAsSuch() {
        SearchFixture.assertRefused(fx.refusal("Patient", "_content=smith"), ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                "_content", "not supported");
        SearchFixture.assertRefused(fx.refusal("Location", "near=52.7|-1.2|10|km"), ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                "near", "not supported");
    }

    @Test
    void unknownResourceTypeIsNotFound() {
        FhirException e = fx.refusal("Spaceship", "name=x");
        assertThat(e.status()).isEqualTo(404);
        assertThat(SearchFixture.errorCode(e)).isEqualTo(ErrorCode.UNKNOWN_RESOURCE_TYPE.code());
    }

    @Test
    void emptyValuesAreIgnored() {
        assertThat(fx.ids("Patient", "family=&given=")).containsExactly(smith);
    }
}
