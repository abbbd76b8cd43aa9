package org.charnwood.app.workspace;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.charnwood.app.workspace.ContactFixture.*;

/**
 * Recording a contact over HTTP as a signed-in nurse: what is stored (the Encounter the referral clocks stop on,
 * and its note), what the record summary then shows, each kind of bad input (shown again, nothing stored), terms
 * resolved on the server without scripts, and the access policy's refusal.
 */
class ContactPagesIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    CareRelationships relationships;

    @Autowired
    Contacts contacts;

    private HttpClient nurse;
    private LocalDate yesterday;

    @BeforeEach
    void aPatientWithAnOpenEpisode() {
        ContactFixture.load(http, clock.instant());
        relationships.forgetAll();
        nurse = signedIn(tokens, WARD_NURSE);
        yesterday = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/London")).minusDays(1);
    }

    private Map<String, String> valid() {
        Map<String, String> form = new HashMap<>();
        form.put("episode", "e1");
        form.put("day", Integer.toString(yesterday.getDayOfMonth()));
        form.put("month", Integer.toString(yesterday.getMonthValue()));
        form.put("year", Integer.toString(yesterday.getYear()));
        form.put("time", "10:15");
        form.put("duration", "30");
        form.put("mechanism", "HH");
        form.put("attendance", "attended");
        form.put("reasonTerm", FINDING_TERM);
        form.put("reasonCode", "");
        form.put("outcomeTerm", RAISED_MARKER_TERM);
        form.put("outcomeCode", "");
        form.put("note", "Wound dressed. Healing well.\nReview in a week.");
        return form;
    }

    private HttpResponse<String> post(HttpClient browser, Map<String, String> form) {
        String page = body(tokens.get(browser, url("/staff/patients/p1/contacts/new")), 200);
        Map<String, String> sent = new HashMap<>(form);
        sent.put("_csrf", csrf(page));
        return tokens.postForm(browser, url("/staff/patients/p1/contacts"), sent, true);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private List<Encounter> contactsStored() {
        return http.get("/fhir/Encounter?patient=Patient/p1&status=finished,cancelled").bundle().getEntry().stream()
                .map(e -> (Encounter) e.getResource()).toList();
    }

    private List<DocumentReference> notesStored() {
        return http.get("/fhir/DocumentReference?patient=Patient/p1&type=http://snomed.info/sct%7C371531000").bundle()
                .getEntry().stream().map(e -> (DocumentReference) e.getResource()).toList();
    }

    @Test
    void recordsAnAttendedContactAsAnEncounterWithItsNoteAndShowsItOnTheSummary() {
        HttpResponse<String> saved = post(nurse, valid());
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith("/staff/patients/p1/contacts/recorded");
        String confirmation = body(tokens.get(nurse, url("/staff/patients/p1/contacts/recorded")), 200);
        assertThat(confirmation).contains("Contact saved", "Face to face at home", FINDING_TERM, RAISED_MARKER_TERM);

        List<Encounter> stored = contactsStored();
        assertThat(stored).hasSize(1);
        Encounter contact = stored.get(0);
        assertThat(contact.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(contact.getClass_().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActCode");
        assertThat(contact.getClass_().getCode()).isEqualTo("HH");
        assertThat(contact.getEpisodeOfCareFirstRep().getReference()).isEqualTo("EpisodeOfCare/e1");
        assertThat(contact.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/r1");
        assertThat(contact.getParticipantFirstRep().getIndividual().getReference()).isEqualTo("Practitioner/staff-001");
        assertThat(contact.getServiceProvider().getReference()).isEqualTo("Organization/trust-r9c");
        assertThat(contact.getServiceType().getText()).isEqualTo("Inpatient care");
        assertThat(contact.getPeriod().getStart().toInstant())
                .isEqualTo(yesterday.atTime(10, 15).atZone(ZoneId.of("Europe/London")).toInstant());
        assertThat(contact.getPeriod().getEnd().toInstant())
                .isEqualTo(yesterday.atTime(10, 45).atZone(ZoneId.of("Europe/London")).toInstant());
        assertThat(contact.getLength().getValue().intValue()).isEqualTo(30);
        assertThat(contact.getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo(FINDING);
        CodeableConcept outcome = (CodeableConcept) contact.getExtensionByUrl(ContactCoding.OUTCOME_EXTENSION).getValue();
        assertThat(outcome.getCodingFirstRep().getCode()).isEqualTo(RAISED_MARKER);

        List<DocumentReference> notes = notesStored();
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).getContext().getEncounterFirstRep().getReference())
                .isEqualTo("Encounter/" + contact.getIdElement().getIdPart());
        assertThat(new String(notes.get(0).getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8))
                .isEqualTo("Wound dressed. Healing well.\nReview in a week.");

        String summary = body(tokens.get(nurse, url("/staff/patients/p1")), 200);
        assertThat(summary).contains("reason: " + FINDING_TERM, "outcome: " + RAISED_MARKER_TERM,
                "note: Wound dressed. Healing well.");
    }

    @Test
    void recordsAContactThePatientDidNotAttendWithoutAnOutcomeOrNote() {
        Map<String, String> form = valid();
        form.put("attendance", "did-not-attend");
        form.put("outcomeTerm", "");
        form.put("note", "");
        form.put("mechanism", "AMB");
        assertThat(post(nurse, form).statusCode()).isEqualTo(302);
        Encounter contact = contactsStored().get(0);
        assertThat(contact.getStatus()).isEqualTo(Encounter.EncounterStatus.CANCELLED);
        assertThat(contact.getExtensionByUrl(ContactCoding.DID_NOT_ATTEND_EXTENSION)).isNotNull();
        assertThat(contact.getExtensionByUrl(ContactCoding.OUTCOME_EXTENSION)).isNull();
        assertThat(notesStored()).isEmpty();
        assertThat(body(tokens.get(nurse, url("/staff/patients/p1")), 200)).contains("Did not attend");
    }

    @Test
    void showsEveryProblemKeepsWhatWasTypedAndStoresNothing() {
        Map<String, String> form = valid();
        form.put("episode", "");
        form.put("day", "31");
        form.put("month", "2");
        form.put("time", "25:00");
        form.put("duration", "half an hour");
        form.remove("mechanism");
        form.remove("attendance");
        form.put("reasonTerm", "qqqzzz nothing like this");
        form.put("outcomeTerm", "");
        form.put("note", "x".repeat(ContactForm.NOTE_LIMIT + 1));
        String page = body(post(nurse, form), 422);
        assertThat(page).contains("<title>Error: Record a contact", "There is a problem",
                "Select the episode of care the contact belongs to",
                "Date of the contact must be a real date",
                "Duration must be a whole number of minutes",
                "Select how the contact took place",
                "Select whether the patient attended",
                "No reason for the contact matches &quot;qqqzzz nothing like this&quot;",
                "Enter the outcome of the contact",
                "Clinical note must be 10000 characters or fewer");
        assertThat(page).contains("value=\"half an hour\"", "value=\"qqqzzz nothing like this\"", "value=\"31\"");
        assertThat(contactsStored()).isEmpty();
        assertThat(notesStored()).isEmpty();
    }

    @Test
    void refusesAContactInTheFutureOrBeforeTheEpisodeBegan() {
        Map<String, String> future = valid();
        LocalDate tomorrow = yesterday.plusDays(2);
        future.put("day", Integer.toString(tomorrow.getDayOfMonth()));
        future.put("month", Integer.toString(tomorrow.getMonthValue()));
        future.put("year", Integer.toString(tomorrow.getYear()));
        assertThat(body(post(nurse, future), 422)).contains("must be now or in the past");

        Map<String, String> early = valid();
        LocalDate before = episodeStart(clock.instant()).minusDays(1);
        early.put("day", Integer.toString(before.getDayOfMonth()));
        early.put("month", Integer.toString(before.getMonthValue()));
        early.put("year", Integer.toString(before.getYear()));
        assertThat(body(post(nurse, early), 422)).contains("must be on or after the episode of care started");

        Map<String, String> tooLong = valid();
        tooLong.put("duration", "0");
        tooLong.put("time", "");
        assertThat(body(post(nurse, tooLong), 422)).contains("Duration must be between 1 and 720 minutes",
                "Enter the time the contact started");
        assertThat(contactsStored()).isEmpty();
    }

    @Test
    void aTermWithSeveralMatchesIsOfferedToChooseFromAndTheChoiceIsSaved() {
        Map<String, String> form = valid();
        form.put("reasonTerm", "synthetic gland disorder type");
        String page = body(post(nurse, form), 422);
        assertThat(page).contains("Choose the reason for the contact from the matches", "name=\"reasonChoice\"",
                "Synthetic gland disorder type alpha");
        assertThat(contactsStored()).isEmpty();

        form.put("reasonChoice", "10159999999102");
        assertThat(post(nurse, form).statusCode()).isEqualTo(302);
        assertThat(contactsStored().get(0).getReasonCodeFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("10159999999102");
    }

    @Test
    void aCodeChosenByTheTypeaheadIsUsedButOnlyInsideTheConstraint() {
        Map<String, String> form = valid();
        form.put("reasonTerm", "");
        form.put("reasonCode", BODY_STRUCTURE);
        assertThat(body(post(nurse, form), 422)).contains("Enter the reason for the contact");

        form.put("reasonCode", FINDING);
        assertThat(post(nurse, form).statusCode()).isEqualTo(302);
        assertThat(contactsStored().get(0).getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo(FINDING);
    }

    @Test
    void aNurseWithoutARelationshipMayNotRecordAContact() {
        HttpClient other = signedIn(tokens, OTHER_NURSE);
        HttpResponse<String> page = tokens.get(other, url("/staff/patients/p1/contacts/new"));
        assertThat(page.statusCode()).isEqualTo(403);
        // She is told why, as the other record forms tell her, not that she cannot use the page.
        assertThat(page.body()).contains("You do not have a care relationship with this patient")
                .doesNotContain("You cannot use this page");
        String summary = body(tokens.get(other, url("/staff/patients/p1")), 200);
        Map<String, String> form = new HashMap<>(valid());
        form.put("_csrf", csrf(summary));
        HttpResponse<String> refused = tokens.postForm(other, url("/staff/patients/p1/contacts"), form, true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("You do not have a care relationship with this patient",
                "Nothing you entered has been saved", "Wound dressed.");
        assertThat(contactsStored()).isEmpty();
        assertThat(notesStored()).isEmpty();
    }

    @Test
    void aContactIsNeverStoredWithoutItsNote() {
        EpisodeOfCare episode = http.get("/fhir/EpisodeOfCare/e1").resource(EpisodeOfCare.class);
        ContactForm.Contact contact = new ContactForm.Contact(episode, clock.instant().minusSeconds(3600), 20,
                ContactCoding.Mechanism.HH, true, new Coding("http://snomed.info/sct", FINDING, FINDING_TERM), null,
                "A note that cannot be stored");
        // The note is stored after the Encounter, in the same transaction; a note that fails (here, its recording
        // time cannot be written) must take the Encounter with it.
        assertThatThrownBy(() -> contacts.record("p1", contact, "Practitioner/staff-001",
                Instant.parse("+10000-01-01T00:00:00Z"))).isInstanceOf(RuntimeException.class);
        assertThat(contactsStored()).isEmpty();
        assertThat(notesStored()).isEmpty();
    }
}
