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

    /**
     * An import's record names only the patients of what it stored, so each version's patients are noted as it is
     * written and its content is not kept: a large migration would otherwise hold every resource it sent in memory
     * until it commits. Only a change outside any request keeps it, for the record of its own it gets.
     */
    @Override
    public WrittenResource imported(WrittenResource version) {
        if (!trail.enabled()) {
            return version.withoutJson();
        }
        AuditScope scope = trail.current();
        if (scope == null || !scope.importing()) {
            return version;
        }
        scope.imported(version);
        return version.withoutJson();
    }
}
