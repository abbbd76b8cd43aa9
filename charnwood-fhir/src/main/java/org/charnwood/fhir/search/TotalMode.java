package org.charnwood.fhir.search;

/**
 * How {@code Bundle.total} is worked out ({@code _total}).
 * {@link #BOUNDED} is the default: exact when the count is cheap (the whole result is on the page,
 * or there are at most {@link SqlSearchEngine#BOUNDED_TOTAL_LIMIT} matches), otherwise left out,
 * so a broad search never pays for counting a large table unless the client asks.
 */
enum TotalMode {
    NONE, ESTIMATE, ACCURATE, BOUNDED
}
