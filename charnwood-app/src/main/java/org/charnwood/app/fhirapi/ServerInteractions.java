package org.charnwood.app.fhirapi;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.charnwood.fhir.bundle.SessionBundleReader;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** metadata, transaction and batch bundles, patch and operations. */
@Component
class ServerInteractions {

    private final FhirRepository repository;
    private final CapabilityStatementFactory capabilities;
    private final EverythingOperation everything;
    private final BulkImportOperation bulkImport;
    private final BulkExportOperation bulkExport;
    private final AccessPolicy policy;
    private final AuditEventInteractions auditEvents;
    private final BundleEntryAccess entryAccess;
    private final TerminologyOperations terminology;
    private final WriteTargets targets;
    private final java.util.List<FhirOperation> operations;

    ServerInteractions(FhirRepository repository, CapabilityStatementFactory capabilities,
                       EverythingOperation everything, BulkImportOperation bulkImport,
                       BulkExportOperation bulkExport, AccessPolicy policy, TerminologyOperations terminology,
                       WriteTargets targets, AuditEventInteractions auditEvents,
                       org.springframework.beans.factory.ObjectProvider<FhirOperation> operations) {
        this.targets = targets;
        this.auditEvents = auditEvents;
        this.operations = operations.orderedStream().toList();
        this.policy = policy;
        this.entryAccess = new BundleEntryAccess(policy);
        this.terminology = terminology;
        this.repository = repository;
        this.capabilities = capabilities;
        this.everything = everything;
        this.bulkImport = bulkImport;
        this.bulkExport = bulkExport;
    }

