package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.RepositorySettings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SearchQueryParserTests {

    private final SqlSearchEngine engine = new SqlSearchEngine(SearchFixture.REGISTRY, ServerBase.none(),
            RepositorySettings.defaults(), Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

    private SearchQuery parse(String type, String query) {
        return engine.parse(SearchFixture.request(type, query, false));
    }

    private Sql sql(String type, String query) {
        return engine.pageSql(parse(type, query));
    }

    @Test
    void valuesAreBoundNeverWrittenIntoTheSql() {
        Sql sql = sql("Patient", "family=x');drop table fhir_resource;--&identifier=a|b'c");

        assertThat(sql.text()).doesNotContain("drop").doesNotContain("b'c");
        assertThat(sql.binds()).contains("x');drop table fhir\\_resource;--%", "a", "b'c");
    }

    @Test
    void registryNamesAreLiteralsSoIndexesMatch() {
        Sql sql = sql("Observation", "code=8867-4&_sort=-date");

        assertThat(sql.text()).contains("x0.res_type = 'Observation'").contains("x0.param = 'code'")
                .contains("max(s.hi)").contains("limit ? offset ?");
        assertThat(sql.text()).as("the type is implied by the index condition").doesNotContain("r.res_type =");
        assertThat(sql("Observation", "_lastUpdated=gt2020").text()).contains("r.res_type = 'Observation'")
                .contains("not r.deleted");
    }

    @Test
    void pagesComeFromIndexKeysUnlessAConditionOrSortNeedsTheResourceRow() {
        assertThat(sql("Patient", "family=smith").text()).as("keys first")
                .contains("select distinct x0.res_pk from idx_string x0").doesNotContain("deleted");
        assertThat(sql("Patient", "family=smith&_sort=-_lastUpdated").text()).as("sort on the row")
                .contains("not r.deleted").doesNotContain("x0");
        assertThat(sql("Patient", "family=smith&_id=a").text()).as("condition on the row")
                .contains("not r.deleted").doesNotContain("x0");
    }

    @Test
    void repeatedParametersAreAndedAndCommasOred() {
        Sql sql = sql("Patient", "given=a,b&given=c");

        assertThat(sql.text().split("res_pk in \\(select", -1)).hasSize(3);
        assertThat(sql.text()).contains(" or ");
    }

    @Test
    void pageSizeAndOffsetComeFromTheRequest() {
        SearchQuery q = parse("Patient", "_count=7&_getpagesoffset=14");
        assertThat(q.count()).isEqualTo(7);
        assertThat(q.offset()).isEqualTo(14);
        assertThat(parse("Patient", "_summary=count").count()).isZero();
        assertThat(parse("Patient", "_summary=count").total()).isEqualTo(TotalMode.ACCURATE);
        assertThat(parse("Patient", "").total()).isEqualTo(TotalMode.BOUNDED);
    }

    @Test
    void selfQueryIsEncodedAndLeavesPagingOut() {
        assertThat(parse("Patient", "name=O%27Neill%20%26%20Co&_count=3&_offset=6&_pretty=true").selfQuery())
                .isEqualTo("name=O'Neill%20%26%20Co");
        assertThat(parse("Observation", "code=http://loinc.org|8867-4,x&_include=Observation:subject").selfQuery())
                .isEqualTo("code=http://loinc.org%7C8867-4,x&_include=Observation:subject");
    }

    @Test
    void includesAreReadWithTheirModifiers() {
        SearchQuery q = parse("Observation", "_include=Observation:subject:Patient&_revinclude:iterate=Provenance:target"
                + "&_include=*&_include=Observation:patient");
        assertThat(q.includes()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("canonical").containsExactly(
                new IncludeSpec(false, "Observation", "subject", new StoredRows(List.of("subject"), null), "Patient", false,
                        List.of()),
                new IncludeSpec(false, null, null, null, null, false, List.of()),
                new IncludeSpec(false, "Observation", "patient", new StoredRows(List.of("subject"), "Patient"), null, false,
                        List.of()),
                new IncludeSpec(true, "Provenance", "target", new StoredRows(List.of("target"), null), null, true,
                        List.of()));
        // Canonical URLs are followed only to types that have a url: none of a Patient, any such type for '*'.
        assertThat(q.includes().get(0).canonical()).isEmpty();
        assertThat(q.includes().get(2).canonical()).isEmpty();
        assertThat(q.includes().get(1).canonicalTo("Questionnaire")).isTrue();
        assertThat(q.includes().get(1).canonicalTo("Patient")).isFalse();
        assertThat(parse("Observation", "_include=Observation:subject").includes().get(0).canonical())
                .as("no target of subject (a Device's url is an address) is named by canonical URL").isEmpty();
        assertThat(parse("QuestionnaireResponse", "_include=QuestionnaireResponse:questionnaire").includes().get(0)
                .canonical()).extracting(CanonicalTarget::type).containsExactly("Questionnaire");
    }

    @Test
    void chainsHaveALimitedDepth() {
        assertThat(parse("Observation", "patient.organization.partof.name=x")).as("three references deep").isNotNull();
        assertThat(parse("Observation", "patient.organization._has:Patient:organization:name=x"))
                .as("a _has is one of the three").isNotNull();
        assertThat(catchThrowableOfType(FhirException.class,
                () -> parse("Observation", "patient.organization.partof._has:Patient:organization:name=x")))
                .as("a _has as the fourth").hasMessageContaining("levels");
        FhirException e = catchThrowableOfType(FhirException.class,
                () -> parse("Observation", "patient.organization.partof.partof.name=x"));
        assertThat(SearchFixture.errorCode(e)).isEqualTo(ErrorCode.INVALID_SEARCH_PARAMETER.code());
        assertThat(e.getMessage()).contains("levels");
    }

    @Test
    void reverseChainNeedsAResourceType() {
        FhirException e = catchThrowableOfType(FhirException.class, () -> parse(null, "_has:Observation:patient:code=1"));
        assertThat(SearchFixture.errorCode(e)).isEqualTo(ErrorCode.UNKNOWN_SEARCH_PARAMETER.code());
    }
}
