package org.charnwood.app.fhirapi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.repository.FhirSettings;
import org.charnwood.app.audit.AuditScope;
import org.charnwood.app.audit.AuditTrail;
import org.charnwood.app.security.OtherPatientsLeftOut;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.terminology.BindingWarnings;
import org.charnwood.fhir.ConflictRetry;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The FHIR R4 REST endpoint at {@code /fhir}: works out which interaction a request is and hands
 * it to the class that performs it. Every request is timed per interaction for the metrics.
 */
@RestController
class FhirEndpoint {

    private final ReadInteractions reads;
    private final WriteInteractions writes;
    private final ServerInteractions server;
    private final FhirSettings settings;
    private final MeterRegistry meters;
    private final RequesterSource requesters;
    private final AuditTrail audit;
    private final AuditEventInteractions auditEvents;
    private final WriteTargets targets;
    private final OtherPatientsLeftOut othersLeftOut;

    FhirEndpoint(ReadInteractions reads, WriteInteractions writes, ServerInteractions server, FhirSettings settings,
                 MeterRegistry meters, RequesterSource requesters, AuditTrail audit,
                 AuditEventInteractions auditEvents, WriteTargets targets, OtherPatientsLeftOut othersLeftOut) {
        this.audit = audit;
        this.othersLeftOut = othersLeftOut;
        this.targets = targets;
        this.auditEvents = auditEvents;
        this.reads = reads;
        this.writes = writes;
        this.server = server;
        this.settings = settings;
        this.meters = meters;
        this.requesters = requesters;
    }

