package org.charnwood.app.fhirapi;

import org.charnwood.app.audit.AuditLog;
import org.charnwood.app.audit.AuditPage;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AuditEvent read and search, answered from the audit store. Every other interaction on AuditEvent is
 * refused with 405: the audit trail is written by the server alone. The trail tells who looked at which
 * patient's record, so only information governance officers and system administrators may read it, and backend
 * systems granted read on AuditEvent by a {@code system/} scope (an audit repository collecting it); patients,
 * carers and other staff are refused, since no patient-facing view of the trail is served yet.
 */
@Component
class AuditEventInteractions {

    private final AuditLog log;

    AuditEventInteractions(AuditLog log) {
        this.log = log;
    }

    ResponseEntity<byte[]> handle(String interaction, FhirCall call) {
        return switch (interaction) {
            case Interactions.READ -> {
                requireAuditReader(call.requester());
                yield read(call);
            }
            case Interactions.SEARCH_TYPE -> {
                requireAuditReader(call.requester());
                yield search(call);
            }
            case Interactions.CREATE, Interactions.UPDATE, Interactions.CONDITIONAL_UPDATE, Interactions.PATCH,
                 Interactions.DELETE, Interactions.CONDITIONAL_DELETE ->
                    throw FhirException.of(405, ErrorCode.AUDIT_EVENT_READ_ONLY, IssueType.FORBIDDEN,
                            "AuditEvents are written by the server only; they cannot be created, changed or deleted");
            default -> throw FhirException.of(405, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                    "AuditEvent supports read and search only");
        };
    }

    static void requireAuditReader(Requester requester) {
        if (requester == null || requester.kind() == Requester.Kind.ANONYMOUS) {
            throw FhirException.of(401, ErrorCode.AUTHENTICATION_REQUIRED, IssueType.LOGIN,
                    "Sign in to read the audit trail");
        }
        boolean allowed = switch (requester.kind()) {
            case STAFF -> requester.roles().contains(AccessRole.INFORMATION_GOVERNANCE)
                    || requester.roles().contains(AccessRole.SYSTEM_ADMINISTRATOR);
            case SYSTEM -> requester.scopes().stream().anyMatch(AuditEventInteractions::grantsAuditRead);
            default -> false;
        };
        if (!allowed) {
            throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN,
                    "Only information governance officers and system administrators may read the audit trail");
        }
    }

    /** {@code system/*.rs}, {@code system/AuditEvent.read} and the like: read or search on AuditEvent. */
    private static boolean grantsAuditRead(String scope) {
        if (!scope.startsWith("system/")) {
            return false;
        }
        int dot = scope.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String type = scope.substring("system/".length(), dot);
        String rest = scope.substring(dot + 1);
        int query = rest.indexOf('?');
        String permissions = query < 0 ? rest : rest.substring(0, query);
        boolean typeMatches = type.equals("*") || type.equals("AuditEvent");
        boolean reads = permissions.equals("read") || permissions.equals("*")
                || (permissions.matches("c?r?u?d?s?") && (permissions.contains("r") || permissions.contains("s")));
        return typeMatches && reads && query < 0;
    }

    private ResponseEntity<byte[]> read(FhirCall call) {
        String id = call.route().id();
        StoredResource event = log.read(id).orElseThrow(() -> FhirException.notFound("AuditEvent", id));
        call.audit().returned(event);
        return FhirResponses.stored(event, call.format(), 200, new HttpHeaders());
    }

    private ResponseEntity<byte[]> search(FhirCall call) {
        Map<String, List<String>> params = call.parameters();
        AuditPage page = log.search(params);
        call.audit().returned(page.events());
        List<BundlePage.Entry> entries = new ArrayList<>();
        for (StoredResource r : page.events()) {
            entries.add(new BundlePage.Entry(call.baseUrl() + "/AuditEvent/" + r.id(), r, null, "match", null, null,
                    null));
        }
        StringBuilder self = new StringBuilder();
        params.forEach((k, vs) -> {
            if (!k.equals("_count") && !k.equals("_getpagesoffset")) {
                for (String v : vs) {
                    self.append(self.isEmpty() ? "" : "&").append(k).append('=')
                            .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        });
        String prefix = call.baseUrl() + "/AuditEvent?" + (self.isEmpty() ? "" : self + "&") + "_count=" + page.count();
        List<BundlePage.Link> links = new ArrayList<>();
        links.add(new BundlePage.Link("self", prefix + (page.offset() > 0 ? "&_getpagesoffset=" + page.offset() : "")));
        if (page.hasMore()) {
            links.add(new BundlePage.Link("next", prefix + "&_getpagesoffset=" + (page.offset() + page.count())));
        }
        if (page.offset() > 0) {
            links.add(new BundlePage.Link("previous",
                    prefix + "&_getpagesoffset=" + Math.max(0, page.offset() - page.count())));
        }
        return FhirResponses.bundle(new BundlePage("searchset", null, links, entries), call.format());
    }
}
