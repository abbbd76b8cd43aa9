package org.charnwood.app.workspace;

import org.charnwood.app.workspace.RecordSummary.Row;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Reference;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record summary's timeline of contacts: each Encounter with its reason, outcome and clinical note. The notes
 * of the most recent contacts are read with one search and matched to their contacts by {@code context.encounter},
 * so the timeline costs two reads however long it is.
 */
final class ContactTimeline {

    private static final int NOTE_SHOWN = 300;

    private ContactTimeline() {
    }

    /** The text of the patient's recent contact notes, by the contact's reference ({@code Encounter/id}). */
    static Map<String, String> notes(ClinicalRecord record, String patient, int count) {
        Map<String, String> notes = new HashMap<>();
        for (DocumentReference note : record.search("DocumentReference", DocumentReference.class, "patient", patient,
                "type", ContactCoding.SNOMED + "|" + ContactCoding.NOTE_TYPE_CODE, "_sort", "-date",
                "_count", Integer.toString(count))) {
            if (note.getContent().isEmpty() || !note.getContentFirstRep().getAttachment().hasData()) {
                continue;
            }
            String text = new String(note.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8);
            for (Reference encounter : note.getContext().getEncounter()) {
                if (encounter.hasReference()) {
                    notes.putIfAbsent(encounter.getReference(), text);
                }
            }
        }
        return notes;
    }

    static Row row(Encounter e, Map<String, String> notes) {
        String what = e.hasType() ? Text.concept(e.getTypeFirstRep()) : mechanism(e);
        String when = e.getPeriod().hasStart() ? Text.dateTime(e.getPeriod().getStart()) : "";
        StringBuilder detail = new StringBuilder();
        Extension dna = e.getExtensionByUrl(ContactCoding.DID_NOT_ATTEND_EXTENSION);
        detail.append(dna != null ? "Did not attend" : e.hasStatus() ? e.getStatus().getDisplay() : "");
        if (e.hasReasonCode()) {
            append(detail, "reason: " + Text.concept(e.getReasonCodeFirstRep()));
        }
        Extension outcome = e.getExtensionByUrl(ContactCoding.OUTCOME_EXTENSION);
        if (outcome != null && outcome.getValue() instanceof CodeableConcept concept) {
            append(detail, "outcome: " + Text.concept(concept));
        }
        String note = notes.get("Encounter/" + e.getIdElement().getIdPart());
        if (note != null) {
            append(detail, "note: " + (note.length() > NOTE_SHOWN ? note.substring(0, NOTE_SHOWN) + "…" : note));
        }
        return new Row(what, when, detail.toString());
    }

    private static String mechanism(Encounter e) {
        for (ContactCoding.Mechanism m : ContactCoding.Mechanism.values()) {
            if (ContactCoding.ACT_CODE.equals(e.getClass_().getSystem()) && m.code().equals(e.getClass_().getCode())) {
                return m.label();
            }
        }
        return e.getClass_().getDisplay();
    }

    private static void append(StringBuilder detail, String part) {
        detail.append(detail.isEmpty() ? "" : "; ").append(part);
    }

    static List<Row> rows(List<Encounter> encounters, Map<String, String> notes) {
        return encounters.stream().map(e -> row(e, notes)).toList();
    }
}
