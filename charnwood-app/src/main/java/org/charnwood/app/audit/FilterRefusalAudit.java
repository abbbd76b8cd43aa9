package org.charnwood.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the refusals the security filter chain makes before any page or API handler runs (a patient or carer
 * opening a staff page, staff opening the patient area, a token without the API's scope, a role that does not
 * permit an operations API, a form post without its CSRF token): a failure naming who asked and what they asked
 * for, as a refusal by a handler is recorded ({@link PageAudit}), so that these attempts are on the trail too.
 *
 * <p>No handler has run, so none has named the patient the request was aimed at where its address does not: this
 * names them as those handlers would, from a JSON body's {@code patientId} or {@code patient} (emergency access, an EHR
 * launch) and from the grant or identity confirmation a review addresses, so that a request refused for its token's
 * scope is in that patient's access history as a refusal by the handler would be. {@link AimedAt} names only those
 * that exist.
 */
public final class FilterRefusalAudit implements org.charnwood.app.security.RefusalRecorder {

    private final AuditTrail trail;
    private final RequesterSource requesters;
    private final AimedAt aimedAt;
    private final ObjectProvider<EmergencyAccessReviews> grants;
    private final ObjectProvider<IdentityConfirmationReviews> confirmations;

    /** The most of a refused request's JSON body that is read for the patient it names: the API's bodies are small. */
    private static final int MOST_BODY = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GRANT_REVIEW = Pattern.compile("^/api/break-glass/([^/]{1,64})/review$");
    private static final Pattern CONFIRMATION_REVIEW =
            Pattern.compile("^/api/break-glass/identity-confirmations/([^/]{1,64})/review$");

    FilterRefusalAudit(AuditTrail trail, RequesterSource requesters, AimedAt aimedAt,
                       ObjectProvider<EmergencyAccessReviews> grants,
                       ObjectProvider<IdentityConfirmationReviews> confirmations) {
        this.trail = trail;
        this.requesters = requesters;
        this.aimedAt = aimedAt;
        this.grants = grants;
        this.confirmations = confirmations;
    }

    @Override
    public AccessDeniedHandler recording(AccessDeniedHandler then) {
        return (request, response, denied) -> {
            refused(request, 403);
            then.handle(request, response, denied);
        };
    }

    /** One failure record for a request refused with {@code status}, unless a handler's record covers it. */
    void refused(HttpServletRequest request, int status) {
        if (!trail.enabled() || PageAudit.scope(request) != null) {
            return;
        }
        Requester requester;
        try {
            requester = requesters.current(request);
        } catch (RuntimeException e) {
            // Recorded as from the request's address when who is asking cannot be worked out.
            requester = null;
        }
        namedByTheRequest(request);
        try (AuditScope scope = trail.open(request)) {
            scope.page(aimedAt);
            scope.requester(requester);
            scope.pageFailed(status);
        }
    }

    /** The patient the refused request names where only its handler would have looked: its body, or what it reviews. */
    private void namedByTheRequest(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher grant = GRANT_REVIEW.matcher(path);
        if (grant.matches()) {
            String id = grant.group(1);
            RequestAimedAt.concerning(request, () -> Optional.ofNullable(grants.getIfAvailable())
                    .flatMap(g -> g.find(id)).map(g -> List.of(g.patientId())).orElse(List.of()));
        }
        Matcher confirmation = CONFIRMATION_REVIEW.matcher(path);
        if (confirmation.matches()) {
            String id = confirmation.group(1);
            RequestAimedAt.concerning(request, () -> Optional.ofNullable(confirmations.getIfAvailable())
                    .flatMap(c -> c.find(id)).map(c -> List.of(c.patientId())).orElse(List.of()));
        }
        for (String name : List.of("patientId", "patient")) {
            JsonNode value = jsonBody(request).path(name);
            if (value.isTextual()) {
                RequestAimedAt.patient(request, value.asText());
            }
        }
    }

    /**
     * The request's JSON body, when it has one that nothing has read (a refusal in the filter chain comes before
     * any handler); an empty object otherwise, or when it is too long or not JSON.
     */
    private static JsonNode jsonBody(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json")
                || request.getContentLengthLong() > MOST_BODY) {
            return JSON.createObjectNode();
        }
        if (request.getAttribute(BODY) instanceof JsonNode read) {
            return read;
        }
        JsonNode body;
        try {
            byte[] bytes = request.getInputStream().readNBytes(MOST_BODY + 1);
            body = bytes.length > MOST_BODY ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException | RuntimeException unreadable) {
            body = JSON.createObjectNode();
        }
        if (body == null || !body.isObject()) {
            body = JSON.createObjectNode();
        }
        request.setAttribute(BODY, body);
        return body;
    }

    private static final String BODY = FilterRefusalAudit.class.getName() + ".body";
}
