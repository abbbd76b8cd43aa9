package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Keeps the search-index tables in step with the current version of each resource. Called on
 * the writer's connection, inside the write's transaction, so indexes and content commit together.
 */
public interface SearchIndexWriter {

    /**
     * A resource whose index rows are to be (re)written.
     *
     * @param fresh  it has never been indexed
     * @param links  every local resource ({@code Type/id}) it refers to, itself excepted, wherever the reference
     *               is: kept with the index rows (as {@code fhir_link}) for the check that refuses deleting a
     *               resource others refer to
     */
    record Indexable(long resourcePk, boolean fresh, Resource resource, Collection<String> links) {
    }

    /** Replaces the index rows of every item with rows extracted from its resource; batched. */
    void write(Connection connection, List<Indexable> items) throws SQLException;

    /**
     * Writes the index rows of resources that have never been indexed (all {@code fresh}), for loads of
     * thousands a transaction; an implementation may use a cheaper way in than {@link #write}.
     */
    default void writeNew(Connection connection, List<Indexable> items) throws SQLException {
        write(connection, items);
    }

    /**
     * The base URLs under which the indexed resources are published: the index takes a reference under one of
     * them as local, and the write path, checking that local references resolve, must take the same view.
     */
    default ServerBase serverBase() {
        return ServerBase.none();
    }

    /** Removes every index row of a resource (it was deleted). */
    void remove(Connection connection, long resourcePk) throws SQLException;
}
