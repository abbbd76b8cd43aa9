package org.charnwood.app.audit;

import org.charnwood.app.audit.store.ChainVerifier;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Verifies the audit hash chain straight from the database, without starting the application:
 * <pre>
 * java -cp charnwood-app.jar -Dloader.main=org.charnwood.app.audit.AuditVerifyCommand \
 *     org.springframework.boot.loader.launch.PropertiesLauncher jdbc:postgresql://host/db user password
 * </pre>
 * (or {@code ./charnwood audit verify}). Exits 0 when the chain is intact, 1 when a link is broken, 2 on
 * bad usage. The password may instead come from {@code PGPASSWORD}.
 */
public final class AuditVerifyCommand {

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 1) {
            System.err.println("usage: AuditVerifyCommand <jdbc-url> [user] [password]");
            System.exit(2);
        }
        String user = args.length > 1 ? args[1] : System.getenv("PGUSER");
        String password = args.length > 2 ? args[2] : System.getenv("PGPASSWORD");
        ChainVerification result;
        try (Connection c = DriverManager.getConnection(args[0], user, password)) {
            result = ChainVerification.of(ChainVerifier.verify(c));
        }
        System.out.println(result.describe());
        System.exit(result.intact() ? 0 : 1);
    }
}
