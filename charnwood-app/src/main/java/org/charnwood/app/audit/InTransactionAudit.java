package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.app.audit.store.AuditStore;
import org.charnwood.fhir.TransactionListener;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes the audit records of a write transaction into that transaction, just before it commits: the
 * change and its record commit together or not at all. It also keeps AuditEvents out of the clinical
 * store, whatever path a write takes (a bundle entry, an import): the audit trail is written only here.
 */
final class InTransactionAudit implements TransactionListener {

    private final AuditTrail trail;

    InTransactionAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void beforeCommit(Connection connection, List<WrittenResource> changes) throws SQLException {
        for (WrittenResource w : changes) {
            if ("AuditEvent".equals(w.type())) {
                throw AuditLog.readOnly();
            }
        }
        if (!trail.enabled()) {
            return;
        }
        AuditScope scope = trail.current();
        List<AuditRecord> records = scope == null ? AuditScope.internalChanges(trail, changes) : scope.changes(changes);
        AuditStore.append(connection, records);
    }
}
