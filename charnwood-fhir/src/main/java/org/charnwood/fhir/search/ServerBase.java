package org.charnwood.fhir.search;

import java.util.List;
import java.util.Locale;

/**
 * The base URLs under which this repository's resources are published. An absolute reference
 * under one of them is a local reference, indexed and searched like {@code Type/id}; any other
 * absolute reference stays a URL.
 */
public record ServerBase(List<String> urls) {

    public ServerBase {
        urls = urls.stream().map(ServerBase::trim).toList();
    }

    public static ServerBase of(String... urls) {
        return new ServerBase(List.of(urls));
    }

    /** No base configured: only relative references are local. */
    public static ServerBase none() {
        return new ServerBase(List.of());
    }

    /** Where a reference as written in a resource or a search value points. */
    ReferenceTarget resolve(String reference) {
        if (reference == null || reference.isEmpty() || reference.charAt(0) == '#') {
            return null;
        }
        String[] parts = ReferenceTarget.split(reference);
        boolean absolute = reference.contains(":");
        if (parts != null && (parts[0].isEmpty() && !absolute || absolute && isOurs(parts[0]))) {
            return ReferenceTarget.local(parts[1], parts[2]);
        }
        // Another server's reference keeps its type when it shows one, so restrictions to a target
        // type (patient = subject.where(resolve() is Patient)) still see it; without an id it never
        // joins to a local resource.
        return absolute ? new ReferenceTarget(parts == null ? null : parts[1], null, reference) : null;
    }

    /**
     * The local resource ({@code Type/id}) a reference names, or null when it names none: a relative
     * {@code Type/id} or {@code Type/id/_history/n}, or either under one of these base URLs. The write path
     * checks these targets exist and keeps them for the delete check, so it must take an absolute reference to
     * this server as local exactly as the index does; a relative reference is taken by its shape alone, so one
     * with an unknown type is still checked (and refused) rather than let through.
     */
    public String localReference(String reference) {
        if (reference == null || reference.isEmpty() || reference.charAt(0) == '#' || reference.indexOf('?') >= 0) {
            return null;
        }
        if (reference.indexOf(':') < 0) {
            String[] parts = reference.split("/");
            return parts.length == 2 || parts.length == 4 && "_history".equals(parts[2])
                    ? parts[0] + "/" + parts[1] : null;
        }
        if (urls.isEmpty()) {
            return null;
        }
        String[] parts = ReferenceTarget.split(reference);
        return parts != null && !parts[0].isEmpty() && isOurs(parts[0]) ? parts[1] + "/" + parts[2] : null;
    }

    /**
     * What is wrong with an absolute reference to an address on this server, or null when it is not one or names a
     * resource. R4 (references.html) takes an absolute reference whose base is the server's own as a reference to
     * the resource at {@code [base]/Type/id}, or to one version at {@code [base]/Type/id/_history/version}; any other
     * address there (a search with {@code ?}, a fragment, a trailing slash, another segment, the base alone) names
     * no resource. Stored as sent it would be taken for another server's address: neither checked nor indexed, and
     * the resource missing from its subject's searches and record.
     */
    public String ownAddressProblem(String reference) {
        if (reference == null || urls.isEmpty() || reference.indexOf(':') < 0) {
            return null;
        }
        for (String url : urls) {
            if (!reference.regionMatches(true, 0, url, 0, url.length())) {
                continue;
            }
            String rest = reference.substring(url.length());
            if (!rest.isEmpty() && rest.charAt(0) != '/' && rest.charAt(0) != '?' && rest.charAt(0) != '#') {
                continue; // another address that merely begins the same (http://host/fhirplace)
            }
            if (ReferenceTarget.isResourceAddress(rest.isEmpty() ? rest : rest.substring(1))) {
                return null;
            }
            return "The reference '" + reference + "' is an address on this server (" + url + ") but names no"
                    + " resource: refer to one as " + url + "/Type/id or " + url + "/Type/id/_history/version,"
                    + " without a query, fragment or trailing slash";
        }
        return null;
    }

    private boolean isOurs(String base) {
        String b = trim(base).toLowerCase(Locale.ROOT);
        for (String url : urls) {
            if (url.equalsIgnoreCase(b)) {
                return true;
            }
        }
        return false;
    }

    private static String trim(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
