package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads resources for the pages through the repository, parsed into the HAPI model, under the access scope the
 * {@link AccessPolicy} gives the person signed in, exactly as the FHIR API does: what they may not see is left
 * out (a read of it finds nothing), and a type their role may not read at all reads as empty. Whenever
 * something of a patient's record was left out the request is marked, so the banner can say that part of the
 * record is not shown. Work the application does for itself, outside any request (the escalation relay, for
 * one), reads everything.
 */
@Component
class ClinicalRecord {

    static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    /** Request attribute: something was left out of what this request read. */
    static final String HIDDEN = ClinicalRecord.class.getName() + ".hidden";
    /** Request attribute: the access policy's scopes decided so far in this request. */
    private static final String SCOPES = ClinicalRecord.class.getName() + ".scopes";
    /** Request attribute: per type and patient, whether some of the patient's resources are left out. */
    private static final String PATIENT_HIDDEN = ClinicalRecord.class.getName() + ".patientHidden";
    /** Request attribute: per type and patient, how many of the patient's resources there are. */
    private static final String PATIENT_COUNTS = ClinicalRecord.class.getName() + ".patientCounts";

    /** Parameters that do not narrow a search to fewer of the patient's resources than {@code patient} does. */
    private static final Set<String> PATIENT_ONLY = Set.of("patient", "_count", "_sort", "_total");

    private final FhirRepository repository;
    private final AccessPolicy policy;
    private final RequesterSource requesters;

    ClinicalRecord(FhirRepository repository, AccessPolicy policy, RequesterSource requesters) {
        this.repository = repository;
        this.policy = policy;
        this.requesters = requesters;
    }

    <T extends Resource> Optional<T> read(String type, String id, Class<T> model) {
        return stored(type, id).map(s -> parse(s, model));
    }

