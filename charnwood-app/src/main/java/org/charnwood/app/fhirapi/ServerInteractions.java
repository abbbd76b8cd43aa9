package org.charnwood.app.fhirapi;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** metadata, transaction and batch bundles, patch and operations. */
@Component
class ServerInteractions {

    private final CapabilityStatementFactory capabilities;
    private final EverythingOperation everything;
    private final BulkImportOperation bulkImport;

    ServerInteractions(CapabilityStatementFactory capabilities, EverythingOperation everything,
                       BulkImportOperation bulkImport) {
        this.capabilities = capabilities;
        this.everything = everything;
        this.bulkImport = bulkImport;
    }

    ResponseEntity<byte[]> capabilities(FhirCall call) {
        CapabilityStatement cs = capabilities.create(call.baseUrl());
        return FhirResponses.resource(cs, call.format(), 200, new HttpHeaders());
    }

    ResponseEntity<byte[]> transactionOrBatch(FhirCall call) {
        throw notYet("transaction and batch bundles");
    }

    ResponseEntity<byte[]> patch(FhirCall call) {
        throw notYet("patch");
    }

    ResponseEntity<byte[]> operation(FhirCall call) {
        FhirRoute route = call.route();
        if ("everything".equals(route.operation()) && "Patient".equals(route.type()) && route.isInstance()) {
            return everything.everything(call);
        }
        if ("import".equals(route.operation()) && route.isServer() && call.method().equals("POST")) {
            return bulkImport.importNdjson(call, call.servletRequest());
        }
        throw FhirException.of(404, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                "The operation $" + call.route().operation() + " is not known here");
    }

    private static FhirException notYet(String what) {
        return FhirException.of(501, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                what + " are not supported by this server");
    }
}
