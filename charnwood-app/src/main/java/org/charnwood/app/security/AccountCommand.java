package org.charnwood.app.security;

import org.charnwood.app.security.accounts.DemoAccountIds;
import org.charnwood.app.security.web.PasswordHashing;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * account disable j.smith                                   the account can no longer sign in, nor its apps use it
 * account enable j.smith                                    it can sign in again; a lockout is cleared
 * account password j.smith                                  prints a new random initial password, once
 * account reset-totp j.smith                                the authenticator is enrolled again at the next sign-in
 * </pre>
 * Disabling, a new password and a reset authenticator each end the account's signed-in sessions on every running
 * server within a second, and any sign-in of it still half-finished.
 * The username may be given as {@code --username=j.smith} too. The password is never taken from the command line
 * (shell history, process list): a random one is printed for the administrator to hand over, and the person
 * chooses their own at the sign-in that follows. Staff enrol their authenticator at their first sign-in. The demo
 * accounts, whose password is published, are neither enabled nor given a password here (demo mode enables them).
 * Each change is committed with an account administration AuditEvent naming the operating-system user who ran it. The database comes from
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
        if ((username == null || username.isBlank()) && args.length > 1 && !args[1].startsWith("--")) {
            username = args[1];
        }
        if (username == null || username.isBlank()) {
            return usage("give the account's username");
        }
        return switch (action) {
            case "add" -> add(username.trim(), o);
            case "disable" -> change(username.trim(), "update auth.account set enabled = false where lower(username) = lower(?)",
                    "disabled; its sessions and every app's access to it ended", ENDS_APP_GRANTS[0], ENDS_APP_GRANTS[1],
                    endsSessions("account disabled"));
            case "enable" -> enable(username.trim());
            case "password" -> password(username.trim());
            case "reset-totp" -> change(username.trim(),
                    "update auth.account set totp_secret = null, totp_last_step = null where lower(username) = lower(?)",
                    "authenticator reset; its sessions ended; enrolled again at the next sign-in",
                    endsSessions("authenticator reset by an administrator"));
            default -> usage("say add, disable, enable, password or reset-totp");
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
                  nhs_number, roles, organisation, enabled, password_change_required)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, true) on conflict do nothing""")) {
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
        out.println("they choose their own password at their first sign-in");
        if (kind == Requester.Kind.STAFF) {
            out.println("they set up their authenticator app at their first sign-in");
        }
        return 0;
    }

    /**
     * Lets a disabled account sign in again, and clears a lockout from too many failed sign-ins (the person who
     * asks for their account back usually wants both). Says which it did.
     */
    private int enable(String username) throws SQLException {
        return inTransaction(said -> {
            AccountState state = state(username);
            if (state == null) {
                err.println("no account named " + username);
                return 1;
            }
            if (DemoAccountIds.ALL.contains(state.id())) {
                err.println(username + " is a demo account, whose password is published: only demo mode enables it");
                return 1;
            }
            List<String> did = new ArrayList<>();
            did.add(state.enabled() ? "was enabled already" : "enabled");
            if (state.lockedUntil() != null && state.lockedUntil().isAfter(Instant.now())) {
                did.add("lockout cleared (it was locked until " + state.lockedUntil().truncatedTo(
                        ChronoUnit.SECONDS) + ")");
            } else if (state.failedAttempts() > 0) {
                did.add("count of failed sign-ins cleared (" + state.failedAttempts() + ")");
            } else {
                did.add("it was not locked");
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "update auth.account set enabled = true, failed_attempts = 0, locked_until = null where id = ?")) {
                st.setString(1, state.id());
                st.executeUpdate();
            }
            String what = String.join("; ", did);
            audit("U", username, what);
            said.add(username + ": " + what);
            return 0;
        });
    }

    /**
     * A new random initial password, for a person who has forgotten theirs: the old one stops working, a lockout is
     * cleared, and they choose their own password at their next sign-in. A disabled account stays disabled.
     */
    private int password(String username) throws SQLException {
        String password = newPassword();
        String hash = PasswordHashing.encoder().encode(password);
        return inTransaction(said -> {
            AccountState state = state(username);
            if (state == null) {
                err.println("no account named " + username);
                return 1;
            }
            if (DemoAccountIds.ALL.contains(state.id())) {
                err.println(username + " is a demo account: it keeps the published demo password");
                return 1;
            }
            if (!state.hasPassword()) {
                err.println(username + " signs in through an external identity provider and has no password here");
                return 1;
            }
            try (PreparedStatement st = connection.prepareStatement("""
                    update auth.account set password_hash = ?, password_change_required = true, failed_attempts = 0,
                      locked_until = null where id = ?""")) {
                st.setString(1, hash);
                st.setString(2, state.id());
                st.executeUpdate();
            }
            try (PreparedStatement st = connection.prepareStatement(
                    endsSessions("new password given by an administrator"))) {
                st.setString(1, username);
                st.executeUpdate();
            }
            audit("U", username, "given a new initial password; its sessions ended; lockout cleared;"
                    + " to choose their own at the next sign-in");
            said.add(username + ": new initial password (shown once, give it to them securely):");
            said.add(password);
            said.add("the old password no longer works and anyone signed in with it is signed out; any lockout"
                    + " is cleared; they choose their own password at their next sign-in");
            if (!state.enabled()) {
                said.add("the account is disabled: ./charnwood account enable " + username + " lets them sign in");
            }
            return 0;
        });
    }

    /** What the account commands need to know of an account before changing it, its row locked meanwhile. */
    private record AccountState(String id, boolean enabled, int failedAttempts, Instant lockedUntil,
                                boolean hasPassword) {
    }

    private AccountState state(String username) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                select id, enabled, failed_attempts, locked_until, password_hash is not null
                  from auth.account where lower(username) = lower(?) for update""")) {
            st.setString(1, username);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                var locked = rs.getTimestamp(4);
                return new AccountState(rs.getString(1), rs.getBoolean(2), rs.getInt(3),
                        locked == null ? null : locked.toInstant(), rs.getBoolean(5));
            }
        }
    }

    /**
     * A change that answers an exit status: committed when it answers 0, rolled back otherwise. What it
     * {@code said} is printed once committed, so a new password is never shown for a change that did not happen.
     */
    @FunctionalInterface
    private interface Change {
        int run(List<String> said) throws SQLException;
    }

    private int inTransaction(Change change) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            List<String> said = new ArrayList<>();
            int status = change.run(said);
            if (status == 0) {
                connection.commit();
                said.forEach(out::println);
            } else {
                connection.rollback();
            }
            return status;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
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

    /**
     * What disabling an account does besides: the apps it signed in to lose their grants, and their access tokens
     * are revoked (the running server reads {@code auth.revoked_access_token} within a second), so an app does not
     * go on reading as the person for the rest of its token's hour. Each statement takes the username.
     */
    private static final String[] ENDS_APP_GRANTS = {
            """
            insert into auth.revoked_access_token (token_hash, expires_at)
            select g.access_hash, g.expires_at from auth.authorization g join auth.account a on a.id = g.principal
            where lower(a.username) = lower(?) and g.access_hash is not null
            on conflict (token_hash) do nothing""",
            """
            delete from auth.authorization g using auth.account a
            where a.id = g.principal and lower(a.username) = lower(?)"""};

    /**
     * Ends the account's signed-in sessions, for the {@code reason} recorded with each sign-out: the sessions live in
     * the running servers' memory, which read {@code auth.account_ending} within a second and end every session of
     * the account signed in before it (and any sign-in still waiting for its second factor or a new password), so a
     * leaver, or someone whose password was reset because it was known to others, is not left working in an open
     * browser until a timeout. Takes the username. The reason is one of ours, never typed in.
     */
    private static String endsSessions(String reason) {
        return "insert into auth.account_ending (account_id, reason) select id, '" + reason.replace("'", "''")
                + "' from auth.account where lower(username) = lower(?)";
    }

    /** Runs {@code sql} on the one account named, then each of {@code then}, with its audit record, as one change. */
    private int change(String username, String sql, String what, String... then) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, username);
            if (st.executeUpdate() != 1) {
                connection.rollback();
                err.println("no account named " + username);
                return 1;
            }
            for (String next : then) {
                try (PreparedStatement more = connection.prepareStatement(next)) {
                    more.setString(1, username);
                    more.executeUpdate();
                }
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
        err.println("       ./charnwood account disable|enable|password|reset-totp U");
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
