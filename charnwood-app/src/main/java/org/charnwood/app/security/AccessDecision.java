package org.charnwood.app.security;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.fhir.search.AccessScope;

import java.util.List;

/**
 * What the access policy allowed for one request: the scope the repository must apply, and the emergency
 * (break-glass) grants the access relies on, so the audit trail can record it as emergency access. Kept on the
 * HTTP request as the attribute {@link #ATTRIBUTE}.
 *
 * @param requester          who asked
 * @param scope              what the requester may see
 * @param emergencyGrantIds  ids of the break-glass grants whose patients the request could reach only through
 *                           them; empty for ordinary access
 */
public record AccessDecision(Requester requester, AccessScope scope, List<String> emergencyGrantIds,
                             java.util.Map<String, String> emergencyGrantByPatient) {

    /** A decision that does not say which patient each emergency grant is for. */
    public AccessDecision(Requester requester, AccessScope scope, List<String> emergencyGrantIds) {
        this(requester, scope, emergencyGrantIds, java.util.Map.of());
    }

    /** The request attribute holding the decision (the last one made, for a bundle the union of its entries). */
    public static final String ATTRIBUTE = AccessDecision.class.getName();

    /**
     * @param emergencyGrantByPatient for the patients reached only through an emergency grant, the grant's id
     *                                (empty when not known per patient)
     */
    public AccessDecision {
        emergencyGrantIds = emergencyGrantIds == null ? List.of() : List.copyOf(emergencyGrantIds);
        emergencyGrantByPatient = emergencyGrantByPatient == null ? java.util.Map.of()
                : java.util.Map.copyOf(emergencyGrantByPatient);
    }

    /**
     * The emergency grants that covered access to any of {@code patients}: exactly those when the decision knows
     * each grant's patient, otherwise every grant it lists (on the safe side).
     */
    public List<String> emergencyGrantsFor(java.util.Collection<String> patients) {
        if (emergencyGrantByPatient.isEmpty()) {
            return emergencyGrantIds;
        }
        java.util.LinkedHashSet<String> grants = new java.util.LinkedHashSet<>();
        for (String patient : patients) {
            String grant = emergencyGrantByPatient.get(patient);
            if (grant != null) {
                grants.add(grant);
            }
        }
        return List.copyOf(grants);
    }

    public boolean emergency() {
        return !emergencyGrantIds.isEmpty();
    }

    /** Records the decision on the request, merging the emergency grants of earlier decisions for it. */
    public static void record(HttpServletRequest request, AccessDecision decision) {
        if (request.getAttribute(ATTRIBUTE) instanceof AccessDecision earlier && earlier.emergency()) {
            java.util.LinkedHashSet<String> grants = new java.util.LinkedHashSet<>(earlier.emergencyGrantIds());
            grants.addAll(decision.emergencyGrantIds());
            java.util.Map<String, String> byPatient = new java.util.HashMap<>(earlier.emergencyGrantByPatient());
            byPatient.putAll(decision.emergencyGrantByPatient());
            // Per-patient knowledge is kept only when every decision merged had it for all its grants.
            boolean known = !earlier.emergencyGrantByPatient().isEmpty()
                    && (decision.emergencyGrantIds().isEmpty() || !decision.emergencyGrantByPatient().isEmpty());
            decision = new AccessDecision(decision.requester(), decision.scope(), List.copyOf(grants),
                    known ? byPatient : java.util.Map.of());
        }
        request.setAttribute(ATTRIBUTE, decision);
    }

    /**
     * Records the decision on the request being handled on this thread, if any, and returns it: for the pages,
     * which decide as they read, so that their audit record knows the emergency grants their reads relied on.
     */
    public static AccessDecision recordOnCurrentRequest(AccessDecision decision) {
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes attributes) {
            record(attributes.getRequest(), decision);
        }
        return decision;
    }

    /** The decision made for the request; null when none was (no FHIR access, or refused before deciding). */
    public static AccessDecision of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof AccessDecision d ? d : null;
    }
}
