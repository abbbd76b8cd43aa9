package org.charnwood.app.fhirapi;

import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.terminology.BindingWarnings;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.List;

/** create, update, delete and their conditional forms. */
@Component
class WriteInteractions {

    private final FhirRepository repository;
    private final AccessPolicy policy;
    private final WriteTargets targets;

    WriteInteractions(FhirRepository repository, AccessPolicy policy, WriteTargets targets) {
        this.repository = repository;
        this.policy = policy;
        this.targets = targets;
    }

    ResponseEntity<byte[]> create(FhirCall call) {
        String type = call.route().type();
        Resource resource = call.bodyResource();
        requireType(type, resource);
        String ifNoneExist = call.header("If-None-Exist");
        var access = call.allowed(policy.write(call.requester(), FhirAction.CREATE, type, null, resource));
        AccessScope visible = ifNoneExist == null ? null
                : policy.conditional(call.requester(), FhirAction.CREATE, type, ifNoneExist);
        WriteResult result = repository.inTransaction(s -> {
            s.seenBy(access.scope());
            if (ifNoneExist == null) {
                return s.create(resource);
            }
            s.matchAsSeenBy(t -> visible);
            return s.conditionalCreate(resource, ifNoneExist);
        });
        if (result.kind() == WriteResult.Kind.ALREADY_EXISTS) {
            call.audit().existingReturned(stored(result));
        }
        return respond(call, result, policy);
    }

    ResponseEntity<byte[]> update(FhirCall call) {
        FhirRoute route = call.route();
        Resource resource = call.bodyResource();
        requireType(route.type(), resource);
        if (policy.hidesExisting(call.requester(), route.type(), route.id())) {
            // Not "forbidden", which would confirm the record is there: the least the caller can be told, since an
            // unknown id would be created instead (access-control.md, Writes).
            throw org.charnwood.fhir.WriteSession.notARecordToUpdate(route.type(), route.id());
        }
        var access = call.allowed(policy.write(call.requester(), FhirAction.UPDATE, route.type(), route.id(),
                resource));
        Integer ifMatch = call.ifMatchVersion();
        WriteResult result = repository.inTransaction(s -> {
            s.seenBy(access.scope());
            return s.update(route.type(), route.id(), resource, ifMatch);
        });
        return respond(call, result, policy);
    }

    ResponseEntity<byte[]> conditionalUpdate(FhirCall call) {
        String type = call.route().type();
        requireCriteria(call);
        Resource resource = call.bodyResource();
        requireType(type, resource);
        var access = call.allowed(policy.write(call.requester(), FhirAction.UPDATE, type, null, resource));
        AccessScope visible = policy.conditional(call.requester(), FhirAction.UPDATE, type, call.queryString());
        Integer ifMatch = call.ifMatchVersion();
        WriteResult result = repository.inTransaction(s -> {
            s.matchAsSeenBy(t -> visible);
            s.seenBy(access.scope());
            return s.conditionalUpdate(type, call.queryString(), resource, ifMatch);
        });
        return respond(call, result, policy);
    }

    ResponseEntity<byte[]> delete(FhirCall call) {
        FhirRoute route = call.route();
        // A record the caller may not see is deleted as an id with nothing there would be: checked as one, and left
        // alone with the same answer (204, or 412 for an If-Match), so that the answer cannot confirm it exists.
        boolean hidden = policy.hidesExisting(call.requester(), route.type(), route.id());
        var access = call.allowed(policy.write(call.requester(), FhirAction.DELETE, route.type(),
                hidden ? null : route.id(), null));
        if (hidden) {
            // Nothing is deleted, but the attempt stays in the access history of the patients whose record it was.
            call.audit().about(targets.of(call, Interactions.DELETE));
        }
        Integer ifMatch = call.ifMatchVersion();
        WriteResult result = repository.inTransaction(s -> {
            if (hidden) {
                s.hideFromWriter(List.of(route.type() + "/" + route.id()));
            }
            s.seenBy(access.scope());
            return s.delete(route.type(), route.id(), ifMatch);
        });
        return deleted(call, result.kind() == WriteResult.Kind.DELETED ? List.of(result) : List.of());
    }

    ResponseEntity<byte[]> conditionalDelete(FhirCall call) {
        String type = call.route().type();
        requireCriteria(call);
        var access = call.allowed(policy.write(call.requester(), FhirAction.DELETE, type, null, null));
        AccessScope visible = policy.conditional(call.requester(), FhirAction.DELETE, type, call.queryString());
        Integer ifMatch = call.ifMatchVersion();
        // Only what the caller sees is deleted; with nothing of that, the answer is that of no match.
        List<WriteResult> results = repository.inTransaction(s -> {
            s.matchAsSeenBy(t -> visible);
            s.seenBy(access.scope());
            return s.conditionalDelete(type, call.queryString(), ifMatch);
        });
        return deleted(call, results.stream().filter(r -> r.kind() == WriteResult.Kind.DELETED).toList());
    }

