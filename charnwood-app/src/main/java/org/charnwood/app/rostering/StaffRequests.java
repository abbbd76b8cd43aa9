package org.charnwood.app.rostering;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.scheduling.roster.ShiftKind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Leave and shift preference requests: staff ask, a manager approves or declines. Approved requests are what the
 * next roster plans around (leave as hard unavailability, preferences as soft wishes).
 */
@Service
public class StaffRequests {

    private static final RowMapper<StaffRequest> REQUEST = (rs, n) -> new StaffRequest(rs.getLong("id"),
            rs.getString("practitioner_id"), rs.getString("kind"), rs.getObject("first_day", LocalDate.class),
            rs.getObject("last_day", LocalDate.class),
            rs.getString("shift_kind") == null ? null : ShiftKind.valueOf(rs.getString("shift_kind")),
            rs.getString("note"), rs.getString("status"), rs.getTimestamp("requested_at").toInstant(),
            rs.getString("decided_by"));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ShiftEvents events;

    StaffRequests(JdbcTemplate jdbc, TransactionTemplate tx, ShiftEvents events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
    }

    /** Records a validated request as pending; answers its id. */
    public long request(String practitionerId, String kind, LocalDate first, LocalDate last, ShiftKind shiftKind,
                        String note, Instant now) {
        return tx.execute(status -> {
            Long id = jdbc.queryForObject("""
                    insert into rostering.staff_request (practitioner_id, kind, first_day, last_day, shift_kind, note,
                      requested_at) values (?, ?, ?, ?, ?, ?, ?) returning id""", Long.class, practitionerId, kind,
                    first, last, shiftKind == null ? null : shiftKind.name(), note, Timestamp.from(now));
            events.request("request-made", id, practitionerId, "Practitioner/" + practitionerId, now,
                    kind + " " + first + " to " + last);
            return id;
        });
    }

    public List<StaffRequest> of(String practitionerId) {
        return jdbc.query("select * from rostering.staff_request where practitioner_id = ? order by first_day desc, id",
                REQUEST, practitionerId);
    }

    public List<StaffRequest> pending() {
        return jdbc.query("select * from rostering.staff_request where status = 'PENDING' order by requested_at, id",
                REQUEST);
    }

    /** Approved requests of these people touching the period, for planning. */
    List<StaffRequest> approvedFor(List<String> practitionerIds, LocalDate first, LocalDate last) {
        if (practitionerIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select * from rostering.staff_request where status = 'APPROVED' and practitioner_id = any(?) "
                        + "and first_day <= ? and last_day >= ? order by id", REQUEST,
                practitionerIds.toArray(String[]::new), last, first);
    }

    /** Approves or declines a pending request; a request already decided is refused. */
    public void decide(long requestId, boolean approve, String decidedBy, Instant now) {
        tx.executeWithoutResult(status -> {
            List<StaffRequest> found = jdbc.query("select * from rostering.staff_request where id = ? for update",
                    REQUEST, requestId);
            if (found.isEmpty()) {
                throw BankShifts.refuse(404, ErrorCode.STAFF_REQUEST_NOT_FOUND, "There is no such request.");
            }
            StaffRequest request = found.get(0);
            if (!"PENDING".equals(request.status())) {
                throw BankShifts.refuse(409, ErrorCode.STAFF_REQUEST_ALREADY_DECIDED,
                        "This request has already been " + request.status().toLowerCase() + ".");
            }
            jdbc.update("update rostering.staff_request set status = ?, decided_by = ?, decided_at = ? where id = ?",
                    approve ? "APPROVED" : "DECLINED", decidedBy, Timestamp.from(now), requestId);
            events.request(approve ? "request-approved" : "request-declined", requestId, request.practitionerId(),
                    decidedBy, now, request.kind());
        });
    }
}
