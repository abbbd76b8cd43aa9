package org.charnwood.app.audit.balp;

import java.time.Instant;
import java.util.List;

/**
 * An AuditEvent ready to be appended to the chain: the searched fields and the body that is stored, the facts
 * the AuditEvent is rendered from ({@link EventFacts}). The AuditEvent's id is the row's place in the chain,
 * known only when it is appended (see {@link #json(long)}).
 *
 * @param type     {@code system|code} of AuditEvent.type
 * @param subtype  code of the first subtype
 * @param who      the requesting agent (fhirUser reference, else account or client id)
 * @param purpose  purposeOfEvent codes, space-separated; null when none
 * @param patients the Patient ids the event names, sorted and distinct
 * @param body     the event's facts, as stored
 */
public record AuditRecord(Instant recorded, String type, String subtype, String action, int outcome, String who,
                          String purpose, List<String> patients, String body) {

    public AuditRecord {
        patients = List.copyOf(patients);
    }

    /** The AuditEvent JSON, with its id. */
    public String json(long seq) {
        return AuditEventBuilder.json(seq, body);
    }

    public String patientList() {
        return String.join(",", patients);
    }
}
