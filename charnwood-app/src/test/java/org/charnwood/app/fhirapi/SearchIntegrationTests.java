package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Search and $everything over HTTP: the request and response shapes a partner system sees. */
class SearchIntegrationTests extends CharnwoodIntegrationTest {

    private String patientId;

    @BeforeEach
    void aPatientWithSomeHistory() {
        patientId = http.post("/fhir/Patient", """
                {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9000000009"}],
                 "name":[{"family":"Mistry","given":["Priya"]}],"birthDate":"1950-04-02"}""", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        for (int i = 1; i <= 3; i++) {
            http.post("/fhir/Observation", """
                    {"resourceType":"Observation","status":"final",
                     "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                     "subject":{"reference":"Patient/%s"},"effectiveDateTime":"2024-0%d-01T10:00:00Z",
                     "valueQuantity":{"value":%d,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}"""
                    .formatted(patientId, i, 70 + i), "application/fhir+json");
        }
        http.post("/fhir/Condition", """
                {"resourceType":"Condition","subject":{"reference":"Patient/%s"},
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]}}""".formatted(patientId),
                "application/fhir+json");
    }

    @Test
    void sortsPagesAndLinksResults() {
        Bundle first = http.get("/fhir/Observation?subject=Patient/" + patientId + "&_sort=-date&_count=2&_total=accurate")
                .bundle();

        assertThat(first.getTotal()).isEqualTo(3);
        assertThat(dates(first)).containsExactly("2024-03-01T10:00:00Z", "2024-02-01T10:00:00Z");
        String next = first.getLink("next").getUrl();
        Bundle second = http.get(next.substring(next.indexOf("/fhir"))).bundle();
        assertThat(dates(second)).containsExactly("2024-01-01T10:00:00Z");
    }

    @Test
    void tokenQuantityAndChainedSearchesMatch() {
        assertThat(http.get("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9000000009").bundle()
                .getEntry()).hasSize(1);
        assertThat(http.get("/fhir/Observation?value-quantity=gt71%7Chttp://unitsofmeasure.org%7C/min").bundle()
                .getEntry()).hasSize(2);
        assertThat(http.get("/fhir/Observation?subject:Patient.name=mist").bundle().getEntry()).hasSize(3);
        assertThat(http.get("/fhir/Patient?birthdate=1950-04").bundle().getEntry()).hasSize(1);
    }

    @Test
    void summaryTextAndElementsKeepEachTypesMandatoryElements() {
        Bundle text = http.get("/fhir/Observation?subject=Patient/" + patientId + "&_summary=text").bundle();
        org.hl7.fhir.r4.model.Observation first = (org.hl7.fhir.r4.model.Observation) text.getEntryFirstRep().getResource();
        assertThat(first.getStatus()).isNotNull();
        assertThat(first.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(first.hasValueQuantity()).isFalse();

        org.hl7.fhir.r4.model.Observation one = http.get("/fhir/Observation/" + first.getIdElement().getIdPart()
                + "?_elements=subject").resource(org.hl7.fhir.r4.model.Observation.class);
        assertThat(one.hasSubject()).isTrue();
        assertThat(one.getStatus()).isNotNull();
        assertThat(one.hasEffective()).isFalse();

        // The warnings of a lenient search are an OperationOutcome entry: _elements must not empty it.
        Bundle lenient = http.get("/fhir/Patient?favourite-colour=blue&_elements=name", "Prefer", "handling=lenient")
                .bundle();
        assertThat(lenient.getEntry()).anyMatch(e -> e.getResource() instanceof OperationOutcome o
                && !o.getIssue().isEmpty() && o.getIssueFirstRep().getSeverity() != null);
    }

    @Test
    void includeAndRevincludeAddResourcesMarkedInclude() {
        Bundle withPatient = http.get("/fhir/Observation?_include=Observation:subject").bundle();
        Bundle withObservations = http.get("/fhir/Patient?_id=" + patientId + "&_revinclude=Observation:subject").bundle();

        assertThat(modes(withPatient)).containsExactlyInAnyOrder("match", "match", "match", "include");
        assertThat(modes(withObservations)).containsExactlyInAnyOrder("match", "include", "include", "include");
    }

    @Test
    void elementsTrimsTheMatchesAndLeavesIncludedResourcesWhole() {
        Bundle bundle = http.get("/fhir/Observation?_include=Observation:subject&_elements=status,subject").bundle();

        assertThat(bundle.getEntry()).filteredOn(e -> e.getResource() instanceof Observation).isNotEmpty()
                .allSatisfy(e -> {
                    Observation o = (Observation) e.getResource();
                    assertThat(o.hasSubject()).isTrue();
                    assertThat(o.hasEffective()).isFalse();
                    assertThat(o.getMeta().getTag()).anyMatch(t -> t.getCode().equals("SUBSETTED"));
                });
        Patient included = (Patient) bundle.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
                .findFirst().orElseThrow().getResource();
        assertThat(included.hasName()).isTrue();
        assertThat(included.getBirthDateElement().getValueAsString()).isEqualTo("1950-04-02");
        assertThat(included.getMeta().getTag()).noneMatch(t -> "SUBSETTED".equals(t.getCode()));
    }

    @Test
    void summaryTrimsIncludedResourcesByTheSameRuleAsTheMatches() {
        // R4 search.html: _summary asks for a subset of each resource returned; unlike _elements, which names
        // elements of the searched type, it is one rule for every resource type, so included ones follow it too.
        http.put("/fhir/Patient/" + patientId, """
                {"resourceType":"Patient","id":"%s","text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Priya Mistry</div>"},
                 "name":[{"family":"Mistry","given":["Priya"]}],"birthDate":"1950-04-02","active":true}"""
                .formatted(patientId), "application/fhir+json");
        Bundle text = http.get("/fhir/Observation?_include=Observation:subject&_summary=text").bundle();
        Patient included = (Patient) text.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
                .findFirst().orElseThrow().getResource();
        assertThat(text.getEntry().stream().filter(e -> e.getResource() instanceof Patient).findFirst().orElseThrow()
                .getSearch().getMode().toCode()).isEqualTo("include");
        assertThat(included.getText().getDivAsString()).contains("Priya Mistry");
        assertThat(included.getIdElement().getIdPart()).isEqualTo(patientId);
        assertThat(included.hasName()).isFalse();
        assertThat(included.hasBirthDate()).isFalse();
        assertThat(included.hasActive()).isFalse();
        assertThat(included.getMeta().getTag()).anyMatch(t -> "SUBSETTED".equals(t.getCode()));

        Bundle summary = http.get("/fhir/Observation?_include=Observation:subject&_summary=true").bundle();
        Patient summarised = (Patient) summary.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
                .findFirst().orElseThrow().getResource();
        assertThat(summarised.hasName()).as("a summary element").isTrue();
        assertThat(summarised.hasText()).as("not a summary element").isFalse();

        Bundle data = http.get("/fhir/Observation?_include=Observation:subject&_summary=data").bundle();
        Patient withoutText = (Patient) data.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
                .findFirst().orElseThrow().getResource();
        assertThat(withoutText.hasName()).isTrue();
        assertThat(withoutText.hasText()).isFalse();
    }

    @Test
    void elementsTrimsEachResourceInTheSearchsetButKeepsTheEntries() {
        Bundle trimmed = http.get("/fhir/Patient?_elements=birthDate").bundle();

        assertThat(trimmed.getEntry()).hasSize(1);
        Patient p = (Patient) trimmed.getEntryFirstRep().getResource();
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1950-04-02");
        assertThat(p.hasName()).isFalse();
        assertThat(p.getMeta().getTag()).anyMatch(t -> t.getCode().equals("SUBSETTED"));
    }

    @Test
    void summaryCountReturnsOnlyTheTotal() {
        Bundle count = http.get("/fhir/Observation?_summary=count").bundle();

        assertThat(count.getTotal()).isEqualTo(3);
        assertThat(count.getEntry()).isEmpty();
    }

    @Test
    void searchByPostWithAFormBodyMatchesLikeGet() {
        Response r = http.post("/fhir/Patient/_search", "family=Mistry", "application/x-www-form-urlencoded");

        assertThat(r.bundle().getEntry()).hasSize(1);
    }

    @Test
    void aSystemSearchByPostMatchesTheSameSearchByGet() {
        Bundle byGet = http.get("/fhir?_type=Patient&_count=50").bundle();
        Response byPost = http.post("/fhir/_search", "_type=Patient&_count=50", "application/x-www-form-urlencoded");

        assertThat(byPost.status()).as(byPost.body()).isEqualTo(200);
        assertThat(byPost.bundle().getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactlyElementsOf(byGet.getEntry().stream()
                        .map(e -> e.getResource().getIdElement().getIdPart()).toList());
        assertThat(http.get("/fhir/_search").status()).isEqualTo(405);
    }

    @Test
    void unknownParametersAreRefusedUnlessHandlingIsLenient() {
        Response strict = http.get("/fhir/Patient?favourite-colour=blue");
        Response lenient = http.get("/fhir/Patient?favourite-colour=blue", "Prefer", "handling=lenient");

        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.outcome().getIssueFirstRep().getDiagnostics()).contains("favourite-colour");
        assertThat(lenient.status()).isEqualTo(200);
        assertThat(lenient.bundle().getEntry()).anyMatch(e -> e.getResource() instanceof OperationOutcome
                && "outcome".equals(e.getSearch().getMode().toCode()));
    }

    @Test
    void malformedValuesAreRefusedWith400() {
        assertThat(http.get("/fhir/Patient?birthdate=yesterday").status()).isEqualTo(400);
        assertThat(http.get("/fhir/Observation?value-quantity=lots").status()).isEqualTo(400);
    }

    @Test
    void malformedValuesAreIgnoredWithAWarningWhenHandlingIsLenient() {
        Response lenient = http.get("/fhir/Patient?birthdate=notadate,1950-04-02&_id=" + patientId,
                "Prefer", "handling=lenient");
        Response missing = http.get("/fhir/Patient?gender:missing=perhaps", "Prefer", "handling=lenient");

        assertThat(lenient.status()).as(lenient.body()).isEqualTo(200);
        Bundle bundle = lenient.bundle();
        assertThat(bundle.getEntry()).anyMatch(e -> e.getResource() instanceof Patient);
        assertThat(bundle.getEntry()).anyMatch(e -> e.getResource() instanceof OperationOutcome o
                && "outcome".equals(e.getSearch().getMode().toCode())
                && o.getIssueFirstRep().getDiagnostics().contains("birthdate"));
        assertThat(bundle.getLink("self").getUrl()).doesNotContain("notadate");
        assertThat(missing.status()).as(missing.body()).isEqualTo(200);
        // An unsupported modifier is still refused, as R4 requires.
        assertThat(http.get("/fhir/Patient?family:below=x", "Prefer", "handling=lenient").status())
                .isEqualTo(400);
    }

    @Test
    void everythingReturnsThePatientFirstThenTheirRecord() {
        Bundle all = http.get("/fhir/Patient/" + patientId + "/$everything").bundle();
        Bundle observations = http.get("/fhir/Patient/" + patientId + "/$everything?_type=Observation").bundle();
        Bundle paged = http.get("/fhir/Patient/" + patientId + "/$everything?_count=2").bundle();

        assertThat(all.getEntry()).hasSize(5);
        assertThat(all.getEntryFirstRep().getResource()).isInstanceOf(Patient.class);
        assertThat(observations.getEntry()).hasSize(3);
        assertThat(paged.getEntry()).hasSize(2);
        assertThat(paged.getLink("next")).isNotNull();
        assertThat(http.get("/fhir/Patient/nobody/$everything").status()).isEqualTo(404);
    }

    @Test
    void everythingAddsWhatTheRecordRefersToAndKeepsToTheCareDates() {
        String gp = http.post("/fhir/Practitioner", """
                {"resourceType":"Practitioner","name":[{"family":"Okafor","prefix":["Dr"]}]}""", "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.Practitioner.class).getIdElement().getIdPart();
        http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
                 "subject":{"reference":"Patient/%s"},"performer":[{"reference":"Practitioner/%s"}],
                 "effectiveDateTime":"2023-06-01T10:00:00Z"}""".formatted(patientId, gp), "application/fhir+json");

        Bundle all = http.get("/fhir/Patient/" + patientId + "/$everything").bundle();
        assertThat(all.getEntry()).filteredOn(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Practitioner)
                .singleElement().satisfies(e -> assertThat(e.getSearch().getMode().toCode()).isEqualTo("include"));

        // February 2024: the one heart rate of that month, the patient, and the condition, which has no care date.
        Bundle february = http.get("/fhir/Patient/" + patientId + "/$everything?start=2024-02&end=2024-02").bundle();
        assertThat(february.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Patient", "Observation", "Condition");
        assertThat(dates(february.getEntry().stream().filter(e -> e.getResource().fhirType().equals("Observation"))
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
                    Bundle b = new Bundle();
                    l.forEach(b::addEntry);
                    return b;
                })))).containsExactly("2024-02-01T10:00:00Z");
        Bundle since2024 = http.get("/fhir/Patient/" + patientId + "/$everything?start=2024&_type=Observation,Practitioner")
                .bundle();
        assertThat(since2024.getEntry()).extracting(e -> e.getResource().fhirType()).containsOnly("Observation");
        assertThat(http.get("/fhir/Patient/" + patientId + "/$everything?start=last-week").status()).isEqualTo(400);
    }

    @Test
    void pagingLinksKeepTheFormatAndPrettyPrintingSoTheNextPageComesBackAlike() {
        Response first = http.get("/fhir/Observation?_count=2&_format=xml&_pretty=true");
        String next = first.bundle().getLink("next").getUrl();

        Response second = http.get(next.substring(next.indexOf("/fhir")));

        assertThat(second.header("Content-Type")).startsWith("application/fhir+xml");
        assertThat(second.body()).contains("\n   <type value=\"searchset\"/>");
        assertThat(second.bundle().getEntry()).hasSize(1);
    }

    @Test
    void everythingWithCountZeroReturnsNoEntriesAndNoNextPageAsSearchDoes() {
        Bundle everything = http.get("/fhir/Patient/" + patientId + "/$everything?_count=0").bundle();
        Bundle search = http.get("/fhir/Observation?_count=0").bundle();

        assertThat(everything.getEntry()).isEmpty();
        assertThat(everything.getLink("next")).isNull();
        assertThat(search.getEntry()).isEmpty();
        assertThat(search.getLink("next")).isNull();
        assertThat(http.get("/fhir/Patient/nobody/$everything?_count=0").status()).isEqualTo(404);
    }

    @Test
    void everythingPagingLinksCarryASinceWithAZoneOffsetEncoded() {
        // "+01:00" sent unencoded in a link would be read back as " 01:00".
        String since = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(1)).minusMinutes(10).toString();
        Bundle first = http.get("/fhir/Patient/" + patientId + "/$everything?_count=2&_type=Patient,Observation"
                + "&_since=" + since.replace("+", "%2B")).bundle();
        String next = first.getLink("next").getUrl();

        Response second = http.get(next.substring(next.indexOf("/fhir")));

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.bundle().getEntry()).hasSize(2)
                .allMatch(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Observation);
    }

    private static List<String> dates(Bundle b) {
        return b.getEntry().stream()
                .map(e -> ((org.hl7.fhir.r4.model.Observation) e.getResource()).getEffectiveDateTimeType().getValueAsString())
                .toList();
    }

    private static List<String> modes(Bundle b) {
        return b.getEntry().stream().map(BundleEntryComponent::getSearch).map(s -> s.getMode().toCode()).toList();
    }
}
