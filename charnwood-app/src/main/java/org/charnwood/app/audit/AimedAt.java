package org.charnwood.app.audit;

import org.charnwood.app.security.RequestAimedAt;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.fhir.FhirRepository;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patients a refused or failed page or API request was aimed at, so that its failure record names them and the
 * attempt is in each one's "who accessed my record", as a refused FHIR request is: the patient in the address
 * ({@code /staff/patients/{id}}, a {@code patientId} path variable), a {@code patient} or {@code patientId}
 * parameter, and any a handler named ({@link RequestAimedAt}, for a JSON body). Only ids of Patients that exist are
 * named, so that nobody can write made-up ids into the trail; the look-up is the trail's own and is not shown to
 * the caller, nor recorded as a read. The patients a handler found in the record that its request concerns (the
 * patient of an escalation, those of a team's day) are named too, all of them.
 */
final class AimedAt {

    /** At most this many candidates are looked up for one request. */
    private static final int MOST = 5;
    private static final Pattern PATIENT_PATH = Pattern.compile("/patients/([A-Za-z0-9.\\-]{1,64})(?:/|$)");
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9.\\-]{1,64}");

    private final FhirRepository repository;

    AimedAt(FhirRepository repository) {
        this.repository = repository;
    }

    /**
     * The existing patients the request names, and those a handler found in the record that it concerns
     * ({@link RequestAimedAt#concerning}); its scope does not count these look-ups as the page's reads.
     */
    Set<String> patients(HttpServletRequest request, AuditScope scope) {
        Set<String> candidates = candidates(request);
        List<Supplier<? extends Collection<String>>> concerned = RequestAimedAt.concerned(request);
        Set<String> found = new TreeSet<>();
        if (candidates.isEmpty() && concerned.isEmpty()) {
            return found;
        }
        scope.ignoringReads(() -> {
            for (String id : candidates) {
                if (exists(id)) {
                    found.add(id);
                }
            }
            for (Supplier<? extends Collection<String>> finder : concerned) {
                found.addAll(foundBy(finder));
            }
        });
        return found;
    }

    /**
     * The patients a handler's finder found in the record. Being taken from the record they need no look-up, and
     * are named however many there are (one record naming every patient, as a search's is); a finder that fails
     * names none, and the refusal is recorded all the same.
     */
    private static Set<String> foundBy(Supplier<? extends Collection<String>> finder) {
        Set<String> ids = new TreeSet<>();
        try {
            Collection<String> patients = finder.get();
            if (patients != null) {
                for (String id : patients) {
                    String bare = id != null && id.startsWith("Patient/") ? id.substring("Patient/".length()) : id;
                    if (bare != null && FHIR_ID.matcher(bare).matches()) {
                        ids.add(bare);
                    }
                }
            }
        } catch (RuntimeException e) {
            return Set.of();
        }
        return ids;
    }

    private boolean exists(String id) {
        try {
            repository.read("Patient", id);
            return true;
        } catch (RuntimeException notFoundOrGone) {
            return false;
        }
    }

    static Set<String> candidates(HttpServletRequest request) {
        Set<String> ids = new LinkedHashSet<>(RequestAimedAt.named(request));
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher m = PATIENT_PATH.matcher(path);
        if (m.find()) {
            ids.add(m.group(1));
        }
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
                && variables.get("patientId") instanceof String id) {
            ids.add(id);
        }
        for (String name : new String[] {"patient", "patientId"}) {
            String value = parameter(request, name);
            if (value != null) {
                ids.add(value.startsWith("Patient/") ? value.substring("Patient/".length()) : value);
            }
        }
        Set<String> valid = new LinkedHashSet<>();
        for (String id : ids) {
            if (id != null && FHIR_ID.matcher(id).matches() && valid.size() < MOST) {
                valid.add(id);
            }
        }
        return valid;
    }

    private static String parameter(HttpServletRequest request, String name) {
        try {
            return request.getParameter(name);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
