package org.charnwood.app.security.policy;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.RelatedPerson;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Proxy access of carers, as FHIR Consents: {@code Consent.patient} is the patient, a
 * {@code provision.actor.reference} is the carer's RelatedPerson, {@code provision.type} is {@code permit}, and
 * {@code provision.class} lists the resource types they may see (none listed: the whole record, less what is
 * withheld), and nested provisions are exceptions to that, read by {@link ConsentProvisions}. The consent counts only while its status is {@code active} and now falls in
 * {@code provision.period}: withdrawing it (status inactive or rejected) or letting the period end stops access
 * at once. Read on every request, not cached, so a withdrawal takes effect immediately.
 *
 * <p>Only a privacy Consent ({@code Consent.scope} {@code consentscope#patient-privacy}) gives record access: a
 * consent to treatment or to research may name a relative as an actor (who gave it, who may take part) and says
 * nothing about what they may read. And the carer must still be one: their RelatedPerson exists, is not marked
 * inactive and its period has not ended, so the care team ending the relationship ends the access with it, whatever
 * Consents still name them.
 */
public class ProxyConsents {

    private static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";

    private static final String SQL = """
            select v.content from fhir_resource r
              join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
             where r.res_type = 'Consent' and not r.deleted
               and r.res_pk in (select x.res_pk from idx_reference x
                                 where x.res_type = 'Consent' and x.param = 'actor'
                                   and x.target_type = 'RelatedPerson' and x.target_id = ?)""";

    private static final String BY_PATIENT = """
            select r.res_id, v.content,
                   (select min(f.last_updated) from fhir_resource_version f where f.res_pk = r.res_pk) from fhir_resource r
              join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
             where r.res_type = 'Consent' and not r.deleted
               and r.res_pk in (select x.res_pk from idx_reference x
                                 where x.res_type = 'Consent' and x.param = 'patient'
                                   and x.target_type = 'Patient' and x.target_id = ?)""";

    /**
     * A carer's proxy access as the patient sees it: the Consent that gives it, the carer's RelatedPerson id,
     * since when, and the types shared (empty: the whole record, less what is withheld).
     */
    public record Grant(String consentId, String carerId, Instant since, Set<String> types) {
    }

    private final FhirRepository repository;
    private final Clock clock;

    public ProxyConsents(FhirRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Patient id → the types the carer may see there (empty: every type), for the carer's RelatedPerson id. */
    public Map<String, Set<String>> permittedFor(String relatedPersonId) {
        Instant now = clock.instant();
        if (!stillACarer(relatedPersonId, now)) {
            return Map.of();
        }
        var parser = FhirContexts.r4().newJsonParser();
        return repository.withConnection(c -> {
            Map<String, Set<String>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setString(1, relatedPersonId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Consent consent = parser.parseResource(Consent.class, rs.getString(1));
                        String patient = permittedPatient(consent, relatedPersonId, now);
                        ConsentProvisions.Shared shared = patient == null ? null
                                : ConsentProvisions.of(consent, relatedPersonId, now);
                        if (shared != null) {
                            out.merge(patient, shared.types(),
                                    (a, b) -> a.isEmpty() || b.isEmpty() ? Set.of() : union(a, b));
                        }
                    }
                }
            }
            return out;
        });
    }

    /**
     * The labels the carer's counting Consents deny them besides those hidden from every carer: those of their
     * exceptions limited by security label ({@link ConsentProvisions}). They are hidden for each of the carer's
     * patients, wider than the one Consent that asked, since a scope hides labels for every compartment alike.
     */
    public Set<org.charnwood.fhir.search.AccessScope.Label> deniedLabelsFor(String relatedPersonId) {
        if (relatedPersonId == null) {
            return Set.of();
        }
        Instant now = clock.instant();
        var parser = FhirContexts.r4().newJsonParser();
        return repository.withConnection(c -> {
            Set<org.charnwood.fhir.search.AccessScope.Label> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setString(1, relatedPersonId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Consent consent = parser.parseResource(Consent.class, rs.getString(1));
                        if (permittedPatient(consent, relatedPersonId, now) != null) {
                            ConsentProvisions.Shared shared = ConsentProvisions.of(consent, relatedPersonId, now);
                            if (shared != null) {
                                out.addAll(shared.deniedLabels());
                            }
                        }
                    }
                }
            }
            return out;
        });
    }

    /** The carers who may see the patient's record now, one grant per carer a counting Consent names. */
    public java.util.List<Grant> grantedBy(String patientId) {
        Instant now = clock.instant();
        var parser = FhirContexts.r4().newJsonParser();
        return repository.withConnection(c -> {
            java.util.List<Grant> out = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(BY_PATIENT)) {
                ps.setString(1, patientId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Consent consent = parser.parseResource(Consent.class, rs.getString(2));
                        for (String carer : carers(consent)) {
                            if (!stillACarer(carer, now)) {
                                continue;
                            }
                            ConsentProvisions.Shared shared = patientId.equals(permittedPatient(consent, carer, now))
                                    ? ConsentProvisions.of(consent, carer, now) : null;
                            if (shared != null) {
                                out.add(new Grant(rs.getString(1), carer, since(consent, rs.getTimestamp(3).toInstant()),
                                        new java.util.TreeSet<>(shared.types())));
                            }
                        }
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(Grant::since).thenComparing(Grant::carerId));
            return out;
        });
    }

    /** The RelatedPerson ids a Consent's provision names as actors. */
    public static java.util.List<String> carers(Consent consent) {
        return consent.getProvision().getActor().stream().map(a -> a.getReference().getReference())
                .filter(r -> r != null && r.startsWith("RelatedPerson/"))
                .map(r -> r.substring("RelatedPerson/".length())).distinct().toList();
    }

    /** Whether the Consent gives this carer access to this patient's record now. */
    public boolean counts(Consent consent, String patientId, String relatedPersonId) {
        Instant now = clock.instant();
        return stillACarer(relatedPersonId, now) && patientId.equals(permittedPatient(consent, relatedPersonId, now))
                && ConsentProvisions.of(consent, relatedPersonId, now) != null;
    }

    /** When the consent says it was given, else when its period started, else when it was first recorded. */
    private static Instant since(Consent consent, Instant recorded) {
        if (consent.hasDateTime()) {
            return consent.getDateTime().toInstant();
        }
        Period period = consent.getProvision().getPeriod();
        if (period != null && period.hasStart()) {
            return period.getStart().toInstant();
        }
        return recorded;
    }

    /**
     * Whether the carer's RelatedPerson still stands: stored, not deleted, not marked inactive, and within its period.
     */
    private boolean stillACarer(String relatedPersonId, Instant now) {
        if (relatedPersonId == null) {
            return false;
        }
        StoredResource stored;
        try {
            stored = repository.read("RelatedPerson", relatedPersonId);
        } catch (FhirException gone) {
            return false;
        }
        if (stored == null || stored.deleted()) {
            return false;
        }
        RelatedPerson person = stored.parse(RelatedPerson.class);
        return (!person.hasActive() || person.getActive()) && ConsentProvisions.covers(person.getPeriod(), now);
    }

    /** A privacy Consent: what may be seen of the record, not a consent to treatment, research or an advance directive. */
    private static boolean aboutPrivacy(Consent consent) {
        return consent.getScope().getCoding().stream()
                .anyMatch(c -> CONSENT_SCOPE.equals(c.getSystem()) && "patient-privacy".equals(c.getCode()));
    }

    private static String permittedPatient(Consent consent, String relatedPersonId, Instant now) {
        if (consent.getStatus() != Consent.ConsentState.ACTIVE || !consent.hasPatient() || !aboutPrivacy(consent)) {
            return null;
        }
        Consent.ProvisionComponent provision = consent.getProvision();
        if (provision.getType() != Consent.ConsentProvisionType.PERMIT) {
            return null;
        }
        boolean named = provision.getActor().stream()
                .anyMatch(a -> ("RelatedPerson/" + relatedPersonId).equals(a.getReference().getReference()));
        if (!named || !ConsentProvisions.covers(provision.getPeriod(), now)) {
            return null;
        }
        String ref = consent.getPatient().getReference();
        return ref != null && ref.startsWith("Patient/") ? ref.substring("Patient/".length()) : null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }
}
