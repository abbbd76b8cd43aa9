package org.charnwood.app.audit;

import org.charnwood.app.audit.store.ChainVerifier;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies the audit hash chain straight from the database, without starting the application:
 * <pre>
 * java -cp charnwood-app.jar -Dloader.main=org.charnwood.app.audit.AuditVerifyCommand \
 *     org.springframework.boot.loader.launch.PropertiesLauncher jdbc:postgresql://host/db user password \
 *     --checkpoints=data/audit/checkpoints
 * </pre>
 * (or {@code ./charnwood audit verify}). Each {@code --checkpoints=FILE} (the servers' checkpoint files, or the
 * {@code audit checkpoint} lines of their logs) holds the chains' ends to what was published; without one, rows
 * removed from the end of a chain cannot be seen. Exits 0 when the chain is intact, 1 when a link is broken or a
 * checkpoint is no longer on its chain, 2 on bad usage. The password may instead come from {@code PGPASSWORD}.
 */
public final class AuditVerifyCommand {

    private static final String CHECKPOINTS = "--checkpoints=";

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) throws SQLException {
        List<String> positional = new ArrayList<>();
        List<Path> checkpoints = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith(CHECKPOINTS) && arg.length() > CHECKPOINTS.length()) {
                checkpoints.add(Path.of(arg.substring(CHECKPOINTS.length())));
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty() || positional.get(0).startsWith("--")) {
            System.err.println("usage: AuditVerifyCommand <jdbc-url> [user] [password] [--checkpoints=FILE ...]");
            System.exit(2);
        }
        String user = positional.size() > 1 ? positional.get(1) : System.getenv("PGUSER");
        String password = positional.size() > 2 ? positional.get(2) : System.getenv("PGPASSWORD");
        for (Path file : checkpoints) {
            if (!java.nio.file.Files.isReadable(file)) {
                System.err.println("no checkpoint file to read at " + file);
                System.exit(2);
            }
        }
        ChainVerification result;
        try (Connection c = DriverManager.getConnection(positional.get(0), user, password)) {
            result = ChainVerification.of(ChainVerifier.verify(c, checkpoints));
        }
        System.out.println(result.describe());
        System.exit(result.intact() ? 0 : 1);
    }
}
