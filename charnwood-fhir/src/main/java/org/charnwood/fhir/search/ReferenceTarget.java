package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirContexts;

import java.util.Set;

/**
 * What a reference points at, as the index stores it: a local resource ({@code type} and
 * {@code id}) or, for anything else (another server, a canonical URL, an unresolved urn), the
 * reference as written in {@code url}.
 */
record ReferenceTarget(String type, String id, String url) {

    private static final Set<String> TYPES = FhirContexts.r4().getResourceTypes();

    static ReferenceTarget local(String type, String id) {
        return new ReferenceTarget(type, id, null);
    }

    static ReferenceTarget external(String url) {
        return new ReferenceTarget(null, null, url);
    }

    boolean isLocal() {
        return id != null;
    }

    /**
     * Type and id from a relative ({@code Type/id}, {@code Type/id/_history/n}) or absolute reference,
     * whatever its base; null when the value has no {@code Type/id} tail.
     */
    static ReferenceTarget parseAny(String value) {
        String[] tail = typeAndId(value);
        return tail == null ? null : new ReferenceTarget(tail[0], tail[1], value.contains(":") ? value : null);
    }

    /**
     * Splits a reference into {@code [base, type, id]} with base "" for relative references, or null
     * when it does not end in a known resource type and a valid id (optionally with a version).
     */
    static String[] split(String value) {
        if (value == null || value.isEmpty() || value.charAt(0) == '#') {
            return null;
        }
        String v = value;
        int bar = v.indexOf('|');
        if (bar >= 0) {
            v = v.substring(0, bar);
        }
        int history = v.indexOf("/_history/");
        if (history >= 0) {
            v = v.substring(0, history);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        int idSlash = v.lastIndexOf('/');
        if (idSlash <= 0) {
            return null;
        }
        int typeSlash = v.lastIndexOf('/', idSlash - 1);
        String type = v.substring(typeSlash + 1, idSlash);
        String id = v.substring(idSlash + 1);
        if (!TYPES.contains(type) || !validId(id)) {
            return null;
        }
        return new String[] {typeSlash < 0 ? "" : v.substring(0, typeSlash), type, id};
    }

    /** Whether a path is {@code Type/id} or {@code Type/id/_history/version}, with an R4 type and valid ids. */
    static boolean isResourceAddress(String path) {
        String[] parts = path.split("/", -1);
        return (parts.length == 2 || parts.length == 4 && "_history".equals(parts[2]) && validId(parts[3]))
                && TYPES.contains(parts[0]) && validId(parts[1]);
    }

    private static String[] typeAndId(String value) {
        String[] parts = split(value);
        return parts == null ? null : new String[] {parts[1], parts[2]};
    }

    static boolean validId(String id) {
        if (id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