    /** The current version as stored (with its version number, which an edit form carries). */
    Optional<StoredResource> stored(String type, String id) {
        try {
            AccessScope scope = scope(FhirAction.READ, type);
            if (scope == null) {
                markHidden();
                return Optional.empty();
            }
            StoredResource stored = repository.read(type, id, scope);
            return stored == null || stored.deleted() ? Optional.empty() : Optional.of(stored);
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The patients with these ids that the person may see, by id, read a hundred to a search rather than one at a
     * time (a board or caseload names hundreds). An id missing from the answer is a patient not found or not
     * visible.
     */
    Map<String, Patient> patients(java.util.Collection<String> ids) {
        List<String> wanted = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
        Map<String, Patient> found = new HashMap<>();
        for (List<String> batch : patientBatches(wanted)) {
            for (Patient p : search("Patient", Patient.class, "_id", String.join(",", batch),
                    "_count", String.valueOf(PATIENTS_PER_SEARCH))) {
                found.put(p.getIdElement().getIdPart(), p);
            }
        }
        return found;
    }

    /**
     * Of these patients (ids), those whose clinical record the person signed in may open: their role lets them
     * view the clinical record and they have a legitimate relationship with the patient or an emergency grant,
     * as the policy decides for any clinical type. Everyone outside a request (the application's own work) may.
     * For what the pages show about a patient from resources the policy counts as reference data, such as the
     * description of an escalation Task, which quotes the NEWS2 score.
     */
    Set<String> clinicallyOpen(java.util.Collection<String> ids) {
        AccessScope scope = scope(FhirAction.SEARCH, CLINICAL_PROBE);
        if (scope == null) {
            return Set.of();
        }
        if (scope.patients() == null) {
            return Set.copyOf(ids);
        }
        Set<String> open = new java.util.HashSet<>(ids);
        open.retainAll(scope.patients());
        return open;
    }

    /** A type of the clinical record, to ask the policy what the person may see of the clinical record. */
    private static final String CLINICAL_PROBE = "Observation";

    static final int PATIENTS_PER_SEARCH = 100;

    /** Patient ids in runs of {@link #PATIENTS_PER_SEARCH}, one search's worth of comma-separated values each. */
    static List<List<String>> patientBatches(List<String> ids) {
        List<List<String>> batches = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i += PATIENTS_PER_SEARCH) {
            batches.add(ids.subList(i, Math.min(ids.size(), i + PATIENTS_PER_SEARCH)));
        }
        return batches;
    }

    /**
     * Searches with the given parameters (name, value pairs; a value may be comma-separated ORs). The lists of the
     * pages show a page of matches and never their total, so none is counted unless the caller asks for one.
     *
     * <p>For a person whose scope restricts what they see, the matches are first counted without the scope (a
     * count from the index alone): when there are none, there is nothing to read and nothing left out. Otherwise
     * the page is read within the scope, and when it holds every match the person may see, comparing its size
     * with that count says whether something was left out without counting again within the scope.
     */
    <T extends Resource> List<T> search(String type, Class<T> model, String... nameValues) {
        SearchRequest request = SearchRequest.of(type, nameValues);
        Map<String, List<String>> parameters = request.parameters();
        parameters.putIfAbsent("_total", List.of("none"));
        AccessScope scope = scope(FhirAction.SEARCH, type);
        if (scope != null && scope.unrestricted()) {
            return parsed(repository.search(request, scope).matches(), model);
        }
        String patient = patientOf(parameters);
        boolean patientOnly = patient != null && PATIENT_ONLY.containsAll(parameters.keySet());
        int all = patientOnly ? patientCount(type, patient) : count(type, parameters, null);
        if (all == 0) {
            return List.of();
        }
        if (scope == null) {
            markHidden();
            return List.of();
        }
        FhirRepository.SearchPage page = repository.search(request, scope);
        boolean hidden;
        if (!page.outcome().hasMore()) {
            // The page holds everything the person may see of this search.
            hidden = page.outcome().matches().size() < all;
            if (patientOnly) {
                knownHidden().putIfAbsent(type + " " + patient, hidden);
            }
        } else if (patient != null) {
            // A search of one patient's resources finds only a part of that patient's resources of the type: when
            // none of those is left out (asked once per request and type), none of the search's is either.
            hidden = hidesOfPatient(type, patient)
                    && (patientOnly || count(type, parameters, scope) < all);
        } else {
            hidden = count(type, parameters, scope) < all;
        }
        if (hidden) {
            markHidden();
        }
        return parsed(page.matches(), model);
    }

    private static <T extends Resource> List<T> parsed(List<StoredResource> found, Class<T> model) {
        return found.stream().filter(s -> !s.deleted()).map(s -> parse(s, model)).toList();
    }

    /**
     * Whether any of the patient's resources of these types is labelled restricted (R) or very restricted (V),
     * whether or not the person may see it, or is hidden from the person signed in.
     */
    boolean hasRestricted(String patientReference, String... types) {
        for (String type : types) {
            String parameter = "Patient".equals(type) ? "_id" : "patient";
            String value = "Patient".equals(type) ? patientReference.substring("Patient/".length()) : patientReference;
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            parameters.put(parameter, List.of(value));
            parameters.put("_security", List.of(CONFIDENTIALITY + "|R," + CONFIDENTIALITY + "|V"));
            parameters.put("_count", List.of("1"));
            parameters.put("_total", List.of("none"));
            if (!repository.search(new SearchRequest(type, parameters, false)).matches().isEmpty()) {
                return true;
            }
        }
        return hidesAnything(patientReference, types);
    }

    /** Whether some of the patient's resources of these types are left out for the person signed in. */
    boolean hidesAnything(String patientReference, String... types) {
        if (currentRequest() == null) {
            return false;
        }
        for (String type : types) {
            if (!"Patient".equals(type) && hidesOfPatient(type, patientReference)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some of the patient's resources of the type are left out for the person signed in: counted, not
     * read (a patient with years of history has thousands of Observations and Encounters), and asked once per
     * request, since the banner and every list of a page ask it of the same patient.
     */
    private boolean hidesOfPatient(String type, String patientReference) {
        if (currentRequest() == null) {
            return false;
        }
        Map<String, Boolean> known = knownHidden();
        String key = type + " " + patientReference;
        Boolean hidden = known.get(key);
        if (hidden == null) {
            hidden = countHidden(type, patientReference);
            known.put(key, hidden);
        }
        return hidden;
    }

    private boolean countHidden(String type, String patientReference) {
        int all = patientCount(type, patientReference);
        if (all == 0) {
            return false;
        }
        AccessScope scope = scope(FhirAction.SEARCH, type);
        if (scope == null) {
            return true;
        }
        if (scope.unrestricted()) {
            return false;
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("patient", List.of(patientReference));
        return count(type, parameters, scope) < all;
    }

    /** How many of the patient's resources of the type there are, whoever may see them; once per request. */
    private int patientCount(String type, String patientReference) {
        Map<String, Integer> known = requestMap(PATIENT_COUNTS);
        String key = type + " " + patientReference;
        Integer n = known == null ? null : known.get(key);
        if (n == null) {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            parameters.put("patient", List.of(patientReference));
            n = count(type, parameters, null);
            if (known != null) {
                known.put(key, n);
            }
        }
        return n;
    }

    /** Per type and patient, whether some of the patient's resources are left out in this request. */
    private static Map<String, Boolean> knownHidden() {
        Map<String, Boolean> known = requestMap(PATIENT_HIDDEN);
        return known == null ? new HashMap<>() : known;
    }

    /**
     * A map kept in the current request under the attribute; null outside a request, and in a request that may
     * write (anything but GET), where what was counted before a write would no longer hold after it.
     */
    private static <V> Map<String, V> requestMap(String attribute) {
        HttpServletRequest request = currentRequest();
        if (request == null || !"GET".equals(request.getMethod())) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, V> map = (Map<String, V>) request.getAttribute(attribute);
        if (map == null) {
            map = new HashMap<>();
            request.setAttribute(attribute, map);
        }
        return map;
    }

    /** The one patient a search is limited to ({@code patient=Patient/id}), or null. */
    private static String patientOf(Map<String, List<String>> parameters) {
        List<String> values = parameters.get("patient");
        if (values == null || values.size() != 1) {
            return null;
        }
        String value = values.get(0);
        return value.startsWith("Patient/") && value.indexOf(',') < 0 && value.indexOf('/', 8) < 0 ? value : null;
    }

    /**
     * How many resources match the search (paging and sorting ignored), within the scope, or all of them when the
     * scope is null: a count query, so comparing what the person sees with what there is reads no resources.
     */
    private int count(String type, Map<String, List<String>> parameters, AccessScope scope) {
        Map<String, List<String>> counting = new LinkedHashMap<>(parameters);
        counting.remove("_count");
        counting.remove("_sort");
        counting.remove("_total");
        counting.put("_summary", List.of("count"));
        SearchRequest request = new SearchRequest(type, counting, false);
        Integer total = (scope == null ? repository.search(request) : repository.search(request, scope)).outcome()
                .total();
        return total == null ? 0 : total;
    }

    /**
     * Whether the person signed in reaches the patient's clinical record at all (through a relationship or an
     * emergency grant), as opposed to seeing demographics only; entries with labels their role does not see may
     * still be left out either way.
     */
    boolean reaches(String patientId) {
        AccessScope scope = scope(FhirAction.READ, "Condition");
        return scope != null && (scope.patients() == null || scope.patients().contains(patientId));
    }

    /** How much of a patient's resources of one type the person signed in sees. */
    enum Seen {
        /** All of them, so an empty list means there are none. */
        ALL,
        /** Some are left out (labels the role does not see), so an empty list does not mean there are none. */
        PART,
        /**
         * None: the type is outside their role, or the patient outside their relationships. Whether there are any
         * is not theirs to know either, so nothing is counted.
         */
        NONE
    }

    /** How much of the patient's resources of the type the person signed in sees. */
    Seen seen(String patientId, String type) {
        AccessScope scope = scope(FhirAction.SEARCH, type);
        if (scope == null || !scope.permitsType(type)) {
            return Seen.NONE;
        }
        // Administrative types (alerts, appointments) are open to every patient's; clinical ones need the patient.
        AccessScope ofType = scope.forType(type);
        if (ofType.patients() != null && !ofType.openTypes().contains(type)
                && !ofType.patients().contains(patientId)) {
            return Seen.NONE;
        }
        return hidesOfPatient(type, "Patient/" + patientId) ? Seen.PART : Seen.ALL;
    }

    /** Whether the person signed in may open a record in an emergency. */
    boolean mayBreakGlass() {
        HttpServletRequest request = currentRequest();
        return request != null && requesters.current(request).permits(org.charnwood.app.security.Activity.BREAK_GLASS);
    }

    /**
     * Whether the person signed in is linked to a practitioner record. Access is read by practitioner, so an
     * emergency grant to an account linked to none would open nothing, and the grant refuses it.
     */
    boolean linkedToPractitioner() {
        HttpServletRequest request = currentRequest();
        return request != null && requesters.current(request).linkedToPractitioner();
    }

    /** Whether the request has read less than there is. */
    static boolean somethingHidden() {
        HttpServletRequest request = currentRequest();
        return request != null && Boolean.TRUE.equals(request.getAttribute(HIDDEN));
    }

    /**
     * The scope for the person signed in; {@link AccessScope#UNRESTRICTED} outside a request; null when their
     * role may not read the type at all.
     */
    private AccessScope scope(FhirAction action, String type) {
        HttpServletRequest request = currentRequest();
        if (request == null) {
            return AccessScope.UNRESTRICTED;
        }
        // A page reads many lists of the same types; the policy's answer (its relationship and break-glass look-ups)
        // cannot change within one request, so it is asked once per interaction and type.
        @SuppressWarnings("unchecked")
        Map<String, Optional<AccessScope>> decided = (Map<String, Optional<AccessScope>>) request.getAttribute(SCOPES);
        if (decided == null) {
            decided = new HashMap<>();
            request.setAttribute(SCOPES, decided);
        }
        String key = action + " " + type;
        Optional<AccessScope> known = decided.get(key);
        if (known == null) {
            known = Optional.ofNullable(decide(request, action, type));
            decided.put(key, known);
        }
        return known.orElse(null);
    }

    private AccessScope decide(HttpServletRequest request, FhirAction action, String type) {
        return policy.readForRequestOrNone(requesters.current(request), action, type);
    }

    private static void markHidden() {
        HttpServletRequest request = currentRequest();
        if (request != null) {
            request.setAttribute(HIDDEN, Boolean.TRUE);
        }
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    static <T extends Resource> T parse(StoredResource stored, Class<T> model) {
        return stored.parse(model);
    }
}
