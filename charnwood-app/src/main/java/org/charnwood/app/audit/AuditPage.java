package org.charnwood.app.audit;

import org.charnwood.fhir.StoredResource;

import java.util.List;

/**
 * A page of AuditEvents, newest first, each as stored (type {@code AuditEvent}, id = its place in the chain).
 *
 * @param hasMore whether another page follows at {@code offset + count}
 */
public record AuditPage(List<StoredResource> events, boolean hasMore, int offset, int count) {
}
