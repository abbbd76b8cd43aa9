package org.charnwood.app.audit;

import org.charnwood.fhir.StoredResource;

import java.util.List;

/**
 * A page of AuditEvents, newest first, each as stored (type {@code AuditEvent}, id = its place in the chain).
 *
 * @param hasMore  whether another page follows at {@code offset + count}
 * @param total    how many events match, when the search asked for it ({@code _count=0}, {@code _summary=count},
 *                 {@code _total}); else null
 * @param warnings parameters left out under lenient handling
 * @param upTo     the newest event the search's pages show ({@code AuditQuery.UP_TO}), for its paging links; null
 *                 when no event was read
 */
public record AuditPage(List<StoredResource> events, boolean hasMore, int offset, int count, Integer total,
                        List<String> warnings, Long upTo) {

    public AuditPage(List<StoredResource> events, boolean hasMore, int offset, int count) {
        this(events, hasMore, offset, count, null, List.of(), null);
    }
}
