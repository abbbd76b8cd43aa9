package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Local accounts in PostgreSQL ({@code auth.account}). */
@Component
public class AccountStore {

    private static final RowMapper<Account> ROW = (rs, n) -> new Account(rs.getString("id"), rs.getString("username"),
            Requester.Kind.valueOf(rs.getString("kind")), rs.getString("display_name"), rs.getString("password_hash"),
            rs.getString("fhir_user"), rs.getString("patient_id"), rs.getString("nhs_number"),
            roles(rs.getString("roles")), rs.getString("organisation"), rs.getString("totp_secret"),
            rs.getBoolean("totp_required"), rs.getInt("failed_attempts"),
            rs.getTimestamp("locked_until") == null ? null : rs.getTimestamp("locked_until").toInstant(),
            rs.getBoolean("enabled"), rs.getBoolean("password_change_required"));

    private final JdbcTemplate jdbc;

    public AccountStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the account, or replaces every field of the one with the same id. */
    public void save(Account a) {
        jdbc.update("""
                insert into auth.account (id, username, kind, display_name, password_hash, fhir_user, patient_id,
                  nhs_number, roles, organisation, totp_secret, totp_required, failed_attempts, locked_until, enabled,
                  password_change_required)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (id) do update set username = excluded.username, kind = excluded.kind,
                  display_name = excluded.display_name, password_hash = excluded.password_hash,
                  fhir_user = excluded.fhir_user, patient_id = excluded.patient_id, nhs_number = excluded.nhs_number,
                  roles = excluded.roles, organisation = excluded.organisation, totp_secret = excluded.totp_secret,
                  totp_required = excluded.totp_required, failed_attempts = excluded.failed_attempts,
                  locked_until = excluded.locked_until, enabled = excluded.enabled,
                  password_change_required = excluded.password_change_required""",
                a.id(), a.username(), a.kind().name(), a.displayName(), a.passwordHash(), a.fhirUser(), a.patientId(),
                a.nhsNumber(), a.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                a.organisation(), a.totpSecret(), a.totpRequired(), a.failedAttempts(),
                a.lockedUntil() == null ? null : Timestamp.from(a.lockedUntil()), a.enabled(),
                a.passwordChangeRequired());
    }

    public Account byUsername(String username) {
        List<Account> rows = jdbc.query("select * from auth.account where lower(username) = lower(?)", ROW, username);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The account whose FHIR reference this is (a staff member's Practitioner); null when none. */
    public Account byFhirUser(String fhirUser) {
        List<Account> rows = jdbc.query("select * from auth.account where fhir_user = ? order by id limit 1", ROW,
                fhirUser);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The staff accounts for a Practitioner ({@code Practitioner/...}), oldest id first. */
    public List<Account> staffByFhirUser(String fhirUser) {
        return jdbc.query("select * from auth.account where fhir_user = ? and kind = 'STAFF' order by id", ROW,
                fhirUser);
    }

    /** Whether the account is already the sign-in of someone at the provider whose issuer this is. */
    public boolean hasFederatedIdentity(String accountId, String issuer) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from auth.federated_identity "
                + "where account_id = ? and issuer = ?)", Boolean.class, accountId, issuer));
    }

