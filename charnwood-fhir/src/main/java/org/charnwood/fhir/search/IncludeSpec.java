package org.charnwood.fhir.search;

/**
 * One {@code _include} or {@code _revinclude}.
 *
 * @param reverse    true for {@code _revinclude}: resources that refer to the matches
 * @param sourceType the type holding the reference; null for {@code *}
 * @param param      the reference parameter; null for {@code *} (every reference)
 * @param rows       where the parameter's references are stored; null for {@code *}
 * @param targetType only references to this type; null for any
 * @param iterate    {@code :iterate}: also applied to resources that were themselves included
 * @param canonical  the types among its targets that references can name by canonical URL, followed by URL
 *                   ({@link CanonicalTarget}); empty when none
 */
record IncludeSpec(boolean reverse, String sourceType, String param, StoredRows rows, String targetType,
                   boolean iterate, java.util.List<CanonicalTarget> canonical) {

    /** Whether it follows canonical URLs to resources of the type. */
    boolean canonicalTo(String type) {
        return canonical.stream().anyMatch(t -> t.type().equals(type));
    }
}
