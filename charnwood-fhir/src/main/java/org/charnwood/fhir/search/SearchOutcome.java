package org.charnwood.fhir.search;

import java.util.List;

/**
 * The result of a search: the page of matches and what they include.
 *
 * @param matches   primary keys of the matching resources on this page, in result order
 * @param included  primary keys of resources added by {@code _include}/{@code _revinclude}, no duplicates
 * @param total     the total number of matches, or null when not computed ({@code _total=none})
 * @param offset    offset of this page in the full result when it was placed by offset (0 for a page placed by a
 *                  paging token)
 * @param count     page size used
 * @param hasMore   whether a further page exists
 * @param warnings  messages for the client (ignored parameters under lenient handling)
 * @param selfQuery the canonical query string of the search, without paging parameters, for links
 * @param page      the paging parameter that placed this page ({@code _after=...}), null for the first page
 * @param next      the paging parameter of the next page, null when there is none
 * @param previous  the paging parameter of the previous page; empty when the previous page is the first (which
 *                  needs none), null when there is no previous page
 * @param includesCut whether some resources {@code _include} or {@code _revinclude} asked for were left out at the
 *                  server's limits (R4 lets a server say so with an OperationOutcome entry)
 */
public record SearchOutcome(List<Long> matches, List<Long> included, Integer total, int offset, int count,
                            boolean hasMore, List<String> warnings, String selfQuery, String page, String next,
                            String previous, boolean includesCut) {

    /** The most resources a page includes, and the most rounds of {@code :iterate}: for the client's warning. */
    public static final int MAX_INCLUDED = IncludeLoader.MAX_INCLUDED;
    public static final int MAX_INCLUDE_ROUNDS = IncludeLoader.MAX_ROUNDS;

    /** An outcome paged by offset: its links place the pages by {@code _getpagesoffset}. */
    public SearchOutcome(List<Long> matches, List<Long> included, Integer total, int offset, int count,
                         boolean hasMore, List<String> warnings, String selfQuery) {
        this(matches, included, total, offset, count, hasMore, warnings, selfQuery,
                offset > 0 ? "_getpagesoffset=" + offset : null,
                hasMore ? "_getpagesoffset=" + (offset + count) : null,
                offset > count ? "_getpagesoffset=" + (offset - count) : offset > 0 ? "" : null, false);
    }

    /** Whether there is a page before this one. */
    public boolean hasPrevious() {
        return previous != null;
    }
}
