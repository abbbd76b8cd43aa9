package org.charnwood.app.fhirapi;

import org.charnwood.app.audit.AuditLog;
import org.charnwood.app.audit.AuditPage;
import org.charnwood.app.audit.AuditSettings;
import org.charnwood.app.audit.PatientAccessEvents;
import org.charnwood.app.audit.RecordAccess;
import org.charnwood.app.audit.RecordAccessHistory;
import org.charnwood.app.audit.store.AuditQuery;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.ScopeNotGranted;
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
import java.util.Set;

/**
 * AuditEvent read and search, answered from the audit store. Every other interaction on AuditEvent is
 * refused with 405: the audit trail is written by the server alone. The trail tells who looked at which
 * patient's record, so only information governance officers may read all of it, and backend systems granted read
 * on AuditEvent by a {@code system/} scope (an audit repository collecting it); system administrators read the
 * events that concern no patient, without query text ({@link #administrationOnly}); other staff are refused.
 *
 * <p>Patients, and carers the patient shares it with, search {@code AuditEvent?patient=[id]} with a
 * {@code patient/} scope for AuditEvent and get the record's access history as their "who has viewed my record"
 * page shows it ({@link PatientAccessEvents}): other people's accesses, newest first, with nothing about other
 * patients. They cannot read the trail's own events.
 */
@Component
class AuditEventInteractions {

    /** The parameters of a patient's or carer's search (besides the response format). */
    private static final Set<String> PATIENT_VIEW_PARAMETERS = Set.of("patient", "_count", "_getpagesoffset",
            "_format", "_pretty");
    private static final int PATIENT_VIEW_DEFAULT_COUNT = 20;
    private static final int PATIENT_VIEW_MAX_COUNT = 100;
    static final String READ_ONLY =
            "AuditEvents are written by the server only; they cannot be created, changed or deleted";

    private final AuditLog log;
    private final AccessPolicy policy;
    private final RecordAccessHistory history;
    private final AuditSettings settings;

    AuditEventInteractions(AuditLog log, AccessPolicy policy, RecordAccessHistory history, AuditSettings settings) {
        this.log = log;
        this.policy = policy;
        this.history = history;
        this.settings = settings;
    }

    ResponseEntity<byte[]> handle(String interaction, FhirCall call) {
        return switch (interaction) {
            case Interactions.READ -> {
                requireAuditReader(call.requester());
                yield read(call);
            }
            case Interactions.SEARCH_TYPE -> {
                Requester requester = call.requester();
                if (requester != null && (requester.kind() == Requester.Kind.PATIENT
                        || requester.kind() == Requester.Kind.CARER)) {
                    yield patientView(call, requester);
                }
                requireAuditReader(requester);
                yield search(call);
            }
            case Interactions.CREATE, Interactions.UPDATE, Interactions.CONDITIONAL_UPDATE, Interactions.PATCH,
                 Interactions.DELETE, Interactions.CONDITIONAL_DELETE ->
                    throw new MethodNotAllowed(ErrorCode.AUDIT_EVENT_READ_ONLY, IssueType.FORBIDDEN, READ_ONLY,
                            allowed(call.route()));
            default -> throw new MethodNotAllowed("AuditEvent supports read and search only", allowed(call.route()));
        };
    }

