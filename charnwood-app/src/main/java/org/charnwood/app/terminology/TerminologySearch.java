package org.charnwood.app.terminology;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.ecl.EclBudget;
import org.charnwood.terminology.snomed.SearchHit;
import org.charnwood.terminology.snomed.SearchRequest;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.springframework.stereotype.Component;

import java.util.BitSet;
import java.util.List;

/**
 * Typeahead over the served SNOMED CT release, optionally inside an ECL constraint: the one engine behind the
 * pages' search endpoint and ValueSet/$expand with {@code filter}. Ranked as {@code TermSearch} ranks.
 */
@Component
public class TerminologySearch {

    private final TerminologyServer server;
    private final EclBudget budget;

    TerminologySearch(TerminologyServer server, TerminologySettings settings) {
        this.server = server;
        this.budget = settings.eclBudget();
    }

    /** The ECL budget for constraints clients send. */
    public EclBudget budget() {
        return budget;
    }

    /** Concepts whose terms match the text, best first; {@code ecl} may be null for the whole release. */
    public List<SearchHit> search(String text, String ecl, int limit, boolean includeInactive) {
        if (limit < 1 || limit > 1000) {
            throw FhirException.badRequest(ErrorCode.TERMINOLOGY_PARAMETER_MISSING, "limit must be 1 to 1000");
        }
        SnomedRelease release = server.current().requireSnomed();
        SearchRequest request = SearchRequest.of(text == null ? "" : text, limit);
        if (ecl != null && !ecl.isBlank()) {
            BitSet allowed = ImplicitValueSets.evaluate(ImplicitValueSets.parse(ecl), release, budget);
            request = request.within(allowed);
        }
        if (includeInactive) {
            request = request.includingInactive();
        }
        return release.search(request);
    }
}
