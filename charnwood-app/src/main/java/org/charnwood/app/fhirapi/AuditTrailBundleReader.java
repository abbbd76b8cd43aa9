package org.charnwood.app.fhirapi;

import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.bundle.BundleReader;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * GET entries of a transaction or batch: AuditEvent is answered by the audit trail's own read and search
 * ({@link AuditEventInteractions}, with its role checks and its audit), never by the clinical store, which holds
 * no AuditEvents; every other type by {@code clinical}.
 */
final class AuditTrailBundleReader implements BundleReader {

    private final BundleReader clinical;
    private final AuditEventInteractions auditEvents;
    private final FhirCall call;

    AuditTrailBundleReader(BundleReader clinical, AuditEventInteractions auditEvents, FhirCall call) {
        this.clinical = clinical;
        this.auditEvents = auditEvents;
        this.call = call;
    }

    @Override
    public Resource read(WriteSession session, String type, String id) throws SQLException {
        return "AuditEvent".equals(type) ? auditEvents.readEntry(call, id) : clinical.read(session, type, id);
    }

    @Override
    public Resource vread(WriteSession session, String type, String id, int version) throws SQLException {
        if ("AuditEvent".equals(type)) {
            // An AuditEvent never changes: its one version is 1.
            if (version != 1) {
                throw org.charnwood.fhir.FhirException.of(404, org.charnwood.fhir.ErrorCode.VERSION_NOT_FOUND,
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND,
                        "AuditEvent/" + id + " has no version " + version);
            }
            return auditEvents.readEntry(call, id);
        }
        return clinical.vread(session, type, id, version);
    }

    @Override
    public Bundle search(WriteSession session, String type, Map<String, List<String>> parameters)
            throws SQLException {
        return "AuditEvent".equals(type) ? auditEvents.searchEntry(call, parameters)
                : clinical.search(session, type, parameters);
    }
}
