package org.charnwood.fhir.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Where a page of search results starts: just after ({@code _after}) or just before ({@code _before}) one result,
 * named by its sort key values and its resource key. Paging by key rather than by offset keeps the pages of a
 * result set whole while it changes between them: a match deleted from an earlier page does not pull a later one
 * back out of sight, and a match created ahead of the reader does not push one already read onto the next page.
 *
 * <p>The token is opaque to clients but says only what it looks like it says: the values are those of the result
 * it was cut at, read back as bound values, and the query's own parameters still decide what matches.
 *
 * @param before true for {@code _before}: the page ends just before the result; false for {@code _after}
 * @param values the result's sort key values in {@code _sort} order, as text; null where it has none
 * @param key    the result's resource key, the last tie-breaker of every order
 */
record PageCursor(boolean before, List<String> values, long key) {

    static final String AFTER = "_after";
    static final String BEFORE = "_before";

    /** The paging parameter, name and token, that asks for this page, e.g. {@code _after=...}. */
    String parameter() {
        return (before ? BEFORE : AFTER) + "=" + token();
    }

    private String token() {
        StringBuilder s = new StringBuilder().append(key);
        for (String value : values) {
            // Length-prefixed, so that no value can be mistaken for a separator; '-' marks no value.
            s.append(value == null ? "|-" : "|" + value.length() + ":" + value);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token back; {@link IllegalArgumentException} when it is not one this server wrote. */
    static PageCursor parse(String token, boolean before) {
        String s;
        try {
            s = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
        int bar = s.indexOf('|');
        long key;
        try {
            key = Long.parseLong(bar < 0 ? s : s.substring(0, bar));
        } catch (NumberFormatException e) {
            throw notOurs();
        }
        List<String> values = new ArrayList<>();
        int at = bar;
        while (at >= 0 && at < s.length()) {
            if (s.charAt(at) != '|' || at + 1 >= s.length()) {
                throw notOurs();
            }
            if (s.charAt(at + 1) == '-') {
                values.add(null);
                at += 2;
                continue;
            }
            int colon = s.indexOf(':', at);
            if (colon < 0) {
                throw notOurs();
            }
            int length;
            try {
                length = Integer.parseInt(s.substring(at + 1, colon));
            } catch (NumberFormatException e) {
                throw notOurs();
            }
            if (length < 0 || colon + 1 + length > s.length()) {
                throw notOurs();
            }
            values.add(s.substring(colon + 1, colon + 1 + length));
            at = colon + 1 + length;
        }
        return new PageCursor(before, Collections.unmodifiableList(values), key);
    }

    private static IllegalArgumentException notOurs() {
        return new IllegalArgumentException("not a paging token from one of this server's links; follow the links"
                + " of the search's bundle, or start again from its first page");
    }
}
