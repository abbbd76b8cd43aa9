package org.charnwood.app.fhirapi;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.fhir.AnswerFormat;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.RedactedFailure;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Turns every failure on the FHIR endpoint into an OperationOutcome. Client errors are not
 * logged (their messages may quote patient data); server errors are logged with an incident id
 * and the types and stack frames of the exception and its causes, without their messages
 * ({@link RedactedFailure}), and the id is given to the client so support can find the log.
 */
@RestControllerAdvice(assignableTypes = FhirEndpoint.class)
class FhirErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(FhirErrorResponses.class);

    @ExceptionHandler(FhirException.class)
    ResponseEntity<byte[]> refused(FhirException e, HttpServletRequest request) {
        ResponseEntity<byte[]> response = render(e.outcome(), e.status(), request);
        if (e instanceof MethodNotAllowed notAllowed) {
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .header(HttpHeaders.ALLOW, String.join(", ", notAllowed.allow())).body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> failed(Exception e, HttpServletRequest request) {
        String incident = UUID.randomUUID().toString();
        // The types and frames of the failure and its causes, never their messages: a wrapped PostgreSQL or parser
        // error quotes the values it failed on.
        log.error("FHIR request failed: incident={} exception={}", incident, e.getClass().getName(),
                RedactedFailure.of(e));
        OperationOutcome oo = FhirException.outcome(IssueSeverity.FATAL, ErrorCode.INTERNAL_ERROR, IssueType.EXCEPTION,
                "The server could not complete the request; quote incident " + incident + " to support", null);
        return render(oo, 500, request);
    }

    private static ResponseEntity<byte[]> render(OperationOutcome oo, int status, HttpServletRequest request) {
        AnswerFormat answer = AnswerFormat.JSON;
        try {
            answer = AnswerFormat.negotiate(request.getParameter("_format"), request.getHeader("Accept"), false);
        } catch (FhirException ignored) {
            // the format itself was the problem: answer in JSON
        }
        String body = answer.format().newParser().setPrettyPrint(ResponseFormat.pretty(request))
                .encodeResourceToString(oo);
        return ResponseEntity.status(status)
                .header(HttpHeaders.CONTENT_TYPE, answer.contentType())
                .body(body.getBytes(StandardCharsets.UTF_8));
    }
}
