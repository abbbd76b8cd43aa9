package org.charnwood.app.security.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The 401 for the FHIR endpoint and the JSON APIs: the {@code WWW-Authenticate} challenge the bearer-token
 * standard asks for, with an OperationOutcome body ({@link ErrorCode#AUTHENTICATION_REQUIRED}) so that a FHIR
 * client gets the same kind of answer as for every other refusal.
 */
final class AuthenticationRequiredEntryPoint implements AuthenticationEntryPoint {

    private final AuthenticationEntryPoint challenge;

    AuthenticationRequiredEntryPoint(AuthenticationEntryPoint challenge) {
        this.challenge = challenge;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, jakarta.servlet.ServletException {
        challenge.commence(request, response, e);
        OperationOutcome outcome = FhirException.outcome(OperationOutcome.IssueSeverity.ERROR,
                ErrorCode.AUTHENTICATION_REQUIRED, OperationOutcome.IssueType.LOGIN,
                "Sign in, or send a valid bearer access token", null);
        byte[] body = FhirContexts.r4().newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setContentType(request.getRequestURI().startsWith("/fhir") ? "application/fhir+json;charset=UTF-8"
                : "application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