    /**
     * {@code GET /metadata}: the CapabilityStatement ({@code mode} absent, {@code full} or {@code normal}, which are
     * the same here), or with {@code mode=terminology} the terminology service's TerminologyCapabilities.
     */
    ResponseEntity<byte[]> capabilities(FhirCall call) {
        java.util.List<String> modes = call.parameters().getOrDefault("mode", java.util.List.of());
        String mode = modes.isEmpty() ? "full" : modes.getFirst();
        return switch (mode) {
            case "full", "normal" -> FhirResponses.resource(capabilities.create(call.baseUrl()), call.format(), 200,
                    new HttpHeaders());
            case "terminology" -> FhirResponses.resource(terminology.capabilities(call.baseUrl()), call.format(), 200,
                    new HttpHeaders());
            default -> throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "mode is full, normal or terminology, not " + mode);
        };
    }

    ResponseEntity<byte[]> transactionOrBatch(FhirCall call) {
        org.charnwood.fhir.ResourceParser.BundleBody parsed = call.bodyBundle();
        org.hl7.fhir.r4.model.Resource body = parsed.resource();
        ReturnPreference preference = switch (call.preferReturn()) {
            case "minimal" -> ReturnPreference.MINIMAL;
            case "OperationOutcome" -> ReturnPreference.OPERATION_OUTCOME;
            // As for a single write: the resources written are not shown to a caller who may not read them.
            default -> body instanceof Bundle bundle && !readsEveryTypeWritten(call, bundle)
                    ? ReturnPreference.MINIMAL : ReturnPreference.REPRESENTATION;
        };
        Bundle response;
        try {
            BundleEntryAccess.Checked checked = new BundleEntryAccess.Checked(null, java.util.Set.of());
            if (body instanceof Bundle bundle) {
                checked = entryAccess.check(call, bundle);
                attemptedOnHidden(call, bundle, checked.hidden());
                if (bundle.hasType()) {
                    call.audit().bundle(bundle.getType().toCode());
                }
            }
            BundleEntryAccess.Checked writes = checked;
            // Entries are written as the caller's single writes are: references, refusals and changes by id judged
            // in what they may see.
            response = AuditEventEntries.process(body, parsed.refusedEntries(), auditEvents,
                    (forwarded, refusedEntries) -> new BundleProcessor(repository, new AuditTrailBundleReader(
                            new SessionBundleReader(repository.settings()), auditEvents, call))
                            .matchingAsSeenBy(matchable(call))
                            .writtenAsSeenBy(writes.writeScope(), writes.hidden())
                            .process(forwarded, preference, entryAccess.patchCheck(call), call.baseUrl(),
                                    refusedEntries));
        } catch (RuntimeException e) {
            // Refused or failed as a whole, nothing written: its one record names every patient its writes would
            // have changed, so the attempt shows in their access history.
            if (body instanceof Bundle bundle) {
                call.audit().about(targets.ofBundle(bundle));
            }
            throw e;
        }
        auditEntries(call, body, response);
        return FhirResponses.resource(response, call.format(), 200, new HttpHeaders());
    }

    private boolean readsEveryTypeWritten(FhirCall call, Bundle bundle) {
        java.util.Set<String> types = new java.util.HashSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource() && !(entry.getResource() instanceof org.hl7.fhir.r4.model.Parameters)) {
                types.add(entry.getResource().fhirType());
            } else if (entry.hasRequest() && entry.getRequest().getUrl() != null) {
                String type = BundleEntryAccess.Target.of(entry.getRequest().getUrl()).type();
                if (type != null && !type.startsWith("$")) {
                    types.add(type);
                }
            }
        }
        return types.stream().allMatch(type -> WriteInteractions.mayRead(call, policy, type));
    }

    /**
     * Entries changing by id a record hidden from the caller change nothing and are answered as for an unknown id,
     * but the attempt stays in the access history of the patients whose record it was.
     */
    private void attemptedOnHidden(FhirCall call, Bundle bundle, java.util.Set<String> hidden) {
        if (hidden.isEmpty()) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasRequest() && entry.getRequest().getUrl() != null) {
                BundleEntryAccess.Target at = BundleEntryAccess.Target.of(entry.getRequest().getUrl());
                if (hidden.contains(at.type() + "/" + at.id())) {
                    call.audit().about(targets.ofEntry(entry));
                }
            }
        }
    }

    /**
     * What the bundle's conditional URLs and references may match, type by type: what the caller's own search
     * would find ({@link AccessPolicy#matchable}), so that a record hidden from them is no match in a bundle either.
     * Worked out when first needed, once per type.
     */
    private java.util.function.Function<String, org.charnwood.fhir.search.AccessScope> matchable(FhirCall call) {
        java.util.Map<String, org.charnwood.fhir.search.AccessScope> byType = new java.util.HashMap<>();
        return type -> {
            org.charnwood.fhir.search.AccessScope known = byType.get(type);
            if (known == null) {
                known = policy.matchable(call.requester(), type);
                byType.put(type, known);
            }
            return known;
        };
    }

    /**
     * Reads inside a bundle, conditional creates that found their match, and batch entries that failed, are audited
     * one by one like the requests they stand for (the writes record themselves as they commit).
     */
    private void auditEntries(FhirCall call, org.hl7.fhir.r4.model.Resource body, Bundle response) {
        if (!(body instanceof Bundle request)) {
            return;
        }
        // A conditional create repeated within the bundle answers 200 with what an earlier entry created: that
        // entry's own record covers it. Another found in the store is one read, however many entries found it.
        java.util.Set<String> created = new java.util.HashSet<>();
        for (Bundle.BundleEntryComponent answered : response.getEntry()) {
            if (statusOf(answered.getResponse().getStatus()) == 201 && answered.getResponse().hasLocation()) {
                created.add(answered.getResponse().getLocation());
            }
        }
        java.util.Set<String> found = new java.util.HashSet<>();
        for (int i = 0; i < response.getEntry().size() && i < request.getEntry().size(); i++) {
            Bundle.BundleEntryComponent asked = request.getEntry().get(i);
            Bundle.BundleEntryComponent answered = response.getEntry().get(i);
            String method = asked.getRequest().hasMethod() ? asked.getRequest().getMethod().toCode() : null;
            String url = asked.getRequest().getUrl();
            int status = statusOf(answered.getResponse().getStatus());
            if (status >= 400) {
                call.audit().entryFailed(method, url, status,
                        answered.getResponse().getOutcome() instanceof org.hl7.fhir.r4.model.OperationOutcome oo
                                ? oo : null, targets.ofEntry(asked));
            } else if (("GET".equals(method) || "HEAD".equals(method)) && !AuditEventEntries.names(url)) {
                call.audit().entryRead(url, answered.getResource());
            } else if ("POST".equals(method) && status == 200) {
                String location = answered.getResponse().getLocation();
                if (location != null && !created.contains(location) && found.add(location)) {
                    call.audit().existingReturned(existing(location, answered.getResource()));
                }
            }
        }
    }

    /**
     * The version a conditional create entry found, from the entry's response ({@code Type/id/_history/n}): its
     * content as returned, or, when the caller asked for less, as stored.
     */
    private org.charnwood.fhir.StoredResource existing(String location, org.hl7.fhir.r4.model.Resource returned) {
        String[] parts = location.split("/");
        if (parts.length != 4) {
            return null;
        }
        int version = Integer.parseInt(parts[3]);
        if (returned != null) {
            return new org.charnwood.fhir.StoredResource(0, parts[0], parts[1], version, null, null,
                    org.charnwood.fhir.FhirContexts.r4().newJsonParser().encodeResourceToString(returned));
        }
        try {
            return repository.vread(parts[0], parts[1], version);
        } catch (FhirException gone) {
            // Deleted since by someone else: still recorded, by the resource it found.
            return new org.charnwood.fhir.StoredResource(0, parts[0], parts[1], version, null, null, null);
        }
    }

    private static int statusOf(String status) {
        try {
            return status == null ? 200 : Integer.parseInt(status.trim().split(" ")[0]);
        } catch (NumberFormatException e) {
            return 200;
        }
    }

    /** JSON Patch ({@code application/json-patch+json}); FHIRPath Patch is not supported. */
    ResponseEntity<byte[]> patch(FhirCall call) {
        requireJsonPatch(call);
        FhirRoute route = call.route();
        Integer ifMatch = call.ifMatchVersion();
        String patch = call.body();
        if (policy.hidesExisting(call.requester(), route.type(), route.id())) {
            throw FhirException.notFound(route.type(), route.id()); // as for an unknown id, which it is to them
        }
        var access = call.allowed(policy.write(call.requester(), FhirAction.PATCH, route.type(), route.id(), null));
        WriteResult result = repository.inTransaction(s -> {
            s.seenBy(access.scope());
            return checkPatched(call, s.patch(route.type(), route.id(), patch, ifMatch));
        });
        return WriteInteractions.respond(call, result, policy);
    }

    /**
     * {@code PATCH [type]?[criteria]}: patches the one resource the criteria match (none 404, several 412), with the
     * rules of a conditional update for who may use criteria, and of a patch for what the result may be.
     */
    ResponseEntity<byte[]> conditionalPatch(FhirCall call) {
        requireJsonPatch(call);
        String type = call.route().type();
        String query = call.queryString();
        if (query == null || query.isBlank()) {
            throw FhirException.badRequest(ErrorCode.CONDITIONAL_WITHOUT_CRITERIA,
                    "A conditional PATCH needs search criteria in the URL");
        }
        var access = call.allowed(policy.write(call.requester(), FhirAction.PATCH, type, null, null));
        org.charnwood.fhir.search.AccessScope visible = policy.conditional(call.requester(), FhirAction.PATCH, type,
                query);
        Integer ifMatch = call.ifMatchVersion();
        String patch = call.body();
        WriteResult result = repository.inTransaction(s -> {
            s.matchAsSeenBy(t -> visible);
            s.seenBy(access.scope());
            return checkPatched(call, s.conditionalPatch(type, query, patch, ifMatch));
        });
        return WriteInteractions.respond(call, result, policy);
    }

    private static void requireJsonPatch(FhirCall call) {
        String contentType = call.servletRequest().getContentType();
        // A media type's name is case-insensitive (RFC 9110), and its parameters (charset) do not change it.
        String mediaType = contentType == null ? ""
                : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!"application/json-patch+json".equals(mediaType)) {
            throw FhirException.of(415, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                    "PATCH takes a JSON Patch document: Content-Type application/json-patch+json");
        }
    }

    /**
     * What the patch made is judged as an update with it as the body would be (its labels too), as a bundle's PATCH
     * entry is; refusing rolls the patch back.
     */
    private WriteResult checkPatched(FhirCall call, WriteResult patched) {
        // Every caller's result is judged, a system's too: its scope may be limited by a search.
        if (patched.json() != null) {
            entryAccess.patched(call, patched.type(), patched.id(), (org.hl7.fhir.r4.model.Resource)
                    org.charnwood.fhir.FhirContexts.r4().newJsonParser().parseResource(patched.json()));
        }
        return patched;
    }

    /**
     * $everything reads: GET (HEAD its headers), or POST as operations may always be invoked (R4 operations.html), with
     * its parameters in the URL. A body would be a Parameters resource whose values went unread, and a PUT, PATCH or
     * DELETE is not an operation's call at all, so both are refused rather than answered with the record.
     */
    private static void everythingMethod(FhirCall call) {
        String method = call.method();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            throw new MethodNotAllowed("$everything takes GET or POST", java.util.List.of("GET", "HEAD", "POST"));
        }
        if (method.equals("POST") && call.body() != null && !call.body().isBlank()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "$everything takes its parameters (_since,"
                    + " _type, start, end, _count) in the URL, not in a body");
        }
    }

    ResponseEntity<byte[]> operation(FhirCall call) {
        FhirRoute route = call.route();
        if ("everything".equals(route.operation()) && "Patient".equals(route.type()) && route.isInstance()) {
            everythingMethod(call);
            return everything.everything(call);
        }
        if (terminology.handles(route)) {
            return terminology.handle(call);
        }
        if (BulkExportOperation.serves(route)) {
            return bulkExport.handle(call);
        }
        if ("import".equals(route.operation()) && route.isServer() && call.method().equals("POST")) {
            return bulkImport.importNdjson(call, call.servletRequest());
        }
        for (FhirOperation operation : operations) {
            if (operation.serves(call.method(), route.type(), route.isInstance(), route.operation())) {
                org.hl7.fhir.r4.model.Resource body = call.body() == null || call.body().isBlank() ? null
                        : call.bodyResource();
                if (body != null) {
                    // The patients the body names ($refer's subject) are on the record even when it is refused.
                    java.util.Set<String> patients = new java.util.TreeSet<>();
                    org.charnwood.app.audit.PatientsConcerned.collect(body.fhirType(), null,
                            org.charnwood.fhir.FhirContexts.r4().newJsonParser().encodeResourceToString(body), patients);
                    call.audit().about(patients);
                }
                FhirOperation.Result result = operation.invoke(new FhirOperation.Request(call.requester(),
                        route.type(), route.id(), body, call.baseUrl()));
                HttpHeaders headers = new HttpHeaders();
                if (result.location() != null) {
                    headers.set(HttpHeaders.LOCATION, call.baseUrl() + "/" + result.location());
                }
                return FhirResponses.resource(result.resource(), call.format(), result.status(), headers);
            }
        }
        throw FhirException.of(404, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                "The operation $" + call.route().operation() + " is not known here");
    }
}
