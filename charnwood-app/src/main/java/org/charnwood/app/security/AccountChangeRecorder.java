package org.charnwood.app.security;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes the audit record of a change {@link AccountCommand} makes to an account, on the command's connection and
 * inside the change's transaction. The audit module provides it (it keeps the trail), so that accounts need not
 * know how a record is built or stored.
 */
@FunctionalInterface
public interface AccountChangeRecorder {

    /**
     * @param operator who ran the command
     * @param action   the AuditEvent action: C for a new account, U for a change
     */
    void record(Connection connection, String operator, String action, String username, String what)
            throws SQLException;
}
