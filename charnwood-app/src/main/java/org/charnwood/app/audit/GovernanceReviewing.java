package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.PatientDataShown;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the information governance officer's two reviews, of emergency access and of identity confirmations at
 * triage, do alike on their pages: only a reviewer may open them; the patients shown, read from the review list
 * rather than the repository, are named in the page's audit record, and a refused look names its patient too; and a
 * review is recorded only with a plain note, the review service's refusals said beside it.
 */
@Component
final class GovernanceReviewing {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.UK);

    /** How a review's save ended. */
    enum Outcome {
        /** The review is recorded. */
        RECORDED,
        /** Not recorded: the note or the officer was refused, as the errors say. */
        REFUSED,
        /** Not recorded: someone else reviewed it meanwhile, so what is shown must be read again. */
        REVIEWED_MEANWHILE
    }

    private final RequesterSource requesters;
    private final TrailNames people;
    private final ApplicationEventPublisher events;

    GovernanceReviewing(RequesterSource requesters, FhirRepository repository, ApplicationEventPublisher events) {
        this.requesters = requesters;
        this.people = new TrailNames(repository);
        this.events = events;
    }

    /** The signed-in reviewer; 403 with {@code refusal} for anyone whose role does not include the review. */
    Requester requireReviewer(HttpServletRequest request, String refusal) {
        Requester requester = requesters.current(request);
        if (!requester.permits(Activity.AUDIT_REVIEW)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, refusal);
        }
        return requester;
    }

    /**
     * A refused look at or review of an entry concerns its patient: the record names them (never told to the
     * caller, who learns nothing of whether the entry exists).
     */
    static void concerning(HttpServletRequest request, Supplier<Optional<String>> patientOfEntry) {
        RequestAimedAt.concerning(request, () -> patientOfEntry.get().map(List::of).orElse(List.of()));
    }

    /** The entries' patients were read from the review list, not the repository: the page's audit record names them. */
    void shown(Collection<String> patientIds) {
        Set<String> patients = new LinkedHashSet<>(patientIds);
        if (!patients.isEmpty()) {
            events.publishEvent(new PatientDataShown(patients));
        }
    }

    /**
     * Records a review with the note when it will do: not empty ({@code missing} says what to write), not too
     * long, and accepted by the review service. Otherwise the errors say why beside the note: a note that is not
     * plain text, or a review of the officer's own doing (403, which no other note would change), or someone else's
     * review in the meantime.
     */
    static Outcome review(String note, String missing, String entry, FormErrors errors, Consumer<String> record) {
        String text = note.strip();
        if (text.isEmpty()) {
            errors.add("note", missing);
        } else if (text.length() > EmergencyAccessReviews.MAX_TEXT) {
            errors.add("note", "Review note must be " + EmergencyAccessReviews.MAX_TEXT + " characters or fewer");
        }
        if (!errors.isEmpty()) {
            return Outcome.REFUSED;
        }
        try {
            record.accept(text);
            return Outcome.RECORDED;
        } catch (FhirException e) {
            if (e.status() == 403) {
                errors.forbidden("note", e.getMessage());
                return Outcome.REFUSED;
            }
            if (e.status() == 400) {
                errors.add("note", e.getMessage());
                return Outcome.REFUSED;
            }
            if (e.status() != 409) {
                throw e;
            }
            errors.conflict("note", "Someone else reviewed this " + entry + " while you were writing your note");
            return Outcome.REVIEWED_MEANWHILE;
        }
    }

    /** The people the reviews name, by name. */
    TrailNames people() {
        return people;
    }

    String patientName(String patientId) {
        return people.patient(patientId).map(PatientDisplay::name).orElse("patient " + patientId);
    }

    /**
     * A moment as the reviewer reads it: in the trust's time zone ({@code charnwood.fhir.local-time-zone}), the zone
     * its staff and its record's dates without a zone are in, so a grant's hours match the ward's clock in summer too.
     */
    static String when(Instant instant) {
        return WHEN.format(instant.atZone(org.charnwood.fhir.search.DateRange.localZone()));
    }
}
