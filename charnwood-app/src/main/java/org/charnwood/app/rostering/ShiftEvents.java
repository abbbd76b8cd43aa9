package org.charnwood.app.rostering;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * The workforce audit of rostering: every publication, booking, cancellation, request and decision, as a row in
 * {@code rostering.shift_event} written in the same transaction as the change (so a rolled-back booking leaves no
 * event), as a {@link WorkforceEvent} published inside that transaction for the audit trail, and as a structured
 * log line. Shifts carry no patient data, so neither does the record.
 */
@Component
class ShiftEvents {

    private static final Logger log = LoggerFactory.getLogger(ShiftEvents.class);

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    ShiftEvents(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    void shift(String event, long shiftId, String practitionerId, String actor, Instant at, String detail) {
        record(event, shiftId, null, null, practitionerId, actor, at, detail);
    }

    void request(String event, long requestId, String practitionerId, String actor, Instant at, String detail) {
        record(event, null, requestId, null, practitionerId, actor, at, detail);
    }

    void roster(String event, long rosterId, String actor, Instant at, String detail) {
        record(event, null, null, rosterId, null, actor, at, detail);
    }

    private void record(String event, Long shiftId, Long requestId, Long rosterId, String practitionerId, String actor,
                        Instant at, String detail) {
        jdbc.update("""
                insert into rostering.shift_event (at, event, shift_id, request_id, roster_id, practitioner_id, actor,
                  detail) values (?, ?, ?, ?, ?, ?, ?, ?)""", Timestamp.from(at), event, shiftId, requestId, rosterId,
                practitionerId, actor, detail);
        String about = shiftId != null ? "shift " + shiftId : requestId != null ? "request " + requestId
                : "roster " + rosterId;
        events.publishEvent(new WorkforceEvent(event, about + ": " + detail, at));
        log.atInfo().setMessage("rostering event")
                .addKeyValue("event", event)
                .addKeyValue("shiftId", shiftId)
                .addKeyValue("requestId", requestId)
                .addKeyValue("rosterId", rosterId)
                .addKeyValue("practitioner", practitionerId)
                .addKeyValue("actor", actor)
                .log();
    }
}