    /**
     * 204 with no body; or, when {@code Prefer: return=OperationOutcome} asks for one, 200 with an outcome saying
     * what was deleted (R4 http.html allows 200 for a delete whose response has a payload), as a delete entry in a
     * bundle gets.
     */
    private static ResponseEntity<byte[]> deleted(FhirCall call, List<WriteResult> results) {
        HttpHeaders headers = new HttpHeaders();
        if (results.size() == 1) {
            headers.setETag("W/\"" + results.get(0).version() + "\"");
        }
        if (!"OperationOutcome".equals(call.preferReturn())) {
            return ResponseEntity.status(204).headers(headers).build();
        }
        String what = switch (results.size()) {
            case 0 -> "Nothing was deleted: no current resource matched";
            case 1 -> "Deleted " + results.get(0).type() + "/" + results.get(0).id() + " version "
                    + results.get(0).version();
            default -> "Deleted " + results.size() + " resources";
        };
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue(FhirException.issue(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL, what, null));
        return FhirResponses.resource(oo, call.format(), 200, headers);
    }

    /**
     * Status, Location, ETag and Last-Modified, and a body as {@code Prefer: return=} asks; but never the resource
     * itself to a caller who may not read its type: a client granted {@code system/Observation.u} without
     * {@code .r} would otherwise read any record by patching it with nothing, or find the one its criteria match.
     */
    static ResponseEntity<byte[]> respond(FhirCall call, WriteResult result, AccessPolicy policy) {
        HttpHeaders headers = new HttpHeaders();
        String location = call.baseUrl() + "/" + result.location();
        if (result.kind() == WriteResult.Kind.CREATED) {
            headers.set(HttpHeaders.LOCATION, location);
        }
        headers.set(HttpHeaders.CONTENT_LOCATION, location);
        headers.setETag("W/\"" + result.version() + "\"");
        headers.setLastModified(result.lastUpdated());
        int status = result.kind().status();
        switch (call.preferReturn()) {
            case "minimal" -> {
                return ResponseEntity.status(status).headers(headers).build();
            }
            case "OperationOutcome" -> {
                OperationOutcome oo = new OperationOutcome();
                oo.addIssue(FhirException.issue(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL,
                        describe(result), null));
                // Codes accepted with a terminology warning (partial release, replaced dm+d code, binding=warn).
                BindingWarnings.peek().forEach(oo::addIssue);
                return FhirResponses.resource(oo, call.format(), status, headers);
            }
            default -> {
                AccessDecision reader = readerOf(call, policy, result.type());
                if (reader == null) {
                    return ResponseEntity.status(status).headers(headers).build();
                }
                // Shown as a read of it would show it: a patient or carer sees no other patient in it.
                return FhirResponses.stored(call.shown(reader, stored(result)), call.format(), status, headers);
            }
        }
    }

    /** Whether the caller may read resources of the type at all (role, consent and SMART scopes). */
    static boolean mayRead(FhirCall call, AccessPolicy policy, String type) {
        return readerOf(call, policy, type) != null;
    }

    /** What the caller may read of the type (role, consent and SMART scopes); null when nothing. */
    static AccessDecision readerOf(FhirCall call, AccessPolicy policy, String type) {
        try {
            return policy.read(call.requester(), FhirAction.READ, type);
        } catch (FhirException e) {
            if (e.status() == 403) {
                return null;
            }
            throw e;
        }
    }

    private static StoredResource stored(WriteResult result) {
        return new StoredResource(0, result.type(), result.id(), result.version(), result.lastUpdated(), null,
                result.json());
    }

    private static String describe(WriteResult result) {
        return switch (result.kind()) {
            case CREATED -> "Created " + result.location();
            case UPDATED -> "Updated " + result.location();
            case ALREADY_EXISTS -> "A matching resource already exists: " + result.location();
            default -> result.kind().name();
        };
    }

    private static void requireType(String type, Resource resource) {
        if (!type.equals(resource.fhirType())) {
            throw FhirException.badRequest(ErrorCode.TYPE_MISMATCH,
                    "The body is a " + resource.fhirType() + " but the URL is for " + type);
        }
    }

    private static void requireCriteria(FhirCall call) {
        if (call.queryString() == null || call.queryString().isBlank()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "A conditional " + call.method() + " needs search criteria in the URL");
        }
    }
}
