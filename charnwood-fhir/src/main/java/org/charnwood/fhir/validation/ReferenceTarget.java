package org.charnwood.fhir.validation;

/** Reads the resource type a literal reference points at, where its form says so. */
final class ReferenceTarget {
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

    /** For a relative {@code X/id} reference whose X is not a resource type: X; otherwise null. */
    static String unknownRelativeType(String ref, R4Definitions defs) {
        if (ref.indexOf('?') >= 0 || PrimitiveFormats.isAbsoluteUri(ref)) {
            return null;
        }
        String[] parts = ref.split("/");
        if (parts.length == 2 || (parts.length == 4 && "_history".equals(parts[2]))) {
            return defs.isResourceType(parts[0]) ? null : parts[0];
        }
        return null;
    }
}
