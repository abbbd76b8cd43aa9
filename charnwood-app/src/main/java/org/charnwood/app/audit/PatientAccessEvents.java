package org.charnwood.app.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;

/**
 * The AuditEvents a patient (or a carer they share it with) is served when asking who accessed their record: one
 * per line of their "who has viewed my record" page ({@link RecordAccessHistory}), carrying only what that page
 * shows. The person is named as the trust's policy allows (else by role), with their organisation by name; the
 * only entity is the patient's own record, described in plain English; break-glass access carries its stated
 * reason. Nothing else from the trail is passed on: no account or practitioner ids, no network addresses, no query
 * text, and no other patient a search reached.
 */
public final class PatientAccessEvents {

    /** DICOM 110110 Patient Record: an access to a patient's record, the type every event served here has. */
    static final Coding PATIENT_RECORD = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110",
            "Patient Record");
    private static final Coding BREAK_GLASS = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "BTG",
            "break the glass");
    private static final Coding PROVIDER = new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV",
            "healthcare provider");
    private static final Coding PATIENT_ENTITY = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type",
            "1", "Person");
    private static final Coding PATIENT_ROLE = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1",
            "Patient");

    private PatientAccessEvents() {
    }

    /** The event for one access to {@code patientId}'s record, as the patient may see it. */
    public static AuditEvent of(RecordAccess access, String patientId, String serverName) {
        AuditEvent event = new AuditEvent();
        event.setId(access.id());
        event.setType(PATIENT_RECORD.copy());
        event.setAction(AuditEvent.AuditEventAction.fromCode(access.action()));
        event.setRecorded(Date.from(access.when()));
        event.setOutcome(access.failed() ? AuditEvent.AuditEventOutcome._8
                : access.refused() ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._0);
        if (access.refused()) {
            event.setOutcomeDesc("Refused: nothing was shown or changed");
        } else if (access.failed()) {
            event.setOutcomeDesc("Failed because of a fault in the system");
        }
        if (access.emergency()) {
            event.addPurposeOfEvent(new CodeableConcept(BREAK_GLASS.copy()).setText("Emergency access"));
        }

        AuditEventAgentComponent person = event.addAgent().setRequestor(true);
        person.getWho().setDisplay(access.who());
        person.addRole().setText(access.role());
        if (access.emergency()) {
            CodeableConcept reason = new CodeableConcept(BREAK_GLASS.copy());
            reason.setText(access.emergencyReason() == null ? "Emergency access" : access.emergencyReason());
            person.addPurposeOfUse(reason);
        }
        if (access.organisation() != null) {
            AuditEventAgentComponent organisation = event.addAgent().setRequestor(false);
            organisation.setType(new CodeableConcept(PROVIDER.copy()));
            organisation.getWho().setDisplay(access.organisation());
        }

        event.getSource().setObserver(new Reference().setDisplay(serverName));
        event.addEntity().setWhat(new Reference("Patient/" + patientId)).setType(PATIENT_ENTITY.copy())
                .setRole(PATIENT_ROLE.copy()).setDescription(access.what());
        return event;
    }
}
