package org.charnwood.app.observations;

import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.ConflictRetry;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ResourceChanged;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.DateRange;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a NEWS2 score beside every complete set of observations, however the observations arrived (a page, the
 * FHIR API, a device feed): when an Observation that is a NEWS2 input changes, the patient's observations at
 * the same effective time are gathered; a complete set gets a score Observation (created, or updated when an
 * input was corrected), an incomplete one gets none, and a score whose set stopped being complete is marked
 * entered in error. Idempotent, because events arrive at least once; serialised per patient and time with a
 * transaction-scoped advisory lock, because the inputs may be written concurrently from several nodes.
 */
@Component
class News2Derivation {

    private static final Logger log = LoggerFactory.getLogger(News2Derivation.class);
    /** Marks scores the platform derived, the only ones it may withdraw. */
    static final Coding DERIVED_TAG = new Coding("https://charnwood.nhs.uk/fhir/CodeSystem/derivation", "news2",
            "NEWS2 derived by Charnwood");

    /** Observations of one patient at one time read at most: a whole encounter's results often share the time. */
    private static final int SET_LIMIT = 500;

    private final FhirRepository repository;
    private final Escalations escalations;
    private final News2Calculator calculator = new News2Calculator();
    private final DerivedSets derived = new DerivedSets();

    News2Derivation(FhirRepository repository, Escalations escalations) {
        this.repository = repository;
        this.escalations = escalations;
    }

    @EventListener
    void on(ResourceChanged change) {
        if (!"Observation".equals(change.resourceType())) {
            return;
        }
        try {
            ConflictRetry.run(() -> {
                derive(change);
                return null;
            });
        } catch (RuntimeException e) {
            // Handed on to the outbox relay, which counts the failure on the event's row, tries it again, and after
            // its last attempt sets it aside for replay (so the events behind it still go on): this change's score
            // (or escalation) is missing until then. The class name carries no patient data.
            log.error("NEWS2 derivation failed for a changed Observation (seq {}): {}", change.sequence(),
                    Failures.describe(e));
            throw e;
        }
    }

    /**
     * Re-derives the score for the set the changed Observation belongs to; a changed score goes on to the
     * escalation chain. Each event reads the Observation once, for both.
     */
    void derive(ResourceChanged change) {
        Observation changed = observationBehind(change);
        if (changed != null && change.method() != ChangeMethod.DELETE && News2Codes.isNews2Total(changed.getCode())) {
            escalations.consider(changed);
            return;
        }
        if (changed == null || !News2Codes.isInput(changed.getCode())
                || !changed.getSubject().getReference().startsWith("Patient/") || !changed.hasEffectiveDateTimeType()) {
            return;
        }
        String patient = changed.getSubject().getReference();
        String when = changed.getEffectiveDateTimeType().getValueAsString();
        String setKey = patient + "|" + when;
        if (change.method() != ChangeMethod.DELETE && derived.covers(setKey, change.resourceId(), change.version())) {
            return;
        }
        Map<String, Integer> read = new java.util.HashMap<>();
        repository.inTransaction(session -> {
            lock(session, setKey);
            List<Observation> atThatTime = observationsAt(session, patient, when);
            for (Observation o : atThatTime) {
                if (o.getMeta().hasVersionId()) {
                    read.put(o.getIdElement().getIdPart(), Integer.parseInt(o.getMeta().getVersionId()));
                }
            }
            List<Observation> inputs = atThatTime.stream().filter(o -> News2Codes.isInput(o.getCode())).toList();
            List<Observation> scores = atThatTime.stream().filter(o -> News2Codes.isNews2Total(o.getCode())).toList();
            News2InputSet set = News2InputSet.from(inputs, SpO2ScaleDecision.current(session, patient));
            if (!set.inputs().missing().isEmpty()) {
                withdraw(session, scores);
                return null;
            }
            Observation calculated = News2ScoreObservation.build(calculator.score(set.inputs()), patient,
                    changed.getEffectiveDateTimeType(), set.sources());
            calculated.getMeta().addTag(DERIVED_TAG.copy());
            if (scores.isEmpty()) {
                session.create(calculated);
            } else if (!News2ScoreObservation.sameScore(scores.get(0), calculated)) {
                String id = scores.get(0).getIdElement().getIdPart();
                calculated.setId(id);
                session.update("Observation", id, calculated, null);
            }
            return null;
        });
        derived.derived(setKey, read);
    }

    private Observation observationBehind(ResourceChanged change) {
        try {
            StoredResource stored = change.method() == ChangeMethod.DELETE
                    ? (change.version() > 1 ? repository.vread("Observation", change.resourceId(), change.version() - 1) : null)
                    : repository.vread("Observation", change.resourceId(), change.version());
            return stored == null || !mayBeNews2(stored) ? null : stored.parse(Observation.class);
        } catch (FhirException e) {
            return null; // gone since; a later event carries it
        }
    }

    private static List<Observation> observationsAt(WriteSession session, String patient, String when)
            throws SQLException {
        List<Long> keys;
        String patientId = patient.substring("Patient/".length());
        DateRange span = ObservationsAtInstant.spanOf(when);
        if (span != null && patientId.indexOf('/') < 0) {
            keys = ObservationsAtInstant.keys(session.connection(), patientId, span, SET_LIMIT);
        } else {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            parameters.put("subject", List.of(patient));
            parameters.put("date", List.of("eq" + when));
            parameters.put("_count", List.of(String.valueOf(SET_LIMIT)));
            keys = session.search(new SearchRequest("Observation", parameters, false)).matches();
        }
        // Only vital signs and scores matter here; a whole encounter's results often share the time.
        return session.load(keys).stream()
                .filter(News2Derivation::mayBeNews2)
                .map(s -> s.parse(Observation.class)).toList();
    }

    /** Most Observations are not vital signs: a look at the text saves parsing them. */
    private static boolean mayBeNews2(StoredResource stored) {
        return stored.json() != null && News2Codes.mayBeMentionedIn(stored.json());
    }

    private static void withdraw(WriteSession session, List<Observation> scores) throws SQLException {
        for (Observation score : scores) {
            boolean ours = score.getMeta().getTag().stream().anyMatch(t -> DERIVED_TAG.getSystem().equals(t.getSystem())
                    && DERIVED_TAG.getCode().equals(t.getCode()));
            if (ours && score.getStatus() != Observation.ObservationStatus.ENTEREDINERROR) {
                score.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
                score.setMeta(new org.hl7.fhir.r4.model.Meta().addTag(DERIVED_TAG.copy()));
                session.update("Observation", score.getIdElement().getIdPart(), score, null);
            }
        }
    }

    private static void lock(WriteSession session, String key) throws SQLException {
        session.lock("news2|" + key);
    }

}
