package org.charnwood.fhir.bundle;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Finds the placeholders ({@code urn:uuid:}, {@code urn:oid:}) that stand as whole values in a conditional URL's
 * criteria, such as {@code practitioner=urn:uuid:...} in an If-None-Exist, so that they can be replaced by the
 * {@code Type/id} their entry resolved to before the search runs. Left as written, such a criterion matches
 * nothing and every retry of the bundle would create again. A placeholder inside a token
 * ({@code identifier=urn:oid:1.2.3|X}) is a system, not a reference, and is left alone.
 */
final class ConditionalPlaceholders {

    private ConditionalPlaceholders() {
    }

    /**
     * The query with each whole-value placeholder replaced by what {@code resolve} gives for it (null leaves it
     * as written); {@code resolve} throws to refuse one.
     */
    static String resolve(String query, UnaryOperator<String> resolve) {
        if (query == null || !query.toLowerCase(Locale.ROOT).contains("urn")) {
            return query;
        }
        StringBuilder out = new StringBuilder();
        String[] parameters = query.split("&", -1);
        for (int p = 0; p < parameters.length; p++) {
            if (p > 0) {
                out.append('&');
            }
            String parameter = parameters[p];
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                out.append(parameter);
                continue;
            }
            out.append(parameter, 0, equals + 1);
            String[] values = parameter.substring(equals + 1).split(",", -1);
            for (int v = 0; v < values.length; v++) {
                if (v > 0) {
                    out.append(',');
                }
                String placeholder = placeholder(values[v]);
                String target = placeholder == null ? null : resolve.apply(placeholder);
                out.append(target == null ? values[v] : target);
            }
        }
        return out.toString();
    }

    /** The value as a placeholder (colons may be percent-encoded), or null when it is not one on its own. */
    private static String placeholder(String value) {
        String decoded = value.replace("%3A", ":").replace("%3a", ":");
        String lower = decoded.toLowerCase(Locale.ROOT);
        boolean placeholder = (lower.startsWith("urn:uuid:") || lower.startsWith("urn:oid:"))
                && decoded.indexOf('|') < 0 && decoded.indexOf('%') < 0;
        return placeholder ? decoded : null;
    }
}