    public Account byId(String id) {
        List<Account> rows = jdbc.query("select * from auth.account where id = ?", ROW, id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public Account byNhsNumber(String nhsNumber) {
        List<Account> rows = jdbc.query("select * from auth.account where nhs_number = ? and kind = 'PATIENT'",
                ROW, nhsNumber);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public Account byFederatedIdentity(String issuer, String subject) {
        List<Account> rows = jdbc.query("""
                select a.* from auth.account a join auth.federated_identity f on f.account_id = a.id
                where f.issuer = ? and f.subject = ?""", ROW, issuer, subject);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public void linkFederatedIdentity(String issuer, String subject, String accountId) {
        jdbc.update("""
                insert into auth.federated_identity (issuer, subject, account_id) values (?, ?, ?)
                on conflict (issuer, subject) do update set account_id = excluded.account_id""",
                issuer, subject, accountId);
    }

    /**
     * Counts a failed sign-in, locking the account once {@code maxAttempts} have failed in a row. A lock that has
     * run out ({@code locked_until} at or before {@code now}) starts the count again from zero: otherwise the count
     * stays at the maximum, one wrong guess after each lock locks the account again, and anyone who knows a
     * person's username could keep them out for good.
     * <p>
     * The SET expressions read only the row being updated, never a subquery: when two wrong passwords arrive
     * together, the second update waits for the first and is then worked out again from the row the first left,
     * so both count. (A subquery would read the count as it stood when the statement began, and both would
     * write the same old count plus one.)
     */
    public void recordFailure(String id, int maxAttempts, Instant now, Instant lockUntil) {
        Timestamp at = Timestamp.from(now);
        jdbc.update("""
                update auth.account set
                  failed_attempts = case when locked_until is not null and locked_until <= ? then 1
                                         else failed_attempts + 1 end,
                  locked_until = case when (case when locked_until is not null and locked_until <= ? then 1
                                                 else failed_attempts + 1 end) >= ? then ?
                                      when locked_until > ? then locked_until end
                where id = ?""",
                at, at, maxAttempts, Timestamp.from(lockUntil), at, id);
    }

    /**
     * Links a patient's account to the record that holds their NHS number verified now ({@code patientId}), or to
     * none (null), as their latest federated sign-in found it.
     */
    public void linkRecord(String id, String patientId, String nhsNumber) {
        jdbc.update("update auth.account set patient_id = ?, fhir_user = ?, nhs_number = ? where id = ?",
                patientId, patientId == null ? null : "Patient/" + patientId, nhsNumber, id);
    }

    /** Links a member of staff's account to their Practitioner record ({@code Practitioner/...}). */
    public void linkPractitioner(String id, String fhirUser) {
        jdbc.update("update auth.account set fhir_user = ? where id = ?", fhirUser, id);
    }

    /** Enables or disables the accounts with these ids; answers how many changed. */
    public int setEnabled(java.util.Collection<String> ids, boolean enabled) {
        return jdbc.update("update auth.account set enabled = ? where id = any(?) and enabled <> ?", enabled,
                ids.toArray(String[]::new), enabled);
    }

    /** Replaces the password hash, as when one made with older Argon2 parameters is upgraded at sign-in. */
    public void updatePasswordHash(String id, String passwordHash) {
        jdbc.update("update auth.account set password_hash = ? where id = ?", passwordHash, id);
    }

    /**
     * The person's own password in place of the one an administrator gave them. Only while the change is still
     * asked for and the password is still the one they signed in with: an administrator's new password, or a
     * second tab's change, made meanwhile is not overwritten. Answers whether it was changed.
     */
    public boolean replaceGivenPassword(String id, String givenHash, String newHash) {
        return jdbc.update("""
                update auth.account set password_hash = ?, password_change_required = false
                 where id = ? and password_change_required and password_hash = ?""", newHash, id, givenHash) == 1;
    }

    public void recordSuccess(String id) {
        jdbc.update("update auth.account set failed_attempts = 0, locked_until = null where id = ?", id);
    }

    /**
     * Takes one-time-password step {@code step} for the account, once: false when that step or a later one was
     * taken already, so a code seen over someone's shoulder, or replayed, does not sign in a second time. One
     * statement, so two sign-ins racing with the same code cannot both take it.
     */
    public boolean takeTotpStep(String id, long step) {
        return jdbc.update("""
                update auth.account set totp_last_step = ?
                 where id = ? and (totp_last_step is null or totp_last_step < ?)""", step, id, step) == 1;
    }

    /** The access roles the person holds now (federated staff: as their provider said at their latest sign-in). */
    public void updateRoles(String id, Set<AccessRole> roles) {
        jdbc.update("update auth.account set roles = ? where id = ?",
                roles.stream().map(Enum::name).sorted().collect(Collectors.joining(",")), id);
    }

    public void enrolTotp(String id, String secret) {
        jdbc.update("update auth.account set totp_secret = ? where id = ?", secret, id);
    }

    private static Set<AccessRole> roles(String text) {
        Set<AccessRole> roles = EnumSet.noneOf(AccessRole.class);
        if (text != null && !text.isBlank()) {
            Arrays.stream(text.split(",")).map(String::trim).forEach(r -> roles.add(AccessRole.valueOf(r)));
        }
        return roles;
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
