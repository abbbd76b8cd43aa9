package org.charnwood.app.workspace;

import org.charnwood.app.security.Requester;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.charnwood.app.web.FormErrors;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.server.ResponseStatusException;

import java.sql.SQLException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kind of entry the record pages add and change (a problem, an allergy, a care plan): its FHIR type, how its
 * resource names the patient, and the word the pages use for it. What every kind does alike lives here (finding
 * the patient's entry, asking the policy about an empty one, reading it again in the save's transaction, where to
 * go afterwards); each kind's pages keep only what is theirs (the form, how a new entry starts, side effects).
 */
record RecordEntryKind<R extends Resource>(String type, Class<R> model, String noun, String anchor,
                                           Function<R, Reference> patientOf, BiConsumer<R, Reference> setPatient,
                                           Supplier<R> blank) {

    static final RecordEntryKind<Condition> PROBLEM = new RecordEntryKind<>("Condition", Condition.class,
            "problem", "problems", Condition::getSubject, Condition::setSubject, Condition::new);
    static final RecordEntryKind<AllergyIntolerance> ALLERGY = new RecordEntryKind<>("AllergyIntolerance",
            AllergyIntolerance.class, "allergy", "allergies", AllergyIntolerance::getPatient,
            AllergyIntolerance::setPatient, AllergyIntolerance::new);
    static final RecordEntryKind<CarePlan> CARE_PLAN = new RecordEntryKind<>("CarePlan", CarePlan.class,
            "care plan", "care-plans", CarePlan::getSubject, CarePlan::setSubject, CarePlan::new);

    /** A new entry of the patient's, with nothing else in it yet. */
    R newFor(String patientId) {
        R resource = blank.get();
        setPatient.accept(resource, new Reference("Patient/" + patientId));
        return resource;
    }

    /**
     * An empty entry of the patient's (with the id, for a change), so the access policy can be asked before
     * anything is read or written.
     */
    R sample(String patientId, String id) {
        R sample = newFor(patientId);
        if (id != null) {
            sample.setId(id);
        }
        return sample;
    }

    /** The stored entry as the viewer may read it, when it is this patient's; otherwise "not found". */
    StoredResource stored(ClinicalRecord record, String patientId, String id) {
        return record.stored(type, id)
                .filter(s -> ("Patient/" + patientId).equals(patientOf.apply(s.parse(model)).getReference()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such " + noun));
    }

    /** The entry as it is now, read in the save's transaction and checked against the version the form carried. */
    R current(WriteSession session, String id, String version, String patientId) throws SQLException {
        return RecordWrites.current(session, type, id, version, "Patient/" + patientId, model,
                r -> patientOf.apply(r).getReference());
    }

    /** Writes the changed entry, refused if it has moved on from the version the form carried. */
    WriteResult update(WriteSession session, String id, R resource, String version) throws SQLException {
        return session.update(type, id, resource, Integer.valueOf(version.trim()));
    }

    /** Who is recording a new entry, when they are a practitioner. */
    static Reference recorder(Requester requester) {
        return requester.fhirUser() != null && requester.fhirUser().startsWith("Practitioner/")
                ? new Reference(requester.fhirUser()) : null;
    }

    /** Back to the entry's list on the record summary (post, redirect, get). */
    String summary(String patientId) {
        return "redirect:/staff/patients/" + patientId + "#" + anchor;
    }

    /** What the form says when someone else saved the entry after it was opened. */
    String changedMeanwhile() {
        return "Someone else changed this " + noun + " after you opened it, so your changes have not been saved. "
                + "What is saved now is shown below, and what you entered is still in the form: check the " + noun
                + " as it is now, then save again to make your changes to it.";
    }

    /**
     * Someone else saved the entry after the form was opened: the page says so (409), shows the entry as it is
     * stored now, and keeps what the person typed in the form, which now carries the stored version, so saving
     * again applies their changes to what they have just been shown rather than to what they first read.
     */
    void changedMeanwhile(ClinicalRecord record, String patientId, String id, RecordEntryForm typed,
                          BiFunction<R, String, ? extends RecordEntryForm> formOf, FormErrors errors, Model page) {
        StoredResource now = stored(record, patientId, id);
        String version = RecordWrites.version(now);
        errors.changedMeanwhile(changedMeanwhile());
        page.addAttribute("storedNow", formOf.apply(now.parse(model), version).storedNow());
        typed.setVersion(version);
    }
}
