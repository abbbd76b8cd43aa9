package org.charnwood.app.security.policy;

import org.charnwood.fhir.search.AccessScope.Label;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Period;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a proxy Consent's provisions share with one carer, exceptions included. The top-level provision is the base
 * rule: a permit, optionally for some resource types ({@code class}). Each nested {@code provision.provision} is an
 * exception to the rule it sits in (FHIR R4 Consent), and the most specific one that applies to a type decides it;
 * an exception applies when its period covers now, it names this carer or no actor, and its classes (if any) hold
 * the type. Where two exceptions at the same level disagree, deny wins.
 *
 * <p>The policy hides or shows whole types and labels, so what it cannot enforce exactly it enforces more widely,
 * never less: a deny limited by {@code securityLabel} alone hides those labels from the carer (for every patient);
 * a deny limited by {@code code}, {@code dataPeriod} or {@code data} denies the whole of its classes (of the whole
 * record when it names none); a permit exception limited by any of those is ignored, as is a base rule limited by
 * them (the Consent then shares nothing). Consents are deny by default: what is not understood gives nothing.
 */
final class ConsentProvisions {

    /**
     * What is shared: the types (empty: the whole record, less what is withheld) and labels hidden besides those
     * every carer has hidden.
     */
    record Shared(Set<String> types, Set<Label> deniedLabels) {
    }

    private ConsentProvisions() {
    }

    /** What the Consent shares with the carer now; null when it shares nothing (its base rule is not understood). */
    static Shared of(Consent consent, String relatedPersonId, Instant now) {
        ProvisionComponent base = consent.getProvision();
        if (narrowedBeyondClass(base)) {
            return null;
        }
        Set<String> listed = classes(base);
        if (base.getProvision().isEmpty()) {
            return new Shared(listed, Set.of());
        }
        Set<String> candidates = listed.isEmpty() ? wholeRecord() : listed;
        Set<Label> labels = new HashSet<>();
        Set<String> types = new TreeSet<>();
        for (String type : candidates) {
            if (decide(base.getProvision(), ConsentProvisionType.PERMIT, type, relatedPersonId, now, labels)
                    == ConsentProvisionType.PERMIT) {
                types.add(type);
            }
        }
        if (listed.isEmpty() && types.equals(candidates)) {
            types.clear(); // no type was excepted: still the whole record, as a Consent with no exceptions
        } else if (types.isEmpty()) {
            types.add("Patient"); // every type excepted: who the patient is, as the carer knows already
        }
        return new Shared(Set.copyOf(types), Set.copyOf(labels));
    }

    /**
     * The rule for {@code type} under these exceptions, {@code inherited} when none applies. Labels denied by an
     * applying label-only deny are collected into {@code labels}.
     */
    private static ConsentProvisionType decide(List<ProvisionComponent> exceptions, ConsentProvisionType inherited,
                                               String type, String carer, Instant now, Set<Label> labels) {
        ConsentProvisionType result = null;
        for (ProvisionComponent exception : exceptions) {
            if (!applies(exception, type, carer, now)) {
                continue;
            }
            ConsentProvisionType says;
            if (!narrowedBeyondClass(exception)) {
                says = decide(exception.getProvision(), exception.getType() == null ? inherited : exception.getType(),
                        type, carer, now, labels);
            } else if (exception.getType() != ConsentProvisionType.DENY) {
                says = null; // a permit narrower than a type cannot be enforced as one: ignored
            } else if (onlyLabels(exception)) {
                for (Coding label : exception.getSecurityLabel()) {
                    if (label.hasCode()) {
                        labels.add(new Label(label.getSystem(), label.getCode()));
                    }
                }
                says = null;
            } else {
                says = ConsentProvisionType.DENY; // narrower than a type: the whole type is denied
            }
            if (says == ConsentProvisionType.DENY) {
                return ConsentProvisionType.DENY;
            }
            if (says != null) {
                result = says;
            }
        }
        return result == null ? inherited : result;
    }

    private static boolean applies(ProvisionComponent exception, String type, String carer, Instant now) {
        if (!covers(exception.getPeriod(), now)) {
            return false;
        }
        if (!exception.getActor().isEmpty() && exception.getActor().stream()
                .noneMatch(a -> ("RelatedPerson/" + carer).equals(a.getReference().getReference()))) {
            return false;
        }
        Set<String> classes = classes(exception);
        return classes.isEmpty() || classes.contains(type);
    }

    /** Whether the provision is limited by more than type, time and who: by code, labels, data or its period. */
    private static boolean narrowedBeyondClass(ProvisionComponent provision) {
        return provision.hasCode() || provision.hasSecurityLabel() || provision.hasDataPeriod() || provision.hasData();
    }

    private static boolean onlyLabels(ProvisionComponent provision) {
        return provision.hasSecurityLabel() && !provision.hasCode() && !provision.hasDataPeriod()
                && !provision.hasData();
    }

    private static Set<String> classes(ProvisionComponent provision) {
        Set<String> types = new TreeSet<>();
        for (Coding cls : provision.getClass_()) {
            if (cls.hasCode()) {
                types.add(cls.getCode());
            }
        }
        return types;
    }

    /**
     * The types of the whole record, for a base rule with exceptions: the Patient compartment, without the access
     * history ({@code AuditEvent}), which a Consent to the whole record does not share.
     */
    private static Set<String> wholeRecord() {
        Set<String> types = new TreeSet<>();
        for (String t : AllTypes.TYPES) {
            if (ResourceClass.inCompartment(t) && !"AuditEvent".equals(t)) {
                types.add(t);
            }
        }
        types.add("Patient");
        return types;
    }

    static boolean covers(Period period, Instant now) {
        if (period == null || period.isEmpty()) {
            return true;
        }
        if (period.hasStart() && period.getStart().toInstant().isAfter(now)) {
            return false;
        }
        return !period.hasEnd() || period.getEnd().toInstant().isAfter(now);
    }
}
