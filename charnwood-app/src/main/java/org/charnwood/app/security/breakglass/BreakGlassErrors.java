package org.charnwood.app.security.breakglass;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.nio.charset.StandardCharsets;

/**
 * Refusals of the break-glass API and of its identity confirmation reviews as OperationOutcomes with their status
 * (401, 403, 400, 404, 409).
 */
@RestControllerAdvice(assignableTypes = {BreakGlassEndpoint.class, IdentityConfirmationReviewEndpoint.class})
class BreakGlassErrors {

    @ExceptionHandler(FhirException.class)
    ResponseEntity<byte[]> refused(FhirException e) {
        byte[] body = FhirContexts.r4().newJsonParser().encodeResourceToString(e.outcome())
                .getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.status(e.status()).contentType(MediaType.parseMediaType("application/fhir+json"))
                .body(body);
    }
}
