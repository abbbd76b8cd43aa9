package org.charnwood.fhir.validation;

/**
 * Reads the resource type a literal reference points at, where its form says so. Every reference of every resource
 * written passes through here, so the shapes are read character by character rather than by regular expressions.
 */
final class ReferenceTarget {
    /** R4's longest id. */
    private static final int ID_LENGTH = 64;

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
                || isConditional(ref)) {
            return null;
        }
        String[] parts = ref.split("/", -1);
        if (parts.length == 2 || parts.length == 4 && "_history".equals(parts[2])) {
            if (!defs.isResourceType(parts[0])) {
                return "The reference '" + ref + "' does not start with a resource type ('" + parts[0]
                        + "' is not one)";
            }
            if (!isId(parts[1])) {
                return "The reference '" + ref + "' does not end in a valid id ('" + parts[1] + "' is not one: up to"
                        + " 64 letters, digits, '-' and '.')";
            }
            if (parts.length == 4 && !isId(parts[3])) {
                return "The reference '" + ref + "' does not name a valid version ('" + parts[3] + "' is not one)";
            }
            return null;
        }
        return "The reference '" + ref + "' is not a relative reference of the form Type/id or"
                + " Type/id/_history/version (nor a conditional Type?criteria), so it names no resource here";
    }

    /** A conditional reference, {@code Type?criteria}: a bundle resolves it, the write path refuses it elsewhere. */
    static boolean isConditional(String ref) {
        int question = ref.indexOf('?');
        if (question <= 0) {
            return false;
        }
        for (int i = 0; i < question; i++) {
            char c = ref.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** R4's id: 1 to 64 letters, digits, '-' and '.'. */
    static boolean isId(String id) {
        int n = id.length();
        if (n == 0 || n > ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
