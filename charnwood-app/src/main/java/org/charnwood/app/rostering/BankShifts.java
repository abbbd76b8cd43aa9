package org.charnwood.app.rostering;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.scheduling.roster.ShiftKind;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The staff bank: vacant shifts offered to bank staff, booking and cancelling them.
 *
 * <p><b>Exactly one person gets the last place.</b> A booking runs in one READ COMMITTED transaction that first
 * locks the booker's own {@code staff_member} row, then the shift's row ({@code SELECT ... FOR UPDATE}), checks
 * every rule against committed data and only then takes the place. Two people after the same place queue on the
 * shift's row lock; the second reads the place as booked once the first commits and is refused. Locking the
 * person first serialises one person's own bookings, so two simultaneous bookings of overlapping shifts by the
 * same person cannot both pass the rest check. A unique index on (person, start) backs this up. Locks are always
 * taken person first, shift second, so bookings cannot deadlock each other. See docs/rostering.md.
 */
@Service
public class BankShifts {

    static final RowMapper<Shift> SHIFT = (rs, n) -> new Shift(rs.getLong("id"), rs.getString("care_team_id"),
            rs.getString("unit_name"), rs.getObject("shift_date", LocalDate.class),
            ShiftKind.valueOf(rs.getString("kind")), rs.getTimestamp("starts_at").toInstant(),
            rs.getTimestamp("ends_at").toInstant(), rs.getBoolean("senior_required"),
            rs.getString("practitioner_id"), rs.getString("status"));
    static final String COLUMNS = "id, care_team_id, unit_name, shift_date, kind, starts_at, ends_at, senior_required, "
            + "practitioner_id, status";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final StaffRecords staff;
    private final ShiftEvents events;
    private final RosteringSettings settings;

