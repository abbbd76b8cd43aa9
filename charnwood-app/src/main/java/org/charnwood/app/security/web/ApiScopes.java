package org.charnwood.app.security.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a bearer token must have been granted to reach the APIs outside {@code /fhir}. A person's roles say what
 * they may do; a token is what they let one app do, so an app reaches an API only when its token was granted the
 * scope for it (and the client was registered for that scope, which the token endpoint checks), on top of the
 * role the API itself asks for. A signed-in page session is the person themselves: there the role alone counts.
 * An API with no scope of its own is closed to bearer tokens.
 */
final class ApiScopes {

    /** {@code /api/admin/clients}: registering and removing apps. */
    static final String ADMIN_CLIENTS = "charnwood/admin.clients";
    /** {@code POST /api/launch}: minting EHR launch ids. */
    static final String LAUNCH = "charnwood/launch";
    /** {@code POST /api/break-glass}: emergency access to a record. */
    static final String BREAK_GLASS = "charnwood/break-glass";
    /** {@code /api/break-glass/reviews}, {@code /api/break-glass/{id}/review}: information governance review. */
    static final String BREAK_GLASS_REVIEW = "charnwood/break-glass.review";
    /** {@code /actuator/auditchain}: verifying the whole audit trail. */
    static final String AUDIT_CHAIN = "charnwood/audit.chain";
    /** The other role-protected actuator endpoints, the metrics among them, and {@code /api/operations/**}. */
    static final String OPERATIONS = "charnwood/operations";

    /** Request attribute naming the scope a token lacked, for the refusal's message. */
    private static final String MISSING = ApiScopes.class.getName() + ".missing";
    /** A SMART scope that lets its holder search code systems or value sets (terminology, no patient data). */
    private static final Pattern TERMINOLOGY_SEARCH =
            Pattern.compile("(patient|user|system)/(\\*|CodeSystem|ValueSet)\\.(c?r?u?d?s|read|\\*)");

    private ApiScopes() {
    }

    /** A token needs {@code scope} and then what {@code then} asks; a session only what {@code then} asks. */
    static AuthorizationManager<RequestAuthorizationContext> tokenGranted(
            String scope, AuthorizationManager<RequestAuthorizationContext> then) {
        return tokenGranted(scope, scopes -> scopes.contains(scope), then);
    }

    /** As {@link #tokenGranted(String, AuthorizationManager)}, with the scopes that cover the API told by a test. */
    static AuthorizationManager<RequestAuthorizationContext> tokenGranted(
            String described, Predicate<List<String>> covers, AuthorizationManager<RequestAuthorizationContext> then) {
        return (authentication, context) -> {
            if (authentication.get() instanceof JwtAuthenticationToken token && !covers.test(scopes(token))) {
                context.getRequest().setAttribute(MISSING, described);
                return new AuthorizationDecision(false);
            }
            return then.authorize(authentication, context);
        };
    }

    /** Bearer tokens reach nothing here: for the pages and anything else without a scope of its own. */
    static AuthorizationManager<RequestAuthorizationContext> sessionsOnly(
            AuthorizationManager<RequestAuthorizationContext> then) {
        return tokenGranted("no scope (this is not an API for apps)", scopes -> false, then);
    }

    /** The terminology search holds no patient data: any SMART scope to search code systems or value sets. */
    static boolean searchesTerminology(List<String> scopes) {
        return scopes.stream().anyMatch(s -> TERMINOLOGY_SEARCH.matcher(s).matches());
    }

    private static List<String> scopes(JwtAuthenticationToken token) {
        String scope = token.getToken().getClaimAsString("scope");
        return scope == null || scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
    }

    /**
     * The 403 for a bearer token: the {@code insufficient_scope} challenge when the token lacked the API's scope,
     * with an OperationOutcome saying which scope ({@link ErrorCode#SCOPE_NOT_GRANTED}), or that the role does not
     * permit it ({@link ErrorCode#ACCESS_DENIED}).
     */
    static AccessDeniedHandler refusal() {
        BearerTokenAccessDeniedHandler challenge = new BearerTokenAccessDeniedHandler();
        return (HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) -> {
            challenge.handle(request, response, e);
            Object missing = request.getAttribute(MISSING);
            OperationOutcome outcome = missing == null
                    ? FhirException.outcome(OperationOutcome.IssueSeverity.ERROR, ErrorCode.ACCESS_DENIED,
                    OperationOutcome.IssueType.FORBIDDEN, "Your role does not permit this", null)
                    : FhirException.outcome(OperationOutcome.IssueSeverity.ERROR, ErrorCode.SCOPE_NOT_GRANTED,
                    OperationOutcome.IssueType.FORBIDDEN, "The access token was not granted " + missing, null);
            writeJson(response, outcome);
        };
    }

    private static void writeJson(HttpServletResponse response, OperationOutcome outcome) throws IOException {
        byte[] body = FhirContexts.r4().newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
