package org.charnwood.fhir.search;

import java.util.List;

/**
 * A search request read and checked: what to match, in what order, which page, and what to add.
 *
 * @param resourceType the type searched, null for a system-level search
 * @param where        every condition, all of which must hold
 * @param sort         sort keys in priority order (empty: by storage order)
 * @param count        page size; 0 asks for the total only
 * @param summaryCount {@code _summary=count}
 * @param warnings     parameters ignored under lenient handling
 * @param selfQuery    the canonical query string, without paging parameters
 * @param cursor       the result the page starts after or ends before ({@code _after}, {@code _before}); null
 *                     for a page placed by offset
 */
record SearchQuery(String resourceType, Criterion where, List<SortKey> sort, List<IncludeSpec> includes,
                   int count, int offset, TotalMode total, boolean summaryCount, List<String> warnings,
                   String selfQuery, PageCursor cursor) {
}
