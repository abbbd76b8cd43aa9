package org.charnwood.app.security.accounts;

import org.charnwood.app.audit.AccountAdministrationCommand;
import org.charnwood.app.security.AccountCommand;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

/** Runs {@code ./charnwood account ...} on the test database, as its entry point does, with its audit records. */
final class AccountCommands {

    /** What one run came to. */
    record Run(int status, String out, String err) {

        /** The random initial password a run printed (on the line after it says so). */
        String initialPassword() {
            var lines = out.lines().toList();
            for (int i = 0; i < lines.size() - 1; i++) {
                if (lines.get(i).contains("shown once")) {
                    return lines.get(i + 1);
                }
            }
            throw new IllegalStateException("no initial password printed: " + out + err);
        }
    }

    private final DataSource dataSource;

    AccountCommands(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Connection c = dataSource.getConnection()) {
            int status = new AccountCommand(c, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), "test-operator",
                    AccountAdministrationCommand::record).run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
