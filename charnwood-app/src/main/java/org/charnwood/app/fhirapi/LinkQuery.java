package org.charnwood.app.fhirapi;

import org.charnwood.fhir.QueryStrings;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The query string that a bundle's paging links repeat from the request. The values arrive decoded, so they are
 * percent-encoded again: a {@code +01:00} written back as it is would be read as {@code " 01:00"}.
 */
final class LinkQuery {

    private LinkQuery() {
    }

    /** The named parameters of the request, in the order named, encoded; empty when none was given. */
    static String of(Map<String, List<String>> parameters, String... names) {
        StringJoiner query = new StringJoiner("&");
        for (String name : names) {
            for (String value : parameters.getOrDefault(name, List.of())) {
                query.add(QueryStrings.encode(name) + "=" + QueryStrings.encode(value));
            }
        }
        return query.toString();
    }

    /** Query strings joined with {@code &}, leaving out empty ones. */
    static String join(String... queries) {
        StringJoiner query = new StringJoiner("&");
        for (String q : queries) {
            if (q != null && !q.isEmpty()) {
                query.add(q);
            }
        }
        return query.toString();
    }
}
