package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search's next and previous links over HTTP while the result set changes between pages: each page is placed by
 * the result it follows or precedes, so a match deleted or created meanwhile neither hides nor repeats another.
 */
class SearchPagingIntegrationTests extends CharnwoodIntegrationTest {

    private List<String> sixRecords() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            ids.add(basic("pg" + i));
        }
        return ids;
    }

    private String basic(String value) {
        clock.advance(Duration.ofSeconds(1));
        return http.post("/fhir/Basic", """
                {"resourceType":"Basic","identifier":[{"system":"urn:test","value":"%s"}],"code":{"text":"paging"}}"""
                .formatted(value), "application/fhir+json").resource(org.hl7.fhir.r4.model.Basic.class)
                .getIdElement().getIdPart();
    }

    @Test
    void aMatchDeletedFromAnEarlierPageDoesNotHideOneFromTheNext() {
        List<String> ids = sixRecords();
        Bundle first = http.get("/fhir/Basic?identifier=urn:test%7C&_count=3").bundle();
        assertThat(ids(first)).containsExactlyElementsOf(ids.subList(0, 3));

        assertThat(http.delete("/fhir/Basic/" + ids.get(0)).status()).isIn(200, 204);
        Bundle second = follow(first, "next");

        assertThat(ids(second)).containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(second.getLink("next")).isNull();
        assertThat(second.getTotal()).isEqualTo(5);
        assertThat(ids(follow(second, "previous"))).containsExactlyElementsOf(ids.subList(1, 3));
    }

    @Test
    void aMatchCreatedAheadOfTheReaderDoesNotRepeatOneAlreadyRead() {
        List<String> ids = sixRecords();
        Bundle first = http.get("/fhir/Basic?identifier=urn:test%7C&_sort=-_lastUpdated&_count=3").bundle();
        assertThat(ids(first)).containsExactly(ids.get(5), ids.get(4), ids.get(3));

        basic("pg7");
        Bundle second = follow(first, "next");

        assertThat(ids(second)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void pagesSortedByAParameterWithTiesAndMissingValuesAreWholeAndInOrder() {
        // Three share a value, one has none: ties break on the resource and those without a value come last.
        List<String> ids = new ArrayList<>();
        for (String family : new String[]{"Bell", "Adams", "Bell", null, "Bell", "Cole"}) {
            clock.advance(Duration.ofSeconds(1));
            String name = family == null ? "" : ",\"name\":[{\"family\":\"" + family + "\"}]";
            ids.add(http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"gender\":\"female\"" + name + "}",
                    "application/fhir+json").resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart());
        }
        List<String> expected = List.of(ids.get(1), ids.get(0), ids.get(2), ids.get(4), ids.get(5), ids.get(3));
        List<String> read = new ArrayList<>();
        Bundle page = http.get("/fhir/Patient?gender=female&_sort=family&_count=2").bundle();
        List<Bundle> pages = new ArrayList<>();
        while (true) {
            pages.add(page);
            read.addAll(ids(page));
            if (page.getLink("next") == null) {
                break;
            }
            page = follow(page, "next");
        }
        assertThat(read).containsExactlyElementsOf(expected);

        List<String> backwards = new ArrayList<>(ids(page));
        while (page.getLink("previous") != null) {
            page = follow(page, "previous");
            backwards.addAll(0, ids(page));
        }
        assertThat(backwards).containsExactlyElementsOf(expected);
        assertThat(http.get("/fhir/Patient?gender=female&_sort=given&_count=2&_after=bm90IG91cnM").status())
                .isEqualTo(400);
    }

    @Test
    void linksAreURIsThatAskForTheSameSearchWhenFollowedAsTheyAre() {
        // '|' is not a URI character; '&', '+', '#', '%' and a space mean something else in a query left as they are.
        String odd = "r&d+1 #2%";
        List<String> ids = List.of(basic(odd), basic(odd), basic("r"));
        Bundle first = http.get("/fhir/Basic?identifier=urn:test%7Cr%26d%2B1%20%232%25&_count=1").bundle();
        assertThat(ids(first)).containsExactly(ids.get(0));
        for (Bundle.BundleLinkComponent link : first.getLink()) {
            assertThat(link.getUrl()).as(link.getRelation()).doesNotContain("|").contains("urn:test%7Cr%26d%2B1%20%232%25");
            assertThat(java.net.URI.create(link.getUrl()).getRawQuery()).isNotNull();
        }
        Bundle second = follow(first, "next");
        assertThat(ids(second)).containsExactly(ids.get(1));
        assertThat(second.getLink("next")).isNull();
        assertThat(ids(follow(second, "self"))).containsExactly(ids.get(1));
        assertThat(ids(follow(second, "previous"))).containsExactly(ids.get(0));
    }

    @Test
    void aPagingTokenCutUnderAnotherSortOrEditedIsRefusedAsNotATokenForTheSearch() {
        for (int day = 1; day <= 3; day++) {
            assertThat(http.post("/fhir/Observation", ("{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"pulse\"},\"effectiveDateTime\":\"2024-01-0%d\","
                    + "\"valueQuantity\":{\"value\":7%d}}").formatted(day, day), "application/fhir+json").status())
                    .isEqualTo(201);
        }
        String byDate = http.get("/fhir/Observation?_sort=date&_count=1").bundle().getLink("next").getUrl();
        java.util.regex.Matcher after = java.util.regex.Pattern.compile("_after=([^&]+)").matcher(byDate);
        assertThat(after.find()).isTrue();
        String dateToken = after.group(1);
        String byValue = "/fhir/Observation?_sort=value-quantity&_count=1&_after=";
        // The date token does follow a search sorted by date.
        assertThat(http.get("/fhir/Observation?_sort=date&_count=1&_after=" + dateToken).status()).isEqualTo(200);

        var crossed = http.get(byValue + dateToken);
        var edited = http.get(byValue + token("1|3:abc"));
        var impossibleDate = http.get("/fhir/Observation?_sort=date&_count=1&_after="
                + token("1|22:2024-02-31 00:00:00+00"));
        var hugeNumber = http.get(byValue + token("1|9:1e9999999"));

        for (var refused : List.of(crossed, edited, impossibleDate, hugeNumber)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("not a paging token for this search");
        }
    }

    private static String token(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Bundle follow(Bundle bundle, String relation) {
        String url = bundle.getLink(relation).getUrl();
        var response = http.get(url.substring(url.indexOf("/fhir")));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.bundle();
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> "match".equals(e.getSearch().getMode().toCode()))
                .map(BundleEntryComponent::getResource).map(r -> r.getIdElement().getIdPart()).toList();
    }
}