    BankShifts(JdbcTemplate jdbc, TransactionTemplate tx, StaffRecords staff, ShiftEvents events,
               RosteringSettings settings) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.staff = staff;
        this.events = events;
        this.settings = settings;
    }

    /** Vacant places not yet started that this bank member is qualified for, soonest first. */
    public List<Shift> vacanciesFor(String practitionerId, Instant now) {
        BankMember member = staff.bankMember(practitionerId).orElse(null);
        if (member == null) {
            return List.of();
        }
        return jdbc.query("select " + COLUMNS + " from rostering.shift where status = 'VACANT' and starts_at > ?"
                        + (member.grade().senior() ? "" : " and not senior_required") + " order by starts_at, id",
                SHIFT, Timestamp.from(now));
    }

    /** The person's own shifts (rostered and booked) that have not ended, soonest first. */
    public List<Shift> shiftsOf(String practitionerId, Instant now) {
        return jdbc.query("select " + COLUMNS + " from rostering.shift where practitioner_id = ? and status in "
                + "('ROSTERED', 'BOOKED') and ends_at > ? order by starts_at", SHIFT, practitionerId, Timestamp.from(now));
    }

    public boolean isBankStaff(String practitionerId) {
        return staff.bankMember(practitionerId).isPresent();
    }

    /** Whether a booked shift may still be cancelled at {@code now} under the notice policy. */
    public boolean cancellable(Shift shift, Instant now) {
        return "BOOKED".equals(shift.status()) && !now.plus(settings.cancelNotice()).isAfter(shift.startsAt());
    }

    public Duration cancelNotice() {
        return settings.cancelNotice();
    }

    /** Books a vacant place for a bank member, or refuses with the rule it would break. */
    public Shift book(String practitionerId, long shiftId, Instant now) {
        return tx.execute(status -> {
            BankMember member = staff.lockBankMember(practitionerId).orElseThrow(() -> refuse(403,
                    ErrorCode.SHIFT_NOT_BANK_STAFF, "Only staff on the bank can book bank shifts."));
            Shift shift = lockShift(shiftId);
            if (!"VACANT".equals(shift.status())) {
                throw refuse(409, ErrorCode.SHIFT_TAKEN, "This shift has already been booked by someone else.");
            }
            if (!shift.startsAt().isAfter(now)) {
                throw refuse(409, ErrorCode.SHIFT_ALREADY_STARTED, "This shift has already started.");
            }
            if (shift.seniorRequired() && !member.grade().senior()) {
                throw refuse(422, ErrorCode.SHIFT_NOT_QUALIFIED, "This shift needs a registered nurse of band 6 or "
                        + "above to lead it.");
            }
            checkRest(practitionerId, shift);
            checkNights(practitionerId, shift);
            try {
                jdbc.update("update rostering.shift set status = 'BOOKED', practitioner_id = ?, booked_at = ? "
                        + "where id = ? and status = 'VACANT'", practitionerId, Timestamp.from(now), shiftId);
            } catch (DuplicateKeyException e) {
                throw refuse(409, ErrorCode.SHIFT_DOUBLE_BOOKED, "You already work a shift starting at that time.");
            }
            events.shift("shift-booked", shiftId, practitionerId, "Practitioner/" + practitionerId, now,
                    shift.unit() + " " + shift.date() + " " + shift.kind());
            return lockShift(shiftId);
        });
    }

    /** Gives a booked place back to the bank, if it is the caller's and far enough ahead. */
    public void cancel(String practitionerId, long shiftId, Instant now) {
        tx.executeWithoutResult(status -> {
            Shift shift = lockShift(shiftId);
            if (!"BOOKED".equals(shift.status()) || !practitionerId.equals(shift.practitionerId())) {
                throw refuse(409, ErrorCode.SHIFT_NOT_BOOKED_BY_CALLER, "You have not booked this shift.");
            }
            if (!cancellable(shift, now)) {
                throw refuse(409, ErrorCode.SHIFT_NOTICE_TOO_SHORT, "This shift starts in less than "
                        + hours(settings.cancelNotice()) + ": it can no longer be cancelled here. Call the ward.");
            }
            jdbc.update("update rostering.shift set status = 'VACANT', practitioner_id = null, booked_at = null "
                    + "where id = ?", shiftId);
            events.shift("shift-cancelled", shiftId, practitionerId, "Practitioner/" + practitionerId, now,
                    shift.unit() + " " + shift.date() + " " + shift.kind());
        });
    }

    private Shift lockShift(long shiftId) {
        List<Shift> found = jdbc.query("select " + COLUMNS + " from rostering.shift where id = ? and status <> 'DRAFT' "
                + "for update", SHIFT, shiftId);
        if (found.isEmpty()) {
            throw refuse(404, ErrorCode.SHIFT_NOT_FOUND, "There is no such shift.");
        }
        return found.get(0);
    }

    /** At least the minimum rest between this shift and every other shift the person works; no overlap at all. */
    private void checkRest(String practitionerId, Shift shift) {
        Duration rest = settings.minimumRest();
        List<Shift> near = jdbc.query("select " + COLUMNS + " from rostering.shift where practitioner_id = ? "
                        + "and status in ('ROSTERED', 'BOOKED') and starts_at < ? and ends_at > ?", SHIFT, practitionerId,
                Timestamp.from(shift.endsAt().plus(rest)), Timestamp.from(shift.startsAt().minus(rest)));
        for (Shift other : near) {
            if (other.startsAt().isBefore(shift.endsAt()) && other.endsAt().isAfter(shift.startsAt())) {
                throw refuse(409, ErrorCode.SHIFT_DOUBLE_BOOKED, "You already work " + other.kindLabel().toLowerCase()
                        + " on " + other.dayText() + " (" + other.hoursText() + "), which overlaps this shift.");
            }
            throw refuse(422, ErrorCode.SHIFT_REST_BROKEN, "You work " + other.kindLabel().toLowerCase() + " on "
                    + other.dayText() + " (" + other.hoursText() + "): this shift would leave less than "
                    + hours(rest) + " of rest between them.");
        }
    }

    /** The nights in a row around this one, counting it, may not exceed the limit. */
    private void checkNights(String practitionerId, Shift shift) {
        if (shift.kind() != ShiftKind.NIGHT) {
            return;
        }
        int limit = settings.maxConsecutiveNights();
        Set<LocalDate> nights = new HashSet<>(jdbc.queryForList("select shift_date from rostering.shift where "
                        + "practitioner_id = ? and kind = 'NIGHT' and status in ('ROSTERED', 'BOOKED') "
                        + "and shift_date between ? and ?", LocalDate.class, practitionerId,
                shift.date().minusDays(limit), shift.date().plusDays(limit)));
        int run = 1;
        for (LocalDate d = shift.date().minusDays(1); nights.contains(d); d = d.minusDays(1)) {
            run++;
        }
        for (LocalDate d = shift.date().plusDays(1); nights.contains(d); d = d.plusDays(1)) {
            run++;
        }
        if (run > limit) {
            throw refuse(422, ErrorCode.SHIFT_TOO_MANY_NIGHTS, "This would be " + run + " nights in a row; the most "
                    + "allowed is " + limit + ".");
        }
    }

    static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }

    static FhirException refuse(int status, ErrorCode code, String message) {
        return FhirException.of(status, code, status == 404 ? IssueType.NOTFOUND
                : status == 403 ? IssueType.FORBIDDEN : status == 409 ? IssueType.CONFLICT : IssueType.BUSINESSRULE,
                message);
    }

    /** The plain-English message of a refusal, for a page's error summary. */
    public static String message(FhirException e) {
        String diagnostics = e.outcome().getIssueFirstRep().getDiagnostics();
        return diagnostics == null ? e.getMessage() : diagnostics;
    }
}
