package org.charnwood.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.charnwood.fhir.RedactedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.DisconnectedClientHelper;

import java.io.IOException;
import java.util.UUID;

/**
 * The last word on a failure that no handler dealt with, on the staff, patient and public pages (and the APIs
 * beside them; the FHIR API answers its own, in {@code FhirErrorResponses}). Left to go on, it would reach the
 * servlet container, which logs it with its message and the messages of its causes, and those can quote patient
 * data (a PostgreSQL error's "Failing row contains (...)", a parser's complaint about the value it read, a message
 * naming the patient). Here it is logged with an incident id by the types and stack frames of the failure and its
 * causes only ({@link RedactedFailure}), and the person is sent the trust's error page with status 500, the
 * container's error dispatch rendering it as for any other 500.
 *
 * <p>It runs outside everything else but the character encoding and request metrics, so that a failure in a
 * security filter is caught too. A form or query string the container cannot decode is the caller's fault: 400,
 * and nothing logged. A client that went away mid-response is not a fault of ours: that is left to the
 * container, which says nothing of it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
final class UncaughtPageFailures extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(UncaughtPageFailures.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
                throw e;
            }
            // The dispatcher wraps a handler's failure in a ServletException whose message repeats the failure's.
            Throwable failure = e instanceof ServletException && e.getCause() != null ? e.getCause() : e;
            if (failure instanceof InvalidParameterException && !response.isCommitted()) {
                // A query string or form the container could not decode (a '%' not followed by two hex digits): the
                // caller's mistake, met by whichever filter first asked for a parameter. A 400, and nothing logged.
                response.sendError(HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            String incident = UUID.randomUUID().toString();
            log.error("Page request failed: incident={} exception={}", incident, failure.getClass().getName(),
                    RedactedFailure.of(failure));
            if (!response.isCommitted()) {
                // The container forwards to the error page; the failure itself goes no further.
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        }
    }
}