    /** The methods served at an AuditEvent address: read at an instance, search at the type, nothing else. */
    private static List<String> allowed(FhirRoute route) {
        if (route.history() || route.operation() != null && !route.operation().equals("_search")) {
            return List.of();
        }
        if (route.operation() != null) {
            return List.of("POST");
        }
        return List.of("GET", "HEAD");
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
        if (allowed && requester.kind() == Requester.Kind.STAFF
                && requester.scopes().stream().noneMatch(scope -> grantsAuditRead(scope, "user/"))) {
            // The person may read the trail, but an app acts for them only as far as its scopes go (SMART): one
            // granted sign-in or patients' details alone does not take the officer's whole trail with it.
            throw new ScopeNotGranted("read the audit trail", List.of("user/AuditEvent.rs"));
        }
        if (!allowed) {
            boolean patientSide = requester.kind() == Requester.Kind.PATIENT || requester.kind() == Requester.Kind.CARER;
            throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN, patientSide
                    ? "Who has accessed a record is searched with AuditEvent?patient=[id]; the trail's own events are"
                    + " for information governance"
                    : "Only information governance officers and system administrators may read the audit trail");
        }
    }

    /** {@code system/*.rs}, {@code system/AuditEvent.read} and the like: read or search on AuditEvent. */
    private static boolean grantsAuditRead(String scope) {
        return grantsAuditRead(scope, "system/");
    }

    /** A scope of the {@code context} ({@code system/}, {@code patient/}) that grants read or search on AuditEvent. */
    static boolean grantsAuditRead(String scope, String context) {
        if (!scope.startsWith(context)) {
            return false;
        }
        int dot = scope.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String type = scope.substring(context.length(), dot);
        String rest = scope.substring(dot + 1);
        int query = rest.indexOf('?');
        String permissions = query < 0 ? rest : rest.substring(0, query);
        boolean typeMatches = type.equals("*") || type.equals("AuditEvent");
        boolean reads = permissions.equals("read") || permissions.equals("*")
                || (permissions.matches("c?r?u?d?s?") && (permissions.contains("r") || permissions.contains("s")));
        return typeMatches && reads && query < 0;
    }

    private ResponseEntity<byte[]> read(FhirCall call) {
        StoredResource event = readFor(call.requester(), call.route().id());
        call.audit().returned(event);
        return FhirResponses.stored(shownTo(call.requester(), event), call.format(), 200, new HttpHeaders());
    }

    /**
     * A system administrator who does not also hold the information governance role. The role table gives them no
     * patient data, and who opened which record (and what they searched for) is patient data: they see the events
     * that concern no patient (sign-ins of staff, configuration, client registrations, refusals of no patient),
     * and even those without the text of any query, which can carry an NHS number or a clinical search value whether
     * or not it matched anyone.
     */
    static boolean administrationOnly(Requester requester) {
        return requester != null && requester.kind() == Requester.Kind.STAFF
                && requester.roles().contains(AccessRole.SYSTEM_ADMINISTRATOR)
                && !requester.roles().contains(AccessRole.INFORMATION_GOVERNANCE);
    }

    private StoredResource readFor(Requester requester, String id) {
        if (!administrationOnly(requester)) {
            return log.read(id).orElseThrow(() -> FhirException.notFound("AuditEvent", id));
        }
        return log.readConcerningNoPatient(id).orElseThrow(() -> log.read(id).isEmpty()
                ? FhirException.notFound("AuditEvent", id)
                : FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN, "AuditEvent/" + id
                        + " concerns a patient: system administrators see only the events that concern none;"
                        + " information governance reviews access to records"));
    }

    private AuditPage searchFor(Requester requester, Map<String, List<String>> params, boolean lenient) {
        return administrationOnly(requester) ? log.searchConcerningNoPatient(params, lenient)
                : log.search(params, lenient);
    }

    /** The event as the requester may see it: for {@link #administrationOnly} callers, without query text. */
    private static StoredResource shownTo(Requester requester, StoredResource event) {
        if (!administrationOnly(requester)) {
            return event;
        }
        org.hl7.fhir.r4.model.AuditEvent parsed = (org.hl7.fhir.r4.model.AuditEvent) parsed(event);
        boolean changed = false;
        for (org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent entity : parsed.getEntity()) {
            if (entity.hasQuery()) {
                entity.setQuery(null);
                entity.setDescription(null);
                changed = true;
            }
        }
        if (!changed) {
            return event;
        }
        return new StoredResource(event.pk(), event.type(), event.id(), event.version(), event.lastUpdated(),
                event.method(), org.charnwood.fhir.FhirContexts.r4().newJsonParser().encodeResourceToString(parsed),
                event.request());
    }

    /**
     * The refusal of a write to AuditEvent inside a transaction or batch: the REST interaction's status and
     * OperationOutcome, pointing at the entry.
     */
    static FhirException readOnlyEntry(int index) {
        return FhirException.of(405, ErrorCode.AUDIT_EVENT_READ_ONLY, IssueType.FORBIDDEN, READ_ONLY,
                "Bundle.entry[" + index + "]");
    }

    /** A GET entry's read of one AuditEvent, with the checks and audit of the REST read. */
    org.hl7.fhir.r4.model.Resource readEntry(FhirCall call, String id) {
        requireAuditReader(call.requester());
        StoredResource event = readFor(call.requester(), id);
        call.audit().returned(event);
        return parsed(shownTo(call.requester(), event));
    }

    /** A GET entry's search of the audit trail, with the checks and audit of the REST search; its first page. */
    org.hl7.fhir.r4.model.Bundle searchEntry(FhirCall call, Map<String, List<String>> params) {
        requireAuditReader(call.requester());
        AuditPage page = searchFor(call.requester(), params, false);
        call.audit().returned(page.events());
        org.hl7.fhir.r4.model.Bundle bundle = new org.hl7.fhir.r4.model.Bundle()
                .setType(org.hl7.fhir.r4.model.Bundle.BundleType.SEARCHSET);
        if (page.total() != null) {
            bundle.setTotal(page.total());
        }
        String criteria = criteria(params, page);
        String prefix = "AuditEvent?" + LinkQuery.join(criteria, "_count=" + page.count());
        for (BundlePage.Link link : links(prefix, page.offset(), page.count(), page.hasMore())) {
            bundle.addLink().setRelation(link.relation()).setUrl(link.url());
        }
        for (StoredResource r : page.events()) {
            bundle.addEntry().setFullUrl(call.baseUrl() + "/AuditEvent/" + r.id()).setResource(parsed(shownTo(call.requester(), r)))
                    .getSearch().setMode(org.hl7.fhir.r4.model.Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    private static org.hl7.fhir.r4.model.Resource parsed(StoredResource event) {
        org.hl7.fhir.r4.model.Resource r = (org.hl7.fhir.r4.model.Resource) org.charnwood.fhir.FhirContexts.r4()
                .newJsonParser().parseResource(event.json());
        r.setId("AuditEvent/" + event.id());
        return r;
    }

    private ResponseEntity<byte[]> search(FhirCall call) {
        Map<String, List<String>> params = call.parameters();
        AuditPage page = searchFor(call.requester(), params, call.lenient());
        call.audit().returned(page.events());
        List<BundlePage.Entry> entries = new ArrayList<>();
        for (StoredResource r : page.events()) {
            entries.add(new BundlePage.Entry(call.baseUrl() + "/AuditEvent/" + r.id(), shownTo(call.requester(), r), null, "match", null, null,
                    null));
        }
        if (!page.warnings().isEmpty()) {
            var oo = new org.hl7.fhir.r4.model.OperationOutcome();
            for (String w : page.warnings()) {
                oo.addIssue(FhirException.issue(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.WARNING,
                        ErrorCode.UNKNOWN_SEARCH_PARAMETER, IssueType.NOTSUPPORTED, w, null));
            }
            entries.add(new BundlePage.Entry("urn:uuid:" + java.util.UUID.randomUUID(), null, oo, "outcome",
                    null, null, null));
        }
        // The criteria repeated in the paging links, names and values percent-encoded again as any search's are
        // (LinkQuery), so that following a link searches what the first page did.
        String criteria = criteria(params, page);
        String prefix = call.baseUrl() + "/AuditEvent?" + LinkQuery.join(criteria, "_count=" + page.count());
        return FhirResponses.bundle(new BundlePage("searchset", page.total(),
                links(prefix, page.offset(), page.count(), page.hasMore()), entries), call.format());
    }

    /** A patient's or carer's search: the access history of one record they may see, one page of it. */
    private ResponseEntity<byte[]> patientView(FhirCall call, Requester requester) {
        if (requester.scopes().stream().noneMatch(scope -> grantsAuditRead(scope, "patient/"))) {
            throw FhirException.of(403, ErrorCode.SCOPE_NOT_GRANTED, IssueType.FORBIDDEN,
                    "The app was not granted patient/AuditEvent.rs (or patient/*.rs) to read who accessed the record");
        }
        Map<String, List<String>> params = call.parameters();
        for (String name : params.keySet()) {
            if (!PATIENT_VIEW_PARAMETERS.contains(name)) {
                throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, "Unknown parameter " + name
                        + ": a record's access history is searched with patient, _count and _getpagesoffset only");
            }
        }
        List<String> patients = params.getOrDefault("patient", List.of());
        if (patients.size() != 1 || patients.get(0).isBlank() || patients.get(0).contains(",")) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    "Say whose record's access history to show, once: patient=[id]");
        }
        String given = patients.get(0);
        String patientId = given.startsWith("Patient/") ? given.substring("Patient/".length()) : given;
        if (!requester.identityVerifiedForRecordAccess()) {
            throw FhirException.of(403, ErrorCode.IDENTITY_NOT_VERIFIED, IssueType.FORBIDDEN,
                    "Seeing who accessed a record needs your identity proven to the highest level, P9 in NHS login;"
                    + " prove your identity, then sign in again");
        }
        if (!policy.accessHistoryPatients(requester).contains(patientId)) {
            throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN,
                    "You may see who accessed your own record, and the records of people who share that with you");
        }
        int count = Math.min(PATIENT_VIEW_MAX_COUNT,
                ReadInteractions.intParam(params, "_count", PATIENT_VIEW_DEFAULT_COUNT));
        int offset = ReadInteractions.intParam(params, "_getpagesoffset", 0);
        RecordAccessHistory.Page page = history.of(patientId, count == 0 ? PATIENT_VIEW_DEFAULT_COUNT : count, offset);

        List<BundlePage.Entry> entries = new ArrayList<>();
        for (RecordAccess access : page.entries()) {
            entries.add(new BundlePage.Entry(call.baseUrl() + "/AuditEvent/" + access.id(), null,
                    PatientAccessEvents.of(access, patientId, settings.sourceId()), "match", null, null, null));
        }
        String prefix = call.baseUrl() + "/AuditEvent?" + LinkQuery.join(
                LinkQuery.of(Map.of("patient", List.of(patientId)), "patient"), "_count=" + page.count());
        return FhirResponses.bundle(new BundlePage("searchset", null,
                links(prefix, page.offset(), page.count(), page.hasMore()), entries), call.format());
    }

    /**
     * The search's criteria for its paging links, with the newest event its first page showed: the pages are
     * counted back from that event, so the events recorded while the reader pages (this search's own among them)
     * do not shift them.
     */
    private static String criteria(Map<String, List<String>> params, AuditPage page) {
        String criteria = LinkQuery.of(params, params.keySet().stream().filter(name -> !name.equals("_count")
                && !name.equals("_getpagesoffset") && !name.equals(AuditQuery.UP_TO)).toArray(String[]::new));
        return page.upTo() == null ? criteria : LinkQuery.join(criteria,
                LinkQuery.of(Map.of(AuditQuery.UP_TO, List.of(page.upTo().toString())), AuditQuery.UP_TO));
    }

    /** The self, next and previous links of a page, from the search's url up to and including {@code _count}. */
    private static List<BundlePage.Link> links(String prefix, int offset, int count, boolean hasMore) {
        List<BundlePage.Link> links = new ArrayList<>();
        links.add(new BundlePage.Link("self", prefix + (offset > 0 ? "&_getpagesoffset=" + offset : "")));
        if (hasMore) {
            links.add(new BundlePage.Link("next", prefix + "&_getpagesoffset=" + (offset + count)));
        }
        if (offset > 0) {
            links.add(new BundlePage.Link("previous", prefix + "&_getpagesoffset=" + Math.max(0, offset - count)));
        }
        return links;
    }
}
