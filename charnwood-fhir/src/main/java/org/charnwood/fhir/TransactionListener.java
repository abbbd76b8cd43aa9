package org.charnwood.fhir;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Told about every write transaction just before it commits, on the transaction's own connection, so
 * that what it writes (an audit record, say) commits or rolls back together with the change. It runs
 * after every check has passed; throwing refuses the whole transaction. Called only when something
 * was written.
 */
@FunctionalInterface
public interface TransactionListener {

    /** A listener that does nothing. */
    TransactionListener NONE = (connection, changes) -> { };

    /**
     * @param connection the transaction's connection (auto-commit off); do not commit or close it
     * @param changes    the versions written in this transaction, in the order they were written
     */
    void beforeCommit(Connection connection, List<WrittenResource> changes) throws SQLException;

    /**
     * Told of each version a bulk import writes ({@link WriteSession#importAll}) as it is written, on the writing
     * thread; returns what the transaction keeps of it for {@link #beforeCommit}. A listener that takes what it
     * needs of the content now may return the version {@link WrittenResource#withoutJson() without its JSON}, so
     * that an import of hundreds of thousands of resources does not hold every one of them in memory until it
     * commits. By default the version is kept whole.
     */
    default WrittenResource imported(WrittenResource version) {
        return version;
    }

    /**
     * One version written in the transaction.
     *
     * @param json  the stored JSON of the version; for a delete, that of the version it deleted, so that a
     *              listener can still tell whose data it was; null for an imported version the listener chose to
     *              keep without it ({@link #imported})
     * @param patch whether the version was made by applying a JSON Patch (the method is then UPDATE)
     */
    record WrittenResource(String type, String id, int version, ChangeMethod method, String json, boolean patch) {

        public WrittenResource(String type, String id, int version, ChangeMethod method, String json) {
            this(type, id, version, method, json, false);
        }

        WrittenResource patched() {
            return new WrittenResource(type, id, version, method, json, true);
        }

        /** The same version without its content ({@code json} null), once a listener has taken what it needs. */
        public WrittenResource withoutJson() {
            return new WrittenResource(type, id, version, method, null, patch);
        }
    }
}
