package org.charnwood.app.rostering;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * The {@code rostering.staff_member} register: grade, registration and contracted hours where the trust has
 * recorded them, and who is on the bank. Being on the bank is a workforce fact, not an access right, so it lives
 * here rather than as an access role: a bank nurse signs in with the same roles as any nurse.
 */
@Component
class StaffRecords {

    /** What the register says about one person. */
    record Recorded(String practitionerId, String name, StaffGrade grade, double contractedHours, boolean bank) {
    }

    private final JdbcTemplate jdbc;

    StaffRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Recorded> find(String practitionerId) {
        return first(jdbc.query("select * from rostering.staff_member where practitioner_id = ?", (rs, n) ->
                new Recorded(rs.getString("practitioner_id"), rs.getString("display_name"),
                        new StaffGrade(rs.getInt("band"), rs.getBoolean("registered")),
                        rs.getDouble("contracted_hours"), rs.getBoolean("bank")), practitionerId));
    }

    Optional<BankMember> bankMember(String practitionerId) {
        return find(practitionerId).filter(Recorded::bank)
                .map(r -> new BankMember(r.practitionerId(), r.name(), r.grade()));
    }

    /** The bank member's row, locked until the transaction ends: one booking at a time per person. */
    Optional<BankMember> lockBankMember(String practitionerId) {
        return first(jdbc.query("select * from rostering.staff_member where practitioner_id = ? and bank for update",
                (rs, n) -> new BankMember(rs.getString("practitioner_id"), rs.getString("display_name"),
                        new StaffGrade(rs.getInt("band"), rs.getBoolean("registered"))), practitionerId));
    }

    /** Records (or updates) a person's grade, contract and bank membership. */
    void save(String practitionerId, String name, StaffGrade grade, double contractedHours, boolean bank) {
        jdbc.update("""
                insert into rostering.staff_member (practitioner_id, display_name, band, registered, contracted_hours, bank)
                values (?, ?, ?, ?, ?, ?) on conflict (practitioner_id) do update set display_name = excluded.display_name,
                  band = excluded.band, registered = excluded.registered, contracted_hours = excluded.contracted_hours,
                  bank = excluded.bank""", practitionerId, name, grade.band(), grade.registered(), contractedHours, bank);
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
}
