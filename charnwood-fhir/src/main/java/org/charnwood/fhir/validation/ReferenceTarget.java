package org.charnwood.fhir.validation;

import java.util.regex.Pattern;

/** Reads the resource type a literal reference points at, where its form says so. */
final class ReferenceTarget {
    /** A conditional reference, {@code Type?criteria}: a bundle resolves it, the write path refuses it elsewhere. */
    private static final Pattern CONDITIONAL = Pattern.compile("[A-Za-z]+\\?.*", Pattern.DOTALL);
    /** R4's id: up to 64 letters, digits, '-' and '.'. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private ReferenceTarget() {
    }

    /**
     * The type in {@code Type/id}, {@code Type/id/_history/v} or an absolute URL ending that way,
     * when it is an R4 resource type; null for other forms (urn:uuid:, fragments, queries).
     */
    static String impliedType(String ref, R4Definitions defs) {
        if (ref.indexOf('?') >= 0 || ref.startsWith("urn:")) {
            return null;
        }
        String[] parts = ref.split("/");
        int n = parts.length;
        if (n >= 4 && "_history".equals(parts[n - 2])) {
            n -= 2;
        }
        if (n < 2) {
            return null;
        }
        String type = parts[n - 2];
        return defs.isResourceType(type) && !parts[n - 1].isEmpty() ? type : null;
    }

    /**
     * What is wrong with a relative reference, or null when nothing is, or when it is not relative (absolute URLs,
     * {@code urn:} and {@code #} fragments are judged elsewhere). A relative reference is {@code Type/id}, or
     * {@code Type/id/_history/version} for one version (R4 references.html); {@code Type?criteria} is a conditional
     * reference, which only a bundle resolves. Any other shape (a trailing slash, a query or fragment after the id,
     * a leading slash, another segment) names no resource the server can find: stored as sent, it would be neither
     * checked nor indexed, and the resource would be missing from its subject's searches and record. A bare id with
     * no type and no slash at all, as some UK Core examples have, is still let through, unresolved, as before.
     */
    static String relativeProblem(String ref, R4Definitions defs) {
        if (ref.isEmpty() || ref.charAt(0) == '#' || ref.indexOf('/') < 0 || PrimitiveFormats.isAbsoluteUri(ref)
                || CONDITIONAL.matcher(ref).matches()) {
            return null;
        }
        String[] parts = ref.split("/", -1);
        if (parts.length == 2 || parts.length == 4 && "_history".equals(parts[2])) {
            if (!defs.isResourceType(parts[0])) {
                return "The reference '" + ref + "' does not start with a resource type ('" + parts[0]
                        + "' is not one)";
            }
            if (!ID.matcher(parts[1]).matches()) {
                return "The reference '" + ref + "' does not end in a valid id ('" + parts[1] + "' is not one: up to"
                        + " 64 letters, digits, '-' and '.')";
            }
            if (parts.length == 4 && !ID.matcher(parts[3]).matches()) {
                return "The reference '" + ref + "' does not name a valid version ('" + parts[3] + "' is not one)";
            }
            return null;
        }
        return "The reference '" + ref + "' is not a relative reference of the form Type/id or"
                + " Type/id/_history/version (nor a conditional Type?criteria), so it names no resource here";
    }
}
