package org.charnwood.app.audit;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paging through the audit trail over HTTP: every search records an event of its own, newest first, so pages placed
 * by offset alone would shift by one on each fetch; the links hold the trail at the first page's newest event.
 */
class AuditEventPagingIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void followingNextNeitherRepeatsNorSkipsEventsWhileEachFetchIsAudited() {
        for (int i = 0; i < 7; i++) {
            assertThat(http.get("/fhir/Patient?family=Nobody" + i).status()).isEqualTo(200);
        }
        Bundle page = http.get("/fhir/AuditEvent?_count=3").bundle();
        List<String> seen = new ArrayList<>(ids(page));
        long newest = Long.parseLong(seen.get(0));
        int pages = 1;
        while (page.getLink("next") != null && pages < 10) {
            // Another user's activity between pages, as well as the reader's own audited search.
            assertThat(http.get("/fhir/Patient?family=Meanwhile").status()).isEqualTo(200);
            String next = page.getLink("next").getUrl();
            page = http.get(next.substring(next.indexOf("/fhir"))).bundle();
            seen.addAll(ids(page));
            pages++;
        }

        assertThat(seen).doesNotHaveDuplicates();
        // Every event up to the first page's newest, in order, and none recorded after it.
        Bundle whole = http.get("/fhir/AuditEvent?_upto=" + newest + "&_count=" + seen.size()).bundle();
        assertThat(ids(whole)).containsExactlyElementsOf(seen);
        String previous = page.getLink("previous").getUrl();
        Bundle back = http.get(previous.substring(previous.indexOf("/fhir"))).bundle();
        assertThat(ids(back)).containsExactlyElementsOf(seen.subList(seen.size() - ids(page).size() - 3,
                seen.size() - ids(page).size()));
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }
}
