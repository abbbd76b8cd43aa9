package org.charnwood.fhir.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search as the client asked for it.
 *
 * @param resourceType the type searched, or null for a system-level search across all types
 * @param parameters   every query parameter in request order, values as sent (still URL-decoded,
 *                     comma-separated ORs not yet split)
 * @param lenient      {@code Prefer: handling=lenient}: unknown parameters and malformed values are ignored
 *                     with a warning instead of refused
 * @param conditional  the search picks the resources a conditional create, update, delete or reference acts on:
 *                     it must have at least one criterion that filters, or it would act on every resource
 */
public record SearchRequest(String resourceType, Map<String, List<String>> parameters, boolean lenient,
                            boolean conditional) {

    public SearchRequest(String resourceType, Map<String, List<String>> parameters, boolean lenient) {
        this(resourceType, parameters, lenient, false);
    }

    /**
     * A search of the type by name and value pairs, in order ({@code "status", "active", "_count", "100"}); a name
     * given twice has both values, as it would in a query string. The parameters are a map the caller may add to.
     */
    public static SearchRequest of(String resourceType, String... nameValues) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return new SearchRequest(resourceType, parameters, false);
    }

    /**
     * The same search placed at the page after {@code page} (one of this search's pages), by the paging parameter
     * that page gave for its next, as a client following next links would; null when {@code page} is the last.
     */
    public SearchRequest nextAfter(SearchOutcome page) {
        if (!page.hasMore() || page.next() == null || page.matches().isEmpty()) {
            return null;
        }
        Map<String, List<String>> next = new LinkedHashMap<>(parameters);
        if (page.page() != null && !page.page().isEmpty()) {
            next.remove(page.page().substring(0, page.page().indexOf('=')));
        }
        int equals = page.next().indexOf('=');
        next.put(page.next().substring(0, equals), List.of(page.next().substring(equals + 1)));
        return new SearchRequest(resourceType, next, lenient, conditional);
    }

    /** The search behind a conditional interaction: strict, and refused when nothing in it filters. */
    public static SearchRequest conditional(String resourceType, Map<String, List<String>> parameters) {
        return new SearchRequest(resourceType, parameters, false, true);
    }
}
