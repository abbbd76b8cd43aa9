package org.charnwood.app.scheduling;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The patients on a team's day or a nurse's run sheet, and what their visits are for, as the signed-in person may
 * see them: read under the scope the access policy gives them, exactly as the FHIR API would, so a patient outside
 * it is shown as "not shown" rather than named, and a request they may not see as "details not shown".
 */
@Component
class VisitPatients {

    private static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";

    private final FhirRepository repository;
    private final AccessPolicy policy;

    VisitPatients(FhirRepository repository, AccessPolicy policy) {
        this.repository = repository;
        this.policy = policy;
    }

    /**
     * A patient as a visit needs them.
     *
     * @param shown  false when the signed-in person may not see this patient (the rest is then empty)
     * @param alerts active Flags: the safety information to know before knocking on the door
     */
    record PatientCard(String id, boolean shown, String name, String nhsNumber, String address, String postcode,
                       List<String> alerts) {

        static PatientCard hidden(String id) {
            return new PatientCard(id, false, "Patient not shown", "", "", "", List.of());
        }
    }

    /** What a visit shows in place of its need and notes when the person may not see its request or patient. */
    static final String DETAILS_NOT_SHOWN = "Details not shown";

    /**
     * The visit requests (ServiceRequests, by id) the person may see, read under the scope the access policy gives
     * them: a request labelled restricted or sealed for a role that may not see such entries is left out, so that
     * its need and notes stay hidden while its visit keeps its time and place on the day.
     */
    Map<String, ServiceRequest> requests(Requester requester, Collection<String> requestIds) {
        AccessScope scope = scope(requester, FhirAction.READ, "ServiceRequest");
        Map<String, ServiceRequest> requests = new LinkedHashMap<>();
        if (scope == null) {
            return requests;
        }
        for (String id : requestIds) {
            if (id == null || requests.containsKey(id)) {
                continue;
            }
            try {
                StoredResource stored = repository.read("ServiceRequest", id, scope);
                if (stored != null && !stored.deleted()) {
                    requests.put(id, stored.parse(ServiceRequest.class));
                }
            } catch (FhirException e) {
                if (e.status() != 404 && e.status() != 410) {
                    throw e;
                }
            }
        }
        return requests;
    }

    Map<String, PatientCard> cards(Requester requester, Collection<String> patientIds, boolean withAlerts) {
        AccessScope patients = scope(requester, FhirAction.READ, "Patient");
        AccessScope flags = withAlerts ? scope(requester, FhirAction.SEARCH, "Flag") : null;
        Map<String, PatientCard> cards = new LinkedHashMap<>();
        for (String id : patientIds) {
            if (id == null || cards.containsKey(id)) {
                continue;
            }
            cards.put(id, card(id, patients, flags));
        }
        return cards;
    }

    private PatientCard card(String id, AccessScope patients, AccessScope flags) {
        if (patients == null) {
            return PatientCard.hidden(id);
        }
        Patient patient;
        try {
            StoredResource stored = repository.read("Patient", id, patients);
            if (stored == null || stored.deleted()) {
                return PatientCard.hidden(id);
            }
            patient = stored.parse(Patient.class);
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                return PatientCard.hidden(id);
            }
            throw e;
        }
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .orElse(patient.getNameFirstRep());
        String display = (name.getFamily() == null ? "" : name.getFamily().toUpperCase(Locale.ROOT)) + ", "
                + name.getGivenAsSingleString();
        String nhsNumber = patient.getIdentifier().stream().filter(i -> NHS_NUMBER.equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().map(VisitPatients::spaced).orElse("");
        Address home = patient.getAddress().stream().filter(a -> a.getUse() != Address.AddressUse.OLD).findFirst()
                .orElse(new Address());
        List<String> lines = new ArrayList<>();
        home.getLine().forEach(l -> lines.add(l.getValue()));
        if (home.hasCity()) {
            lines.add(home.getCity());
        }
        return new PatientCard(id, true, display, nhsNumber, String.join(", ", lines),
                home.getPostalCode() == null ? "" : home.getPostalCode(), flags == null ? List.of() : alerts(id, flags));
    }

    private List<String> alerts(String patientId, AccessScope scope) {
        SearchRequest request = new SearchRequest("Flag", Map.of("patient", List.of("Patient/" + patientId),
                "_count", List.of("50")), false);
        List<String> alerts = new ArrayList<>();
        for (StoredResource stored : repository.search(request, scope).matches()) {
            if (!stored.deleted()) {
                Flag flag = stored.parse(Flag.class);
                if (flag.getStatus() != Flag.FlagStatus.ACTIVE) {
                    continue;
                }
                String text = flag.getCode().getText() != null ? flag.getCode().getText()
                        : flag.getCode().getCodingFirstRep().getDisplay();
                if (text != null) {
                    alerts.add(text);
                }
            }
        }
        return alerts;
    }

    private AccessScope scope(Requester requester, FhirAction action, String type) {
        return policy.readForRequestOrNone(requester, action, type);
    }

    private static String spaced(String nhsNumber) {
        return nhsNumber.length() == 10 ? nhsNumber.substring(0, 3) + " " + nhsNumber.substring(3, 6) + " "
                + nhsNumber.substring(6) : nhsNumber;
    }
}
