package org.charnwood.app.security;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.DomainResource;
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

    /** The types whose lists of people take part can name other patients, and where those lists are. */
    private static final Set<String> TYPES = Set.of("Appointment", "CareTeam", "Communication",
            "CommunicationRequest");

    private final FhirRepository repository;

    public OtherPatientsLeftOut(FhirRepository repository) {
        this.repository = repository;
    }

    /** Each resource as the decision's caller is to be shown it. */
    public List<StoredResource> shownTo(AccessDecision decision, List<StoredResource> resources) {
        if (!applies(decision) || resources.stream().noneMatch(r -> r != null && TYPES.contains(r.type()))) {
            return resources;
        }
        return resources.stream().map(r -> shownTo(decision, r)).toList();
    }

    /** The resource as the decision's caller is to be shown it: itself unless it names other people. */
    public StoredResource shownTo(AccessDecision decision, StoredResource stored) {
        if (stored == null || stored.json() == null || !applies(decision) || !TYPES.contains(stored.type())) {
            return stored;
        }
        DomainResource resource = (DomainResource) org.charnwood.fhir.ExactJson.parse(stored.json());
        Others others = new Others(decision, resource, stored.type());
        boolean removed = switch (resource) {
            case Appointment a -> a.getParticipant().removeIf(p -> others.isOther(p.getActor()));
            case CareTeam t -> t.getParticipant().removeIf(p -> others.isOther(p.getMember()));
            case Communication c -> c.getRecipient().removeIf(others::isOther);
            case CommunicationRequest c -> c.getRecipient().removeIf(others::isOther);
            default -> false;
        };
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
            "CommunicationRequest", Set.of("recipient"));

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
