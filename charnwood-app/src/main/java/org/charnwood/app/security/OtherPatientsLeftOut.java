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
        DomainResource resource = (DomainResource) FhirContexts.r4().newJsonParser().parseResource(stored.json());
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
            return relatives.computeIfAbsent(id, key -> {
                try {
                    RelatedPerson person = repository.read("RelatedPerson", key).parse(RelatedPerson.class);
                    String[] patient = target(person.getPatient().getReference() == null ? ""
                            : person.getPatient().getReference());
                    return patient != null && "Patient".equals(patient[0]) && own.contains(patient[1]);
                } catch (FhirException gone) {
                    return false;
                }
            });
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
