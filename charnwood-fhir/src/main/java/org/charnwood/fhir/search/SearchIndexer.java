package org.charnwood.fhir.search;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the index tables in step with the current version of each resource: extracts the values of
 * every search parameter of the resource's type ({@link SearchParameterRegistry#indexed}) and writes
 * them, with the resource's reference links and the removal of the previous version's rows, in one
 * statement per call.
 */
public final class SearchIndexer implements SearchIndexWriter {

    private final IndexValues values;
    private final IndexTableWriter writer = new IndexTableWriter();
    private final ServerBase serverBase;

    public SearchIndexer(SearchParameterRegistry registry, ServerBase serverBase) {
        this.values = new IndexValues(registry, serverBase);
        this.serverBase = serverBase;
    }

    @Override
    public ServerBase serverBase() {
        return serverBase;
    }

    @Override
    public void write(Connection connection, List<Indexable> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        IndexRows rows = new IndexRows();
        List<Long> stale = new ArrayList<>();
        for (Indexable item : items) {
            if (!item.fresh()) {
                stale.add(item.resourcePk());
            }
            values.collect(item.resourcePk(), item.resource(), rows);
            rows.addLinks(item.resourcePk(), item.links());
        }
        writer.write(connection, stale, rows);
    }

    /** As {@link #write} for never-indexed resources, but each table's rows go in with one {@code COPY}. */
    @Override
    public void writeNew(Connection connection, List<Indexable> items) throws SQLException {
        IndexRows rows = new IndexRows();
        for (Indexable item : items) {
            if (!item.fresh()) {
                throw new IllegalArgumentException("writeNew takes never-indexed resources only");
            }
            values.collect(item.resourcePk(), item.resource(), rows);
            rows.addLinks(item.resourcePk(), item.links());
        }
        IndexCopy.copy(connection, rows);
    }

    @Override
    public void remove(Connection connection, long resourcePk) throws SQLException {
        writer.write(connection, List.of(resourcePk), new IndexRows());
    }
}
