package org.charnwood.app.security;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a patient or carer is shown of a resource that lists several people taking part: their own patients, and
 * no one else's. A group Appointment (group therapy, a clinic session) lists every attending patient as a
 * participant, a care team may list patients among its members, a message may go to several patients at once; each
 * is in every listed patient's compartment, so each of them would otherwise read who else attends, belongs or was
 * written to, which in a mental-health group is itself a disclosure.
 *
 * <p>The same holds for every other reference in a resource of their record (a Schedule's actors, a List's
 * entries, a Coverage's subscriber, a Consent's actors, a Flag's author, an extension...): see
 * {@link #leaveOut(Base, Others)} for what goes with it.
 *
 * <p>So, for patients and carers only, every participant, member or recipient who is another person is left out:
 * a Patient not among the caller's own patients (those whose compartments the access scope shows this type of), a
 * RelatedPerson who is neither the caller nor a relative of one of those patients (another attendee's), and a
 * contained or identifier-only Patient or RelatedPerson, which cannot be told apart from anyone else's. The lists
 * keep at least the caller's own entry (it is what puts the resource in their compartment), so the resource stays
 * valid R4. The narrative goes too, since it may name the people left out, as do contained resources no longer
 * referred to; and the resource is tagged {@link #SUBSETTED} so that a client knows it is not whole. A resource
 * that names nobody else is shown as stored. See decision 26.
 *
 * <p>Every path that hands stored resources to a caller applies this once, as they leave the repository and
 * before the audit trail is told what was returned: so the trail names only the patients whose data was shown.
 */
@Component
public class OtherPatientsLeftOut {

    /** R4's tag for a resource of which some elements were left out (v3 ObservationValue). */
    public static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public static final String SUBSETTED = "SUBSETTED";

    private final FhirRepository repository;

    public OtherPatientsLeftOut(FhirRepository repository) {
        this.repository = repository;
    }

    /** Each resource as the decision's caller is to be shown it. */
    public List<StoredResource> shownTo(AccessDecision decision, List<StoredResource> resources) {
        if (!applies(decision)) {
            return resources;
        }
        return resources.stream().map(r -> shownTo(decision, r)).toList();
    }

    /** The resource as the decision's caller is to be shown it: itself unless it names other people. */
    public StoredResource shownTo(AccessDecision decision, StoredResource stored) {
        if (stored == null || stored.json() == null || !applies(decision)) {
            return stored;
        }
        // A Binary (or any resource without a narrative and contained resources) names no one in references.
        if (!(org.charnwood.fhir.ExactJson.parse(stored.json()) instanceof DomainResource resource)) {
            return stored;
        }
        Others others = new Others(decision, resource, stored.type());
        boolean removed = leaveOut(resource, others);
        if (removed) {
            removeMarked(resource);
        }
        if (!removed) {
            return stored;
        }
        // The narrative was written for the whole resource and may well list everyone; a stale one would mislead.
        resource.setText(null);
        dropUnreferencedContained(resource);
        if (resource.getMeta().getTag(SUBSETTED_SYSTEM, SUBSETTED) == null) {
            resource.getMeta().addTag(SUBSETTED_SYSTEM, SUBSETTED, "subsetted");
        }
        return new StoredResource(stored.pk(), stored.type(), stored.id(), stored.version(), stored.lastUpdated(),
                stored.method(), FhirContexts.r4().newJsonParser().encodeResourceToString(resource),
                stored.request());
    }

    /**
     * The search parameters that find resources by the entries left out: searching by them for another person would
     * tell the caller that person takes part in something of theirs, though the entry itself is not shown.
     */
    private static final Map<String, Set<String>> PARTICIPANT_PARAMETERS = Map.of(
            "Appointment", Set.of("actor", "patient"),
            "CareTeam", Set.of("participant"),
            "Communication", Set.of("recipient"),
            "CommunicationRequest", Set.of("recipient"),
            "Schedule", Set.of("actor"),
            "List", Set.of("item", "source"),
            "Coverage", Set.of("subscriber", "policy-holder", "payor", "beneficiary"),
            "Consent", Set.of("actor"),
            "Flag", Set.of("author"));

    /**
     * Whether a search by a patient or carer asks, through a participant, member or recipient parameter, for
     * someone they are not shown there ({@code Appointment?actor=Patient/<another>}, by NHS number with
     * {@code :identifier}, or by a bare id that is another patient's or relative's). Such criteria match nothing
     * the caller may be shown, so the search is answered as one that matched nothing, as it would be were the
     * person not there; otherwise it would find the caller's group sessions that the other person attends.
     *
     * @param types the types searched: the type, or those {@code _type} names
     */
    public boolean asksForOthers(AccessDecision decision, Set<String> types, Map<String, List<String>> params) {
        if (!applies(decision)) {
            return false;
        }
        for (String type : types) {
            Set<String> names = PARTICIPANT_PARAMETERS.get(type);
            if (names == null) {
                continue;
            }
            AccessScope ofType = decision.scope() == null ? null : decision.scope().forType(type);
            Set<String> own = ofType == null || ofType.patients() == null ? Set.of() : ofType.patients();
            for (Map.Entry<String, List<String>> p : params.entrySet()) {
                String[] nameAndModifier = p.getKey().split(":", 2);
                if (!names.contains(nameAndModifier[0]) || nameAndModifier[0].contains(".")) {
                    continue;
                }
                String modifier = nameAndModifier.length > 1 ? nameAndModifier[1] : null;
                if (modifier != null && modifier.contains(".")) {
                    continue; // a chain: judged against what the caller may see, so it finds no one hidden
                }
                for (String value : p.getValue()) {
                    for (String one : value.split(",")) {
                        if (namesOther(decision.requester(), own, modifier, one.trim())) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private boolean namesOther(Requester requester, Set<String> own, String modifier, String value) {
        if (value.isEmpty() || "missing".equals(modifier)) {
            return false;
        }
        if ("identifier".equals(modifier)) {
            return true; // identifier-only entries are always left out
        }
        String[] target = target(value);
        String type = target != null ? target[0] : modifier;
        String id = target != null ? target[1] : value;
        if (type == null) {
            // A bare id matches whichever type holds it.
            Set<String> there = repository.existing(List.of("Patient/" + id, "RelatedPerson/" + id));
            return there.contains("Patient/" + id) && !own.contains(id)
                    || there.contains("RelatedPerson/" + id) && !("RelatedPerson/" + id).equals(requester.fhirUser())
                    && !relativeOf(id, own);
        }
        return switch (type) {
            case "Patient" -> !own.contains(id);
            case "RelatedPerson" -> !("RelatedPerson/" + id).equals(requester.fhirUser()) && !relativeOf(id, own);
            default -> false;
        };
    }

    private static boolean applies(AccessDecision decision) {
        if (decision == null || decision.requester() == null) {
            return false;
        }
        Requester.Kind kind = decision.requester().kind();
        return kind == Requester.Kind.PATIENT || kind == Requester.Kind.CARER;
    }

    /**
     * Leaves out of the resource every reference to another person, wherever it is: R4's Patient compartment puts
     * many types in a patient's record through one reference while others in them can name someone else (a
     * Schedule's actors, a List's entries and source, a Coverage's subscriber, policy holder and payors, a Consent's
     * actors, a Flag's author, a Group's members, a family history's link to the relative's own record, an
     * extension). What goes is the entry the reference stands for:
     * <ul>
     * <li>the nearest repeating part (backbone element or extension) that holds it: a participant, member, actor,
     * list entry, link or extension is about that person, and half of it would mislead (R4 app-1 wants a
     * participant to have an actor or a type);</li>
     * <li>else the reference itself, when it repeats or is optional (a recipient, a Flag's author);</li>
     * <li>else, when R4 requires it (a Coverage's beneficiary when the caller is its subscriber), the reference is
     * kept with only its type: that there is a patient there, not who.</li>
     * </ul>
     * A Patient's links that say the record replaced or was replaced by another ({@code replaces},
     * {@code replaced-by}) are kept: they are the same person's record history after a merge, and a client follows
     * them to the record in use.
     *
     * @return whether anything was left out
     */
    private static boolean leaveOut(Base element, Others others) {
        boolean removed = false;
        for (Property property : element.children()) {
            if (!property.hasValues()) {
                continue;
            }
            for (Base value : List.copyOf(property.getValues())) {
                if (value instanceof Reference ref) {
                    if (others.isOther(ref) && !isRecordHistory(element)) {
                        ref.setUserData(LEFT_OUT, Boolean.TRUE);
                        removed = true;
                    }
                } else if (!value.isPrimitive() && leaveOut(value, others)) {
                    removed = true;
                }
            }
        }
        return removed;
    }

    /** A Patient's link to the same person's record before or after a merge. */
    private static boolean isRecordHistory(Base element) {
        return element instanceof org.hl7.fhir.r4.model.Patient.PatientLinkComponent link && link.hasType()
                && (link.getType() == org.hl7.fhir.r4.model.Patient.LinkType.REPLACEDBY
                        || link.getType() == org.hl7.fhir.r4.model.Patient.LinkType.REPLACES);
    }

    /** Marks a reference to another person; {@link #removeMarked} takes out the part it stands for. */
    private static final String LEFT_OUT = OtherPatientsLeftOut.class.getName() + ".leftOut";

    /**
     * Takes out what each marked reference stands for (see {@link #leaveOut(Base, Others)}), walking from the
     * resource down so that a repeating part is removed from the element that holds it.
     */
    private static void removeMarked(Base element) {
        for (Property property : element.children()) {
            if (!property.hasValues()) {
                continue;
            }
            // The property's values are a copy: count what is left, so a required list is never emptied.
            int left = property.getValues().size();
            int minimum = minimum(element, property.getName());
            boolean repeats = property.getMaxCardinality() > 1;
            for (Base value : property.getValues()) {
                if (value.isPrimitive()) {
                    continue;
                }
                if (value instanceof Reference ref && ref.getUserData(LEFT_OUT) != null) {
                    if (left > minimum && !property.getName().endsWith("[x]")) {
                        element.removeChild(property.getName(), ref);
                        left--;
                    } else {
                        anonymise(ref);
                    }
                } else if (repeats && (value instanceof BackboneElement || value instanceof Extension)
                        && left > minimum && namesOtherDirectly(value)) {
                    element.removeChild(property.getName(), value);
                    left--;
                } else {
                    // Also the last of a required list (an AuditEvent's only agent): its reference alone is dealt
                    // with within it.
                    removeMarked(value);
                }
            }
        }
    }

    /**
     * The least number of values R4 allows the element's child: from the structure's definitions, since the
     * properties the model lists give every child a minimum of 0. A choice ({@code author[x]}) counts as required,
     * so its reference is made anonymous rather than taken out from under its other choices.
     */
    private static int minimum(Base element, String name) {
        if (name.endsWith("[x]")) {
            return Integer.MAX_VALUE;
        }
        if (FhirContexts.r4().getElementDefinition(element.getClass())
                instanceof ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?> definition) {
            ca.uhn.fhir.context.BaseRuntimeChildDefinition child = definition.getChildByName(name);
            return child == null ? 0 : child.getMin();
        }
        return 0;
    }

    /** Whether one of the part's own references (not one in a part within it) is marked for leaving out. */
    private static boolean namesOtherDirectly(Base part) {
        for (Property property : part.children()) {
            for (Base value : property.getValues()) {
                if (value instanceof Reference ref && ref.getUserData(LEFT_OUT) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A required reference to another person: kept as "a patient" (or "a relative"), without who. */
    private static void anonymise(Reference ref) {
        String type = ref.getType();
        String[] target = ref.getReference() == null ? null : target(ref.getReference());
        if (type == null && target != null && !ref.getReference().startsWith("#")) {
            type = target[0];
        }
        ref.setReference(null).setDisplay(null).setIdentifier(null).setType(type == null ? "Patient" : type);
        ref.getExtension().clear();
        ref.setIdElement(null);
    }

    /** A contained resource must be referred to from the resource (R4 dom-3): those only the left-out did go. */
    private static void dropUnreferencedContained(DomainResource resource) {
        if (!resource.hasContained()) {
            return;
        }
        Set<String> referred = new HashSet<>();
        for (Reference r : FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(resource,
                Reference.class)) {
            if (r.getReference() != null && r.getReference().startsWith("#")) {
                referred.add(r.getReference().substring(1));
            }
        }
        resource.getContained().removeIf(c -> !referred.contains(c.getIdElement().getIdPart()));
    }

    /** Tells the caller's own people from the others named in one resource. */
    private final class Others {

        private final Requester requester;
        private final Set<String> own;
        private final DomainResource resource;
        private final Map<String, Boolean> relatives = new HashMap<>();

        Others(AccessDecision decision, DomainResource resource, String type) {
            this.requester = decision.requester();
            // The patients whose compartments may show this type: a carer's patients who shared it, or the patient.
            AccessScope ofType = decision.scope() == null ? null : decision.scope().forType(type);
            this.own = ofType == null || ofType.patients() == null ? Set.of() : ofType.patients();
            this.resource = resource;
        }

        /** Whether the reference is to a person other than the caller and the caller's own patients. */
        boolean isOther(Reference ref) {
            if (ref == null || ref.isEmpty()) {
                return false;
            }
            String reference = ref.getReference();
            if (reference == null || reference.isEmpty()) {
                // A logical reference: a patient or relative known only by identifier may be anyone.
                String type = ref.getType();
                return "Patient".equals(type) || "RelatedPerson".equals(type) || "Patient".equals(typeOfIdentified(ref));
            }
            if (reference.startsWith("#")) {
                String id = reference.substring(1);
                return resource.getContained().stream().filter(c -> id.equals(c.getIdElement().getIdPart()))
                        .map(Resource::fhirType).anyMatch(t -> t.equals("Patient") || t.equals("RelatedPerson"));
            }
            String[] target = target(reference);
            if (target == null) {
                return false;
            }
            return switch (target[0]) {
                case "Patient" -> !own.contains(target[1]);
                case "RelatedPerson" -> !("RelatedPerson/" + target[1]).equals(requester.fhirUser())
                        && !relativeOfOwn(target[1]);
                default -> false;
            };
        }

        /** An identifier-only reference by NHS number is to a patient. */
        private static String typeOfIdentified(Reference ref) {
            return ref.hasIdentifier() && "https://fhir.nhs.uk/Id/nhs-number".equals(ref.getIdentifier().getSystem())
                    ? "Patient" : null;
        }

        /**
         * Whether a RelatedPerson is a relative of one of the caller's own patients (their mother at the session is
         * theirs to see); a relative of another attendee names that attendee as surely as their own entry would.
         */
        private boolean relativeOfOwn(String id) {
            return relatives.computeIfAbsent(id, key -> relativeOf(key, own));
        }
    }

    /** Whether the RelatedPerson is a relative of one of these patients; false when it is not there. */
    private boolean relativeOf(String relatedPerson, Set<String> patients) {
        try {
            RelatedPerson person = repository.read("RelatedPerson", relatedPerson).parse(RelatedPerson.class);
            String[] patient = target(person.getPatient().getReference() == null ? ""
                    : person.getPatient().getReference());
            return patient != null && "Patient".equals(patient[0]) && patients.contains(patient[1]);
        } catch (FhirException gone) {
            return false;
        }
    }

    /** The type and id a literal reference names ({@code Patient/1}, an absolute URL, a version of it); or null. */
    static String[] target(String reference) {
        String path = reference;
        int history = path.indexOf("/_history/");
        if (history >= 0) {
            path = path.substring(0, history);
        }
        String[] parts = path.split("/");
        if (parts.length < 2) {
            return null;
        }
        return new String[] {parts[parts.length - 2], parts[parts.length - 1]};
    }
}
