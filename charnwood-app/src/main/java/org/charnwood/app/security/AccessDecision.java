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
public record AccessDecision(Requester requester, AccessScope scope, List<String> emergencyGrantIds) {

    /** The request attribute holding the decision (the last one made, for a bundle the union of its entries). */
    public static final String ATTRIBUTE = AccessDecision.class.getName();

    public AccessDecision {
        emergencyGrantIds = emergencyGrantIds == null ? List.of() : List.copyOf(emergencyGrantIds);
    }

    public boolean emergency() {
        return !emergencyGrantIds.isEmpty();
    }

    /** Records the decision on the request, merging the emergency grants of earlier decisions for it. */
    public static void record(HttpServletRequest request, AccessDecision decision) {
        if (request.getAttribute(ATTRIBUTE) instanceof AccessDecision earlier && earlier.emergency()) {
            java.util.LinkedHashSet<String> grants = new java.util.LinkedHashSet<>(earlier.emergencyGrantIds());
            grants.addAll(decision.emergencyGrantIds());
            decision = new AccessDecision(decision.requester(), decision.scope(), List.copyOf(grants));
        }
        request.setAttribute(ATTRIBUTE, decision);
    }

    /** The decision made for the request; null when none was (no FHIR access, or refused before deciding). */
    public static AccessDecision of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof AccessDecision d ? d : null;
    }
}
