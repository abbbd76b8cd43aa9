package org.charnwood.fhir.search;

import java.util.List;

/**
 * The result of a search: the page of matches and what they include.
 *
 * @param matches   primary keys of the matching resources on this page, in result order
 * @param included  primary keys of resources added by {@code _include}/{@code _revinclude}, no duplicates
 * @param total     the total number of matches, or null when not computed ({@code _total=none})
 * @param offset    offset of this page in the full result
 * @param count     page size used
 * @param hasMore   whether a further page exists
 * @param warnings  messages for the client (ignored parameters under lenient handling)
 * @param selfQuery the canonical query string of the search, without paging parameters, for links
 */
public record SearchOutcome(List<Long> matches, List<Long> included, Integer total, int offset, int count,
                            boolean hasMore, List<String> warnings, String selfQuery) {
}
