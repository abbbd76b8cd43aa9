package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search across the types {@code _type} names takes any parameter they all define (R4 search.html#all), with
 * sorting, paging, totals and includes as a search of one type has them.
 */
class SystemSearchIntegrationTests extends CharnwoodIntegrationTest {

    @BeforeEach
    void peopleCalledSmithAndOthers() {
        practitioner("gp-okafor", "Okafor");
        practitioner("pr-smith", "Smith");
        practitioner("pr-smithy", "Smithy");
        patient("pa-smithers", "Smithers", "gp-okafor");
        patient("pa-smithson", "Smithson", null);
        patient("pa-jones", "Jones", null);
    }

    @Test
    void aParameterEveryNamedTypeDefinesSearchesThemAllAndSortsByIt() {
        Bundle b = http.get("/fhir?_type=Patient,Practitioner&name=smith&_sort=name&_total=accurate").bundle();

        assertThat(b.getTotal()).isEqualTo(4);
        assertThat(ids(b)).containsExactly("Practitioner/pr-smith", "Patient/pa-smithers", "Patient/pa-smithson",
                "Practitioner/pr-smithy");
        assertThat(ids(http.get("/fhir?_type=Patient,Practitioner&name=smith&_sort=-name").bundle()))
                .containsExactly("Practitioner/pr-smithy", "Patient/pa-smithson", "Patient/pa-smithers",
                        "Practitioner/pr-smith");
    }

    @Test
    void pagesFollowTheirNextLinksToTheEnd() {
        Bundle first = http.get("/fhir?_type=Patient,Practitioner&name=smith&_sort=name&_count=3").bundle();

        assertThat(ids(first)).hasSize(3);
        String next = first.getLink("next").getUrl();
        assertThat(next).contains("_type=Patient").contains("name=smith").contains("_sort=name");
        Bundle second = http.get(next.substring(next.indexOf("/fhir"))).bundle();
        assertThat(ids(second)).containsExactly("Practitioner/pr-smithy");
        assertThat(second.getLink("next")).isNull();
    }

    @Test
    void aSearchByPostWithTheSameFormMatchesTheSame() {
        Response byPost = http.post("/fhir/_search", "_type=Patient,Practitioner&name=smith&_sort=name",
                "application/x-www-form-urlencoded");

        assertThat(byPost.status()).as(byPost.body()).isEqualTo(200);
        assertThat(ids(byPost.bundle())).containsExactlyElementsOf(
                ids(http.get("/fhir?_type=Patient,Practitioner&name=smith&_sort=name").bundle()));
    }

    @Test
    void includesAreAddedAsForASearchOfOneType() {
        Bundle b = http.get("/fhir?_type=Patient,Practitioner&name=smithers&_include=Patient:general-practitioner")
                .bundle();

        assertThat(b.getEntry()).extracting(e -> e.getSearch().getMode().toCode() + " "
                        + e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                .containsExactly("match Patient/pa-smithers", "include Practitioner/gp-okafor");
    }

    @Test
    void aParameterOneOfTheTypesLacksIsRefusedUnlessHandlingIsLenient() {
        Response strict = http.get("/fhir?_type=Patient,Practitioner&name=smith&birthdate=1950");
        Response lenient = http.get("/fhir?_type=Patient,Practitioner&name=smith&birthdate=1950",
                "Prefer", "handling=lenient");
        Response sort = http.get("/fhir?_type=Patient,Practitioner&_sort=birthdate");

        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.outcome().getIssueFirstRep().getDiagnostics()).contains("'birthdate'")
                .contains("Practitioner");
        assertThat(lenient.status()).isEqualTo(200);
        assertThat(lenient.bundle().getEntry()).anyMatch(e -> e.getResource() instanceof OperationOutcome oo
                && oo.getIssueFirstRep().getDiagnostics().contains("birthdate"));
        assertThat(ids(lenient.bundle())).hasSize(4);
        assertThat(sort.status()).isEqualTo(400);
        assertThat(sort.outcome().getIssueFirstRep().getDiagnostics()).contains("birthdate").contains("Practitioner");
    }

    @Test
    void withoutTypeOnlyTheParametersOfEveryResourceAreTaken() {
        Response r = http.get("/fhir?name=smith");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("name").contains("_type");
        assertThat(ids(http.get("/fhir?_id=pa-jones,pr-smith&_sort=_id").bundle()))
                .containsExactly("Patient/pa-jones", "Practitioner/pr-smith");
    }

    @Test
    void theCapabilityStatementDescribesTheSystemSearch() {
        CapabilityStatement cs = http.get("/fhir/metadata").resource(CapabilityStatement.class);

        assertThat(cs.getRestFirstRep().getSearchParam()).extracting(p -> p.getName())
                .contains("_id", "_lastUpdated", "_tag", "_type");
    }

    private void patient(String id, String family, String gp) {
        Patient p = new Patient();
        p.setId(id);
        p.addName().setFamily(family);
        if (gp != null) {
            p.addGeneralPractitioner(new Reference("Practitioner/" + gp));
        }
        assertThat(http.putJson("/fhir/Patient/" + id, p).status()).isEqualTo(201);
    }

    private void practitioner(String id, String family) {
        Practitioner p = new Practitioner();
        p.setId(id);
        p.addName().setFamily(family);
        assertThat(http.putJson("/fhir/Practitioner/" + id, p).status()).isEqualTo(201);
    }

    private static List<String> ids(Bundle b) {
        List<String> ids = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            if (e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH) {
                ids.add(e.getResource().getIdElement().toUnqualifiedVersionless().getValue());
            }
        }
        return ids;
    }
}