    @RequestMapping({"/fhir", "/fhir/", "/fhir/**"})
    ResponseEntity<byte[]> handle(HttpServletRequest request, HttpServletResponse response) {
        long start = System.nanoTime();
        String interaction = "unknown";
        String type = "none";
        String operation = "none";
        int status = 500;
        // Every request is audited, refusals and failures included; the record commits before we return.
        AuditScope scope = audit.open(request);
        BindingWarnings.start();
        FhirCall call = null;
        try {
            Requester requester = requesters.current(request);
            scope.requester(requester);
            String path = request.getRequestURI().substring(request.getContextPath().length() + "/fhir".length());
            FhirRoute route = FhirRoute.parse(path);
            type = route.type() == null ? "none" : route.type();
            interaction = Interactions.name(request.getMethod(), route);
            operation = Interactions.OPERATION.equals(interaction) ? route.operation() : "none";
            scope.interaction(interaction, route.type(), route.id(), route.versionId(), route.operation());
            call = new FhirCall(request, route, baseUrl(), settings.maxRequestBytes().toBytes(),
                    requester, scope, othersLeftOut);
            ResponseEntity<byte[]> answer = outlivingClashes(interaction, call);
            status = answer.getStatusCode().value();
            scope.succeeded(status);
            return answer;
        } catch (FhirException e) {
            status = e.status();
            if (!"none".equals(operation) && e.is(ErrorCode.UNSUPPORTED_INTERACTION)) {
                // A name no operation here answers to: the caller chose it, so it must not become a series of its own.
                operation = "unknown";
            }
            InsufficientScope.challenge(e, response);
            attempted(scope, call, interaction);
            scope.failed(status, e.outcome());
            throw e;
        } catch (RuntimeException e) {
            attempted(scope, call, interaction);
            scope.failed(500, null);
            throw e;
        } finally {
            scope.close();
            BindingWarnings.finish();
            Timer.builder("fhir.requests")
                    .description("FHIR interactions served")
                    .tag("interaction", metricName(interaction, scope))
                    .tag("type", type)
                    .tag("operation", operation)
                    .tag("outcome", status < 400 ? "success" : status < 500 ? "client_error" : "server_error")
                    .register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The interaction as the metrics name it: a posted bundle is a transaction or a batch, which differ in cost and
     * in what a failure means (one rolls back whole, the other entry by entry), so they are timed apart. A body that
     * is not a transaction or batch bundle keeps the routing name.
     */
    private static String metricName(String interaction, AuditScope scope) {
        if (Interactions.BATCH.equals(interaction)) {
            String bundleType = scope.bundleType();
            if ("transaction".equals(bundleType) || "batch".equals(bundleType)) {
                return bundleType;
            }
        }
        return interaction;
    }

    /**
     * A write that failed (refused above all) is recorded against the patients it would have changed, so that the
     * attempt shows in their access history although nothing was written. AuditEvents are never written at all.
     */
    private void attempted(AuditScope scope, FhirCall call, String interaction) {
        if (call != null && !"AuditEvent".equals(call.route().type())) {
            scope.about(targets.of(call, interaction));
        }
    }

    /**
     * Runs the interaction, again when PostgreSQL broke a deadlock or serialisation failure with another writer by
     * rolling its transaction back (40P01, 40001): nothing of it was written and nothing the caller sent was wrong,
     * so it is not theirs to retry. Each attempt is the whole unit of work, the body parsed afresh (a run rewrites
     * the resources it writes), in a transaction of its own. Operations are left alone: some start work outside the
     * transaction, and a bulk import retries its own write. Only after {@link ConflictRetry#ATTEMPTS} clashes in a
     * row is the caller told, with 503: the server is too busy with those records to make the change now.
     */
    private ResponseEntity<byte[]> outlivingClashes(String interaction, FhirCall call) {
        if (Interactions.OPERATION.equals(interaction) || "GET".equals(call.method())
                || "HEAD".equals(call.method())) {
            return dispatch(interaction, call);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return dispatch(interaction, call);
            } catch (FhirException e) {
                if (!ConflictRetry.isClash(e)) {
                    throw e;
                }
                if (attempt >= ConflictRetry.ATTEMPTS) {
                    throw FhirException.of(503, ErrorCode.WRITES_CLASHED, OperationOutcome.IssueType.TRANSIENT,
                            "Other changes to the same records at the same moment stopped this one " + attempt
                                    + " times running, so nothing was written; send it again");
                }
            }
        }
    }

    private ResponseEntity<byte[]> dispatch(String interaction, FhirCall call) {
        if ("AuditEvent".equals(call.route().type())) {
            // The audit trail is served from its own store and is never written through the API.
            return auditEvents.handle(interaction, call);
        }
        if ((Interactions.SEARCH_SYSTEM.equals(interaction) || Interactions.HISTORY_SYSTEM.equals(interaction))
                && typesAsked(call).contains("AuditEvent")) {
            // The clinical store holds no AuditEvents: answering from it would say, wrongly, that there are none.
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, "AuditEvents are not searched across"
                    + " types: the audit trail is searched at AuditEvent (GET [base]/AuditEvent?...); leave AuditEvent"
                    + " out of _type");
        }
        return switch (interaction) {
            case Interactions.READ -> reads.read(call);
            case Interactions.VREAD -> reads.vread(call);
            case Interactions.SEARCH_TYPE -> reads.search(call, call.route().type());
            case Interactions.SEARCH_SYSTEM -> reads.search(call, null);
            case Interactions.HISTORY_INSTANCE, Interactions.HISTORY_TYPE, Interactions.HISTORY_SYSTEM ->
                    reads.history(call);
            case Interactions.CREATE -> writes.create(call);
            case Interactions.UPDATE -> writes.update(call);
            case Interactions.CONDITIONAL_UPDATE -> writes.conditionalUpdate(call);
            case Interactions.DELETE -> writes.delete(call);
            case Interactions.CONDITIONAL_DELETE -> writes.conditionalDelete(call);
            case Interactions.PATCH -> server.patch(call);
            case Interactions.CONDITIONAL_PATCH -> server.conditionalPatch(call);
            case Interactions.CAPABILITIES -> server.capabilities(call);
            case Interactions.BATCH -> server.transactionOrBatch(call);
            case Interactions.OPERATION -> server.operation(call);
            default -> throw Interactions.notAllowed(call.method(), call.route());
        };
    }

    /** The types a system-level search or history names in {@code _type} (comma-separated, repeatable). */
    private static java.util.Set<String> typesAsked(FhirCall call) {
        java.util.Set<String> types = new java.util.HashSet<>();
        for (String value : call.parameters().getOrDefault("_type", java.util.List.of())) {
            for (String type : value.split(",")) {
                types.add(type.trim());
            }
        }
        return types;
    }

    private static String baseUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/fhir").toUriString();
    }
}
