package org.charnwood.app.fhirapi;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.repository.BulkImports;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bulk.NdjsonImporter;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /fhir/$import} with an NDJSON body ({@code application/fhir+ndjson}): loads the
 * resources keeping their ids through the normal write path, all or nothing, then reports how many
 * were created or updated. Any bad line (unreadable, invalid, carrying a security label the access policy does
 * not know, or referring to a local resource
 * that is neither in the import nor stored) refuses the whole import with every bad line named.
 * One request is one import: send the files of an export concatenated, in any order.
 */
@Component
class BulkImportOperation implements PublishedOperation {

    static final String DEFINITION = "fhirapi/OperationDefinition-import.json";


    private final NdjsonImporter importer;
    private final AccessPolicy policy;
    private final BulkImports imports;
    private final OperationDefinition definition;

    BulkImportOperation(FhirRepository repository, AccessPolicy policy, BulkImports imports) {
        this.policy = policy;
        this.imports = imports;
        // Two writers a core: while one chunk waits on the database (its index writes, its commit)
        // another is parsing and validating, which a writer per core leaves the CPU idle for.
        // Each resource's labels are checked as a single write's are, so that an unknown one is a bad line.
        this.importer = new NdjsonImporter(repository, 2 * Math.max(1, Runtime.getRuntime().availableProcessors()),
                policy::requireImportable);
        try (var in = BulkImportOperation.class.getClassLoader().getResourceAsStream(DEFINITION)) {
            this.definition = FhirContexts.r4().newJsonParser().parseResource(OperationDefinition.class, in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + DEFINITION + " failed", e);
        }
    }

    /**
     * Our own definition, not the Bulk Data IG's: that {@code $import} takes a manifest of files to fetch, this
     * one the NDJSON itself as the request body.
     */
    @Override
    public OperationDefinition definition() {
        return definition.copy();
    }

    ResponseEntity<byte[]> importNdjson(FhirCall call, HttpServletRequest request) {
        call.allowed(policy.bulkImport(call.requester()));
        String contentType = request.getContentType();
        if (contentType == null || !(contentType.startsWith("application/fhir+ndjson")
                || contentType.startsWith("application/x-ndjson") || contentType.startsWith("application/ndjson"))) {
            throw FhirException.of(415, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                    "$import takes an NDJSON body: Content-Type application/fhir+ndjson");
        }
        FhirCall.requireUtf8(request);
        NdjsonImporter.Summary summary;
        // Strict UTF-8: a line of other bytes is refused, not imported with replacement characters in its text.
        var utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try (BulkImports.Running running = imports.begin(); BufferedReader reader = new BufferedReader(
                new InputStreamReader(request.getInputStream(), utf8), 1 << 16)) {
            summary = importer.importLines("request body", reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw FhirException.badRequest(ErrorCode.MALFORMED_BODY,
                        "The NDJSON body is not UTF-8: FHIR bodies are UTF-8, and nothing was imported");
            }
            throw e;
        }
        if (summary.created() + summary.updated() == 0) {
            // Nothing was written. An empty body is a sender's mistake (the wrong file, a stream cut short) more
            // often than a wish to import nothing, and a 200 would let it pass as an import that worked.
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "The body holds no resources: $import takes"
                    + " NDJSON, one FHIR resource in JSON on each line; nothing was imported");
        }
        importer.refreshPlannerStatistics(summary.created() + summary.updated());
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue(FhirException.issue(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL,
                "Imported " + (summary.created() + summary.updated()) + " resources: " + summary.created()
                        + " created, " + summary.updated() + " updated, in one transaction",
                null));
        // Only where the server is set to allow references that resolve to nothing; else the import was refused.
        for (String d : summary.unresolved()) {
            oo.addIssue(FhirException.issue(IssueSeverity.WARNING, ErrorCode.DANGLING_REFERENCE, IssueType.NOTFOUND,
                    "Reference resolves to nothing: " + d, null));
        }
        return FhirResponses.resource(oo, call.format(), 200, new HttpHeaders());
    }
}
