package org.charnwood.app.security.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.fhir.AnswerFormat;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The 401 for the FHIR endpoint and the JSON APIs: the {@code WWW-Authenticate} challenge the bearer-token
 * standard asks for, with an OperationOutcome body ({@link ErrorCode#AUTHENTICATION_REQUIRED}) so that a FHIR
 * client gets the same kind of answer as for every other refusal, in the format it asked for. It answers both a
 * request with no token and one whose token is malformed, expired or revoked.
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
        boolean fhir = request.getRequestURI().startsWith("/fhir");
        AnswerFormat answer = fhir ? answerFormat(request) : AnswerFormat.JSON;
        boolean pretty = fhir && "true".equalsIgnoreCase(request.getParameter("_pretty"));
        byte[] body = answer.format().newParser().setPrettyPrint(pretty).encodeResourceToString(outcome)
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType(fhir ? answer.contentType() : "application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** At {@code /fhir}, the format the request asks for, as for any other answer there; JSON if it names none. */
    private static AnswerFormat answerFormat(HttpServletRequest request) {
        try {
            return AnswerFormat.negotiate(request.getParameter("_format"), request.getHeader("Accept"), false);
        } catch (FhirException e) {
            return AnswerFormat.JSON;
        }
    }
}
