package org.charnwood.fhir;

/**
 * Policies of the repository that a trust may set.
 *
 * @param refuseDanglingReferences refuse writes whose local references point at nothing
 * @param refuseDeletingReferenced refuse (409) deleting a resource that current resources reference
 * @param maxPageSize              the largest {@code _count} honoured
 * @param defaultPageSize          the page size when {@code _count} is absent
 */
public record RepositorySettings(boolean refuseDanglingReferences, boolean refuseDeletingReferenced,
                                 int maxPageSize, int defaultPageSize) {

    public static RepositorySettings defaults() {
        return new RepositorySettings(true, true, 1000, 20);
    }
}
