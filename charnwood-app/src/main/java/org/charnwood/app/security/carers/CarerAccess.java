package org.charnwood.app.security.carers;

import org.charnwood.app.security.policy.ProxyConsents;
import org.charnwood.app.security.policy.RecordEntryNames;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A patient's carers with proxy access to their record, and the two things the patient can do about one: stop it
 * and change what is shared. Each change is one repository transaction, and the audit record of the Consent's
 * change is written inside it (the page's request names the patient and the Consent). The access policy reads the
 * Consents on every request, so a change holds at once for the carer's pages, tokens and refreshed tokens.
 */
@Component
class CarerAccess {

    private static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

    /** A carer as the patient's page shows them. */
    record Carer(String consentId, String carerId, String name, String relationship, Instant since,
                 Set<String> types) {
    }

    private final FhirRepository repository;
    private final ProxyConsents consents;

    CarerAccess(FhirRepository repository, ProxyConsents consents) {
        this.repository = repository;
        this.consents = consents;
    }

    /** The carers who may see the patient's record now. */
    List<Carer> of(String patientId) {
        List<Carer> out = new ArrayList<>();
        for (ProxyConsents.Grant g : consents.grantedBy(patientId)) {
            RelatedPerson person = relatedPerson(g.carerId(), patientId);
            out.add(new Carer(g.consentId(), g.carerId(),
                    person == null || !person.hasName() ? "Someone you chose"
                            : person.getNameFirstRep().getNameAsSingleString(),
                    person == null ? null : relationship(person), g.since(), g.types()));
        }
        return out;
    }

    /** The one carer, if the patient's Consent gives them access now; absent for anyone else's. */
    Optional<Carer> find(String patientId, String consentId, String carerId) {
        return of(patientId).stream()
                .filter(c -> c.consentId().equals(consentId) && c.carerId().equals(carerId)).findFirst();
    }

    /**
     * Ends the carer's access: the Consent is withdrawn (inactive, its period ended now), or, when it names other
     * carers too, this carer is taken out of it. False when the Consent is not this patient's or no longer gives
     * the carer access (nothing is changed then).
     */
    boolean stop(String patientId, String consentId, String carerId) {
        return Boolean.TRUE.equals(repository.inTransaction(session -> {
            Consent consent = counting(session, patientId, consentId, carerId);
            if (consent == null) {
                return false;
            }
            if (ProxyConsents.carers(consent).size() > 1) {
                withoutCarer(consent, carerId);
            } else {
                consent.setStatus(Consent.ConsentState.INACTIVE);
                consent.getProvision().getPeriod().setEnd(Date.from(session.now()));
            }
            session.update("Consent", consentId, consent, null);
            return true;
        }));
    }

    /** What became of a change to what a carer sees. */
    enum Shared {
        /** Saved. */
        DONE,
        /** The Consent no longer gives the carer access: nothing to change. */
        GONE,
        /** The Consent changed after the page was opened (the care team, or the patient in another window). */
        CHANGED_MEANWHILE
    }

    /** The version of the Consent now, which the change page carries; null when there is none. */
    Integer version(String consentId) {
        try {
            StoredResource stored = repository.read("Consent", consentId);
            return stored == null || stored.deleted() ? null : stored.version();
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Shares with the carer just the types given (and who the patient is, which comes with any access), narrowing
     * or widening what they see. When the Consent names other carers, this carer gets a Consent of their own, so
     * the others keep what they had. Nothing is changed when the Consent is no longer at the version the page was
     * opened at, so a change the care team made meanwhile is never silently overwritten.
     */
    Shared share(String patientId, String consentId, String carerId, Integer version, Set<String> types) {
        return repository.inTransaction(session -> {
            Optional<StoredResource> stored = session.current("Consent", consentId);
            Consent consent = counting(session, patientId, consentId, carerId);
            if (consent == null) {
                return Shared.GONE;
            }
            if (version == null || version != stored.orElseThrow().version()) {
                return Shared.CHANGED_MEANWHILE;
            }
            if (ProxyConsents.carers(consent).size() > 1) {
                Consent own = consent.copy();
                own.setId((String) null);
                own.getProvision().getActor().removeIf(a -> !("RelatedPerson/" + carerId)
                        .equals(a.getReference().getReference()));
                own.setDateTime(Date.from(session.now()));
                withTypes(own, types);
                withoutCarer(consent, carerId);
                session.update("Consent", consentId, consent, null);
                session.create(own);
            } else {
                withTypes(consent, types);
                session.update("Consent", consentId, consent, null);
            }
            return Shared.DONE;
        });
    }

    private Consent counting(WriteSession session, String patientId, String consentId, String carerId)
            throws SQLException {
        Optional<StoredResource> stored = session.current("Consent", consentId);
        if (stored.isEmpty() || stored.get().deleted()) {
            return null;
        }
        Consent consent = stored.get().parse(Consent.class);
        return consents.counts(consent, patientId, carerId) ? consent : null;
    }

    private static void withoutCarer(Consent consent, String carerId) {
        consent.getProvision().getActor().removeIf(a -> ("RelatedPerson/" + carerId)
                .equals(a.getReference().getReference()));
    }

    private static void withTypes(Consent consent, Set<String> types) {
        Set<String> shared = new TreeSet<>(types);
        shared.add("Patient");
        List<Coding> classes = new ArrayList<>();
        for (String type : shared) {
            classes.add(new Coding(RESOURCE_TYPES, type, null));
        }
        consent.getProvision().setClass_(classes);
    }

    private RelatedPerson relatedPerson(String id, String patientId) {
        try {
            RelatedPerson person = repository.read("RelatedPerson", id).parse(RelatedPerson.class);
            // Only a RelatedPerson of this patient is named: a Consent cannot put someone else's carer on the page.
            return ("Patient/" + patientId).equals(person.getPatient().getReference()) ? person : null;
        } catch (FhirException e) {
            return null;
        }
    }

    private static String relationship(RelatedPerson person) {
        for (var concept : person.getRelationship()) {
            if (concept.hasText()) {
                return concept.getText();
            }
            for (Coding c : concept.getCoding()) {
                if (c.hasDisplay()) {
                    return c.getDisplay();
                }
            }
        }
        return null;
    }

    /** What the carer can see, in the words the app question uses. */
    static List<String> inWords(Set<String> types) {
        return types.isEmpty() ? List.of(RecordEntryNames.thing("*", false)) : RecordEntryNames.things(types, false);
    }
}
