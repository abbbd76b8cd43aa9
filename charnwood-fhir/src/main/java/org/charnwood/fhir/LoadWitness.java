package org.charnwood.fhir;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A write that goes with the load of a search's page: in the same statement, so in the same round trip and the
 * same transaction. If the load fails, so does the write; if the load returns, the write has committed with it. The
 * audit trail uses it to store the record of a search as the page is read, rather than with a statement (and a
 * commit) of its own afterwards.
 *
 * <p>The statement is a data-modifying {@code WITH} query. It may read the loaded rows as
 * {@code loaded(res_pk, res_type, res_id, patient_refs)}: every resource the page and its includes return, with
 * the patients each refers to ({@link org.charnwood.fhir.compartment.PatientReferences#referredTo}).
 */
public interface LoadWitness {

    /** The statement, for example {@code insert into t (a) select ... from loaded}. */
    String sql();

    /** Binds its parameters, the first at {@code first}. */
    void bind(PreparedStatement ps, int first) throws SQLException;
}
