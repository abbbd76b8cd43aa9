package org.charnwood.app.fhirapi;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** metadata, transaction and batch bundles, patch and operations. */
@Component
class ServerInteractions {

    private final FhirRepository repository;
    private final BundleProcessor bundles;
    private final CapabilityStatementFactory capabilities;
    private final EverythingOperation everything;
    private final BulkImportOperation bulkImport;
    private final TerminologyOperations terminology;

    ServerInteractions(FhirRepository repository, CapabilityStatementFactory capabilities,
                       EverythingOperation everything, BulkImportOperation bulkImport,
                       TerminologyOperations terminology) {
        this.terminology = terminology;
        this.repository = repository;
        this.bundles = new BundleProcessor(repository);
        this.capabilities = capabilities;
        this.everything = everything;
        this.bulkImport = bulkImport;
    }

    ResponseEntity<byte[]> capabilities(FhirCall call) {
        CapabilityStatement cs = capabilities.create(call.baseUrl());
        return FhirResponses.resource(cs, call.format(), 200, new HttpHeaders());
    }

    ResponseEntity<byte[]> transactionOrBatch(FhirCall call) {
        ReturnPreference preference = switch (call.preferReturn()) {
            case "minimal" -> ReturnPreference.MINIMAL;
            case "OperationOutcome" -> ReturnPreference.OPERATION_OUTCOME;
            default -> ReturnPreference.REPRESENTATION;
        };
        Bundle response = bundles.process(call.bodyResource(), preference);
        return FhirResponses.resource(response, call.format(), 200, new HttpHeaders());
    }

    /** JSON Patch ({@code application/json-patch+json}); FHIRPath Patch is not supported. */
    ResponseEntity<byte[]> patch(FhirCall call) {
        String contentType = call.servletRequest().getContentType();
        if (contentType == null || !contentType.startsWith("application/json-patch+json")) {
            throw FhirException.of(415, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                    "PATCH takes a JSON Patch document: Content-Type application/json-patch+json");
        }
        FhirRoute route = call.route();
        Integer ifMatch = call.ifMatchVersion();
        String patch = call.body();
        WriteResult result = repository.inTransaction(s -> s.patch(route.type(), route.id(), patch, ifMatch));
        return WriteInteractions.respond(call, result);
    }

    ResponseEntity<byte[]> operation(FhirCall call) {
        FhirRoute route = call.route();
        if ("everything".equals(route.operation()) && "Patient".equals(route.type()) && route.isInstance()) {
            return everything.everything(call);
        }
        if (terminology.handles(route)) {
            return terminology.handle(call);
        }
        if ("import".equals(route.operation()) && route.isServer() && call.method().equals("POST")) {
            return bulkImport.importNdjson(call, call.servletRequest());
        }
        throw FhirException.of(404, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                "The operation $" + call.route().operation() + " is not known here");
    }
}
