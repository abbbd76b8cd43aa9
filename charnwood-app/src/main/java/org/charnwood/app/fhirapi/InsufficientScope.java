package org.charnwood.app.fhirapi;

import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.ScopeNotGranted;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;

/**
 * The {@code insufficient_scope} challenge of a 403 for want of a SMART scope (RFC 6750 section 3.1), naming the
 * scopes any one of which would have allowed the request when the refusal knows them, as the {@code /api} endpoints
 * do. Set on the response before the error is rendered, so it goes out with the OperationOutcome.
 */
final class InsufficientScope {

    private InsufficientScope() {
    }

    static void challenge(FhirException refusal, HttpServletResponse response) {
        // A bundle refused for one entry's scope is a ScopeNotGranted whose outcome names the entry instead.
        if (refusal.status() != 403 || !(refusal instanceof ScopeNotGranted || refusal.is(ErrorCode.SCOPE_NOT_GRANTED))) {
            return;
        }
        String value = "Bearer error=\"insufficient_scope\"";
        if (refusal instanceof ScopeNotGranted scopes && !scopes.needed().isEmpty()) {
            value += ", scope=\"" + String.join(" ", scopes.needed()) + "\"";
        }
        response.setHeader("WWW-Authenticate", value);
    }
}
