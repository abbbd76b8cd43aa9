package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.AuditEventBuilder;
import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.audit.store.AuditStore;
import org.charnwood.app.security.AccountCommand;
import org.charnwood.app.security.Requester;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./charnwood account}: runs {@link AccountCommand} straight on the database, each change committed with its
 * account administration record on the trail. The database comes from {@code --url/--user/--password} or
 * {@code CHARNWOOD_DB_URL}, {@code CHARNWOOD_DB_USER}, {@code CHARNWOOD_DB_PASSWORD}.
 */
public final class AccountAdministrationCommand {

    private AccountAdministrationCommand() {
    }

    public static void main(String[] args) throws SQLException {
        Map<String, String> options = AccountCommand.options(args);
        String url = options.getOrDefault("url", System.getenv("CHARNWOOD_DB_URL"));
        if (url == null || url.isBlank()) {
            System.err.println("give the database: --url=jdbc:postgresql://... or CHARNWOOD_DB_URL");
            System.exit(2);
        }
        try (Connection c = DriverManager.getConnection(url,
                options.getOrDefault("user", System.getenv("CHARNWOOD_DB_USER")),
                options.getOrDefault("password", System.getenv("CHARNWOOD_DB_PASSWORD")))) {
            System.exit(new AccountCommand(c, System.out, System.err, System.getProperty("user.name"),
                    AccountAdministrationCommand::record).run(args));
        }
    }

    /** The change's record (DICOM 110137, subtype account administration), appended on the command's connection. */
    public static void record(Connection connection, String operator, String action, String username, String what)
            throws SQLException {
        Requester admin = new Requester(Requester.Kind.SYSTEM, "account-command:" + operator, null, Set.of(), null,
                null, List.of(), null, null, null, null);
        AuditRecord record = new AuditEventBuilder(Instant.now(), Codes.SECURITY_ATTRIBUTES_CHANGED)
                .requester(admin, AuditEventBuilder.Direction.TO_SERVER).subtype(Codes.ACCOUNT_ADMINISTRATION)
                .action(action).outcome(0, null).detail("account " + username + " " + what).build();
        AuditStore.append(connection, List.of(record));
    }
}
