package org.charnwood.app.security;

import org.charnwood.app.security.web.PasswordHashing;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Provisions local accounts straight in the database, the supported way to create staff, patient and carer
 * accounts in production ({@code ./charnwood account ...}):
 * <pre>
 * account add --username=j.smith --kind=staff --name="Jo Smith" --role=REGISTERED_NURSE --practitioner=Practitioner/x
 *             [--organisation=RX1]                          prints a new random initial password, once
 * account add --username=p.jones --kind=patient --name="Pat Jones" --patient=p1 [--nhs-number=9000000009]
 * account disable --username=j.smith                        the account can no longer sign in
 * account reset-totp --username=j.smith                     the authenticator is enrolled again at the next sign-in
 * </pre>
 * The password is never taken from the command line (shell history, process list): a random one is printed for
 * the administrator to hand over. Staff enrol their authenticator at their first sign-in. Each change is committed
 * with an account administration AuditEvent naming the operating-system user who ran it. The database comes from
 * {@code --url/--user/--password} or {@code CHARNWOOD_DB_URL}, {@code CHARNWOOD_DB_USER},
 * {@code CHARNWOOD_DB_PASSWORD}. Exits 0 when done, 1 when the change is refused, 2 on bad usage.
 */
public final class AccountCommand {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Connection connection;
    private final PrintStream out;
    private final PrintStream err;
    private final String operator;
    private final AccountChangeRecorder records;

    /**
     * @param operator who runs the command (the operating-system user), named in each change's audit record
     * @param records  writes each change's audit record on {@code connection}, inside the change's transaction
     */
    public AccountCommand(Connection connection, PrintStream out, PrintStream err, String operator,
                          AccountChangeRecorder records) {
        this.connection = connection;
        this.out = out;
        this.err = err;
        this.operator = operator;
        this.records = records;
    }

    /** Carries out one command; answers the exit status. */
    public int run(String[] args) throws SQLException {
        Map<String, String> o = options(args);
        String action = args.length == 0 ? "" : args[0];
        String username = o.get("username");
        if (username == null || username.isBlank()) {
            return usage("--username is required");
        }
        return switch (action) {
            case "add" -> add(username.trim(), o);
            case "disable" -> change(username.trim(), "update auth.account set enabled = false where lower(username) = lower(?)",
                    "disabled");
            case "reset-totp" -> change(username.trim(),
                    "update auth.account set totp_secret = null, totp_last_step = null where lower(username) = lower(?)",
                    "authenticator reset; enrolled again at the next sign-in");
            default -> usage("say add, disable or reset-totp");
        };
    }

    private int add(String username, Map<String, String> o) throws SQLException {
        Requester.Kind kind;
        try {
            kind = Requester.Kind.valueOf(o.getOrDefault("kind", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return usage("--kind must be staff, patient or carer");
        }
        String name = o.get("name");
        if (name == null || name.isBlank()) {
            return usage("--name (as shown on pages) is required");
        }
        Set<AccessRole> roles = EnumSet.noneOf(AccessRole.class);
        String fhirUser;
        String patient = o.get("patient");
        switch (kind) {
            case STAFF -> {
                fhirUser = o.get("practitioner");
                if (fhirUser == null || !fhirUser.matches("Practitioner/[A-Za-z0-9\\-.]{1,64}")) {
                    return usage("staff need --practitioner=Practitioner/<id>");
                }
                try {
                    Arrays.stream(o.getOrDefault("role", "").split(",")).map(String::trim).filter(r -> !r.isEmpty())
                            .forEach(r -> roles.add(AccessRole.valueOf(r.toUpperCase(Locale.ROOT))));
                } catch (IllegalArgumentException e) {
                    return usage("--role must be one or more of " + Arrays.toString(AccessRole.values()));
                }
                if (roles.isEmpty()) {
                    return usage("staff need at least one --role");
                }
                patient = null;
            }
            case PATIENT -> {
                if (patient == null || !patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
                    return usage("patients need --patient=<Patient id>");
                }
                fhirUser = "Patient/" + patient;
            }
            case CARER -> {
                fhirUser = o.get("related-person");
                if (fhirUser == null || !fhirUser.matches("RelatedPerson/[A-Za-z0-9\\-.]{1,64}")
                        || patient == null || !patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
                    return usage("carers need --related-person=RelatedPerson/<id> and --patient=<Patient id>");
                }
            }
            default -> {
                return usage("--kind must be staff, patient or carer");
            }
        }
        String password = newPassword();
        String hash = PasswordHashing.encoder().encode(password);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement st = connection.prepareStatement("""
                insert into auth.account (id, username, kind, display_name, password_hash, fhir_user, patient_id,
                  nhs_number, roles, organisation, enabled)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true) on conflict do nothing""")) {
            st.setString(1, UUID.randomUUID().toString());
            st.setString(2, username);
            st.setString(3, kind.name());
            st.setString(4, name.trim());
            st.setString(5, hash);
            st.setString(6, fhirUser);
            st.setString(7, patient);
            st.setString(8, o.get("nhs-number"));
            st.setString(9, roles.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
            st.setString(10, kind == Requester.Kind.STAFF ? o.getOrDefault("organisation", null) : null);
            if (st.executeUpdate() == 0 || existsOtherCase(username)) {
                connection.rollback();
                err.println("an account named " + username + " exists already");
                return 1;
            }
            audit("C", username, "created " + kind.name().toLowerCase(Locale.ROOT) + " account " + fhirUser
                    + (roles.isEmpty() ? "" : " roles " + roles.stream().map(Enum::name).sorted()
                    .collect(Collectors.joining(","))));
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        out.println("created " + username + "; initial password (shown once, give it to them securely):");
        out.println(password);
        if (kind == Requester.Kind.STAFF) {
            out.println("they set up their authenticator app at their first sign-in");
        }
        return 0;
    }

    /** A username the unique index did not catch because it differs only in case (sign-in ignores case). */
    private boolean existsOtherCase(String username) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "select count(*) from auth.account where lower(username) = lower(?)")) {
            st.setString(1, username);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 1;
            }
        }
    }

    private int change(String username, String sql, String what) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, username);
            if (st.executeUpdate() != 1) {
                connection.rollback();
                err.println("no account named " + username);
                return 1;
            }
            audit("U", username, what);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        out.println(username + ": " + what);
        return 0;
    }

    private void audit(String action, String username, String what) throws SQLException {
        records.record(connection, operator, action, username, what);
    }

    private int usage(String problem) {
        err.println(problem);
        err.println("usage: ./charnwood account add --username=U --kind=staff|patient|carer --name=NAME"
                + " [--role=R1,R2 --practitioner=Practitioner/ID --organisation=ODS]"
                + " [--patient=ID --nhs-number=N] [--related-person=RelatedPerson/ID]");
        err.println("       ./charnwood account disable|reset-totp --username=U");
        return 2;
    }

    private static String newPassword() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return b.toString();
    }

    /** The {@code --name=value} options of the command line. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }
}
