package org.charnwood.app.workspace;

import org.charnwood.app.workspace.ContactForm.Contact;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Set;

/**
 * Stores a recorded contact: the Encounter (the referral clocks stop on it, see the referral contract) and, when
 * a note was written, the clinical note as a DocumentReference pointing at it, in one transaction so that a
 * contact is never stored without its note or a note without its contact.
 */
@Component
class Contacts {

    private final FhirRepository repository;

    Contacts(FhirRepository repository) {
        this.repository = repository;
    }

    /**
     * Records the contact for the patient, by {@code practitioner} (a FHIR reference; null when unknown).
     *
     * @return the new Encounter's id
     */
    String record(String patientId, Contact contact, String practitioner, Instant recordedAt) {
        // A clash with a concurrent transaction wrote nothing, so running it again is safe.
        for (int attempt = 1; ; attempt++) {
            try {
                return repository.inTransaction(session -> write(session, patientId, contact, practitioner,
                        recordedAt));
            } catch (FhirException e) {
                boolean transientClash = e.status() == 409
                        && e.outcome().getIssueFirstRep().getCode() == OperationOutcome.IssueType.TRANSIENT;
                if (!transientClash || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static String write(WriteSession session, String patientId, Contact contact, String practitioner,
                                Instant recordedAt) throws java.sql.SQLException {
        String patient = "Patient/" + patientId;
        String by = practitioner != null && session.existing(Set.of(practitioner)).contains(practitioner)
                ? practitioner : null;
        Encounter encounter = encounter(patient, contact, by);
        String encounterId = WriteSession.newId();
        session.create(encounter, encounterId);
        if (contact.note() != null) {
            session.create(note(patient, "Encounter/" + encounterId, contact, by, recordedAt));
        }
        return encounterId;
    }

    static Encounter encounter(String patient, Contact contact, String by) {
        EpisodeOfCare episode = contact.episode();
        Encounter encounter = new Encounter();
        encounter.getMeta().addProfile(ContactCoding.UK_CORE_ENCOUNTER);
        if (contact.attended()) {
            encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        } else {
            // R4 has no "did not attend" status: the contact did not happen, so it is cancelled and marked.
            encounter.setStatus(Encounter.EncounterStatus.CANCELLED);
            encounter.addExtension(ContactCoding.DID_NOT_ATTEND_EXTENSION, new BooleanType(true));
        }
        encounter.setClass_(new Coding(ContactCoding.ACT_CODE, contact.mechanism().code(),
                contact.mechanism().display));
        if (episode.hasType()) {
            encounter.setServiceType(episode.getTypeFirstRep().copy());
        }
        encounter.setSubject(new Reference(patient));
        encounter.addEpisodeOfCare(new Reference("EpisodeOfCare/" + episode.getIdElement().getIdPart()));
        if (episode.hasReferralRequest()) {
            encounter.addBasedOn(new Reference(episode.getReferralRequestFirstRep().getReference()));
        }
        if (by != null) {
            encounter.addParticipant().addType(new CodeableConcept(new Coding(
                            "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer")))
                    .setIndividual(new Reference(by));
        }
        Instant end = contact.start().plus(contact.minutes(), ChronoUnit.MINUTES);
        encounter.setPeriod(new Period().setStart(Date.from(contact.start())).setEnd(Date.from(end)));
        encounter.setLength((org.hl7.fhir.r4.model.Duration) new org.hl7.fhir.r4.model.Duration()
                .setValue(contact.minutes()).setUnit("min").setSystem("http://unitsofmeasure.org").setCode("min"));
        encounter.addReasonCode(new CodeableConcept(contact.reason().copy()).setText(contact.reason().getDisplay()));
        if (contact.outcome() != null) {
            encounter.addExtension(ContactCoding.OUTCOME_EXTENSION, new CodeableConcept(contact.outcome().copy())
                    .setText(contact.outcome().getDisplay()));
        }
        if (episode.hasManagingOrganization()) {
            encounter.setServiceProvider(episode.getManagingOrganization().copy());
        }
        return encounter;
    }

    /**
     * The clinical note: a DocumentReference with the text as a text/plain attachment and {@code context.encounter}
     * naming the contact, so it is found with the contact and also listed with the patient's documents.
     */
    static DocumentReference note(String patient, String encounter, Contact contact, String by, Instant recordedAt) {
        DocumentReference note = new DocumentReference();
        note.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        note.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
        note.setType(new CodeableConcept(new Coding(ContactCoding.SNOMED, ContactCoding.NOTE_TYPE_CODE,
                ContactCoding.NOTE_TYPE_DISPLAY)).setText("Contact note"));
        note.setSubject(new Reference(patient));
        note.setDate(Date.from(recordedAt.truncatedTo(ChronoUnit.SECONDS)));
        if (by != null) {
            note.addAuthor(new Reference(by));
        }
        note.setDescription("Contact note: " + contact.reason().getDisplay());
        note.getContext().addEncounter(new Reference(encounter));
        note.getContext().setPeriod(new Period().setStart(Date.from(contact.start())));
        note.addContent().setAttachment(new Attachment().setContentType("text/plain; charset=utf-8")
                .setLanguage("en-GB").setData(contact.note().getBytes(StandardCharsets.UTF_8))
                .setCreation(Date.from(recordedAt.truncatedTo(ChronoUnit.SECONDS))));
        return note;
    }
}
