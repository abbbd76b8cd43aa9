package org.charnwood.app.fhirapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.charnwood.app.bulkexport.ExportJob;
import org.charnwood.app.bulkexport.ExportJobs;
import org.charnwood.app.bulkexport.ExportRunner;
import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.compartment.PatientCompartment;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * FHIR Bulk Data export for backend services (SMART client credentials), following the Bulk Data Access IG:
 * <ul>
 *   <li>kick-off: {@code GET [base]/$export}, {@code [base]/Patient/$export} or {@code [base]/Group/[id]/$export}
 *       with {@code Prefer: respond-async}, and optionally {@code _type}, {@code _since}, {@code _typeFilter}
 *       (search queries such as {@code Observation?category=vital-signs}; a resource of a type with filters is
 *       exported when it matches one of them) and {@code _outputFormat} (NDJSON); answered 202 with the status URL
 *       in {@code Content-Location};</li>
 *   <li>status: {@code GET [base]/$export-poll-status?_jobId=} answers 202 with {@code X-Progress} while the
 *       export runs, then 200 with the manifest; {@code DELETE} on it cancels the export and removes its files;</li>
 *   <li>files: {@code GET [base]/$export-file?_jobId=&_file=}, NDJSON.</li>
 * </ul>
 * Status, cancelling and files are for the requester who started the export only, with a token granted every
 * read the kick-off's token was, and a file's type must still be readable by the client.
 * Each exported type needs the client's read scope for it, and is read under the access scope the policy grants
 * the client for that type (labels it may not see stay out). At Patient and Group level a type outside the Patient
 * compartment holds only what the exported compartment resources refer to ({@link ExportRunner}); a Group's members
 * are those current at the transaction time, and a Group with current members other than Patients is refused.
 * The kick-off and every file fetched are audited as
 * Export events; a file's event names the patients whose data it holds.
 */
@Component
class BulkExportOperation {

    private static final Set<String> KICK_OFF_PARAMETERS = Set.of("_type", "_since", "_outputFormat", "_typeFilter");
    private static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final JsonFactory JSON = new JsonFactory();

    private final ExportRunner runner;
    private final ExportJobs jobs;
    private final AccessPolicy policy;
    private final FhirRepository repository;
    private final Clock clock;

    BulkExportOperation(ExportRunner runner, ExportJobs jobs, AccessPolicy policy, FhirRepository repository,
                        Clock clock) {
        this.runner = runner;
        this.jobs = jobs;
        this.policy = policy;
        this.repository = repository;
        this.clock = clock;
    }

    /** Whether the request is one of bulk export's. */
    static boolean serves(FhirRoute route) {
        String op = route.operation();
        if ("export".equals(op)) {
            return (route.isServer() || ("Patient".equals(route.type()) && !route.isInstance())
                    || ("Group".equals(route.type()) && route.isInstance()));
        }
        return ("export-poll-status".equals(op) || "export-file".equals(op)) && route.isServer();
    }

    /** Whether the request fetches one of an export's NDJSON files. */
    static boolean answersWithFile(FhirRoute route) {
        return "export-file".equals(route.operation()) && route.isServer();
    }

    ResponseEntity<byte[]> handle(FhirCall call) {
        String op = call.route().operation();
        String method = call.method();
        if ("export".equals(op) && ("GET".equals(method) || "POST".equals(method))) {
            return kickOff(call);
        }
        if ("export-poll-status".equals(op) && "GET".equals(method)) {
            return status(call);
        }
        if ("export-poll-status".equals(op) && "DELETE".equals(method)) {
            return cancel(call);
        }
        if ("export-file".equals(op) && "GET".equals(method)) {
            return file(call);
        }
        List<String> allow = switch (op) {
            case "export" -> List.of("GET", "POST");
            case "export-poll-status" -> List.of("GET", "DELETE");
            default -> List.of("GET");
        };
        throw new MethodNotAllowed(method + " is not supported on $" + op, allow);
    }

    // --- kick-off ----------------------------------------------------------------------------------------------

    /**
     * What a kick-off asks for, from the query string of a GET or the Parameters of a POST: each value as sent,
     * {@code typeFilters} already split into single queries, {@code patients} null unless named.
     */
    private record KickOff(String outputFormat, String since, String types, List<String> typeFilters,
                           Set<String> patients, List<String> ignored) {
    }

    private ResponseEntity<byte[]> kickOff(FhirCall call) {
        Requester requester = backendService(call);
        // Prefer may be sent once with both preferences or once for each.
        String prefer = call.headers("Prefer");
        prefer = prefer == null ? "" : prefer.toLowerCase(java.util.Locale.ROOT);
        if (!prefer.contains("respond-async")) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "A bulk export runs in the background: send the header Prefer: respond-async");
        }
        FhirRoute route = call.route();
        String level = route.isServer() ? "system" : "Patient".equals(route.type()) ? "patient" : "group";
        // The IG's handling=lenient: parameters this server does not support are left out rather than refused.
        boolean lenient = prefer.replace(" ", "").contains("handling=lenient");
        KickOff asked = "POST".equals(call.method()) ? fromParameters(call, lenient) : fromQuery(call, lenient);
        if (asked.outputFormat() != null && !NDJSON.contains(asked.outputFormat())) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_outputFormat " + asked.outputFormat()
                    + " is not available; exports are NDJSON (application/fhir+ndjson)");
        }
        if (asked.patients() != null && "system".equals(level)) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "patient is for Patient- and Group-level exports ([base]/Patient/$export, Group/[id]/$export)");
        }
        Instant since = since(asked.since());
        Map<String, AccessDecision> decisions = decisions(asked.types(), level, requester);
        List<String> types = List.copyOf(decisions.keySet());
        // Not the clock's "now": a write stamped before it may still be committing. Up to the settled instant,
        // everything this export may hold has committed, and anything committing later is stamped after it, so
        // the next export with _since=transactionTime picks it up.
        Instant now = repository.settledUpTo();
        Set<String> members = "group".equals(level) ? members(route.id(), requester, now) : null;
        if (asked.patients() != null) {
            members = members == null ? asked.patients() : intersection(members, asked.patients());
        }
        Map<String, List<String>> filters = typeFilters(asked.typeFilters(), types);

        Map<String, AccessScope> scopes = new LinkedHashMap<>();
        Map<String, AccessScope> access = new LinkedHashMap<>();
        for (String type : types) {
            AccessScope scope = call.allowed(decisions.get(type)).scope();
            access.put(type, scope);
            if (members != null) {
                Set<String> patients = scope.patients() == null ? members : intersection(scope.patients(), members);
                scope = scope.withPatients(patients, Set.of(), Set.of());
            }
            if (filters.containsKey(type)) {
                scope = withFilters(scope, type, filters.get(type));
            }
            scopes.put(type, scope);
        }
        String request = call.baseUrl() + "/" + (route.isServer() ? "" : route.type() + "/"
                + (route.isInstance() ? route.id() + "/" : "")) + "$export"
                + (call.queryString() == null ? "" : "?" + call.queryString());
        ExportJob job = new ExportJob(UUID.randomUUID(), ExportJob.Owner.of(requester), level, route.id(), types, since,
                request, "accepted", now, 0, null, null, null);
        runner.submit(new ExportRunner.Plan(job, scopes, access));

        HttpHeaders headers = new HttpHeaders();
        headers.set("Content-Location", statusUrl(call, job.id()));
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue(FhirException.issue(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL,
                "Export of " + String.join(", ", types) + " started; follow Content-Location for its progress", null));
        for (String name : asked.ignored()) {
            oo.addIssue(FhirException.issue(IssueSeverity.WARNING, null, IssueType.NOTSUPPORTED,
                    "$export does not support " + name + "; it was left out, as Prefer: handling=lenient asks",
                    null));
        }
        // Whole: an _elements or _summary left out under handling=lenient does not trim the kick-off's own answer.
        ResponseFormat format = call.format();
        return FhirResponses.resource(oo, new ResponseFormat(format.answer(), format.pretty(), null, null), 202,
                headers);
    }

    /**
     * A GET kick-off. {@code _typeFilter} is read from the raw query string: it may repeat, and within a value the
     * queries are separated by commas that are not escaped (a comma inside a query is sent as {@code %2C}).
     */
    private static KickOff fromQuery(FhirCall call, boolean lenient) {
        Map<String, List<String>> params = call.parameters();
        List<String> ignored = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!KICK_OFF_PARAMETERS.contains(name) && lenient) {
                ignored.add(name);
            } else if (!KICK_OFF_PARAMETERS.contains(name)) {
                throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "$export does not support " + name
                        + "; it takes _type, _since, _typeFilter and _outputFormat (and patient, in a POST)");
            }
        }
        List<String> filters = new ArrayList<>();
        String raw = call.queryString();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.startsWith("_typeFilter=")) {
                    for (String encoded : pair.substring("_typeFilter=".length()).split(",")) {
                        filters.add(java.net.URLDecoder.decode(encoded, StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return new KickOff(single(params, "_outputFormat"), single(params, "_since"), single(params, "_type"),
                filters, null, ignored);
    }

    /** A POST kick-off: a Parameters resource with the same parameters, and {@code patient} references. */
    private static KickOff fromParameters(FhirCall call, boolean lenient) {
        if (call.body() == null || call.body().isBlank()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "A POST kick-off sends its parameters as a Parameters resource (or use GET)");
        }
        if (!call.parameters().isEmpty()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "A POST kick-off takes its parameters in the Parameters body, not in the URL");
        }
        if (!(call.bodyResource() instanceof Parameters parameters)) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "A POST kick-off's body is a Parameters resource");
        }
        String format = null;
        String since = null;
        List<String> types = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        Set<String> patients = null;
        List<String> ignored = new ArrayList<>();
        for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
            String name = p.getName();
            switch (name == null ? "" : name) {
                case "_outputFormat" -> format = primitive(p);
                case "_since" -> since = primitive(p);
                case "_type" -> types.add(primitive(p));
                case "_typeFilter" -> filters.add(primitive(p));
                case "patient" -> {
                    String reference = p.getValue() instanceof org.hl7.fhir.r4.model.Reference r ? r.getReference()
                            : null;
                    if (reference == null || !reference.startsWith("Patient/")) {
                        throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                                "patient takes a valueReference to a Patient, such as Patient/123");
                    }
                    if (patients == null) {
                        patients = new TreeSet<>();
                    }
                    patients.add(reference.substring("Patient/".length()));
                }
                default -> {
                    if (!lenient) {
                        throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "$export does not support "
                                + name + "; it takes _type, _since, _typeFilter, _outputFormat and patient");
                    }
                    if (!ignored.contains(name)) {
                        ignored.add(name);
                    }
                }
            }
        }
        return new KickOff(format, since, types.isEmpty() ? null : String.join(",", types), filters, patients,
                ignored);
    }

    private static String primitive(Parameters.ParametersParameterComponent p) {
        if (p.getValue() == null || !p.getValue().isPrimitive() || p.getValue().primitiveValue() == null) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, p.getName() + " takes a value such as a"
                    + " valueString or valueInstant");
        }
        return p.getValue().primitiveValue();
    }

    /**
     * The {@code _typeFilter} queries by type. Each must be {@code Type?query} for an exported type, and a query
     * the search engine accepts.
     */
    private Map<String, List<String>> typeFilters(List<String> given, List<String> types) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String filter : given) {
            int question = filter.indexOf('?');
            String type = question < 0 ? filter : filter.substring(0, question);
            String query = question < 0 ? "" : filter.substring(question + 1);
            if (!types.contains(type) || query.isBlank()) {
                throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_typeFilter " + filter
                        + " must be a search of an exported type, such as Observation?category=vital-signs");
            }
            Map<String, List<String>> parameters = new LinkedHashMap<>(QueryStrings.parse(query));
            for (String name : parameters.keySet()) {
                if (name.startsWith("_") && !name.equals("_id") && !name.equals("_lastUpdated")
                        && !name.equals("_tag") && !name.equals("_profile") && !name.equals("_security")) {
                    throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_typeFilter " + filter
                            + " may only hold search criteria, not " + name);
                }
            }
            try {
                // Checked by the search engine, which reads nothing when asked for no page and no total.
                parameters.put("_count", List.of("0"));
                parameters.put("_total", List.of("none"));
                repository.search(new org.charnwood.fhir.search.SearchRequest(type, parameters, false));
            } catch (FhirException e) {
                throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_typeFilter " + filter
                        + " is not a search this server can run: " + e.getMessage());
            }
            filters.computeIfAbsent(type, k -> new ArrayList<>()).add(query);
        }
        return filters;
    }

    /**
     * The scope narrowed to resources matching one of {@code queries}. Where the client's own scopes already filter
     * the type, a resource must match one of those and one of these: each pair becomes one query.
     */
    private static AccessScope withFilters(AccessScope scope, String type, List<String> queries) {
        List<String> granted = scope.typeFilters().get(type);
        List<String> combined = new ArrayList<>();
        if (granted == null) {
            combined.addAll(queries);
        } else {
            for (String g : granted) {
                for (String q : queries) {
                    combined.add(g + "&" + q);
                }
            }
        }
        Map<String, List<String>> all = new LinkedHashMap<>(scope.typeFilters());
        all.put(type, combined);
        return scope.withTypeFilters(all);
    }

    /** Only backend services export: a client credentials token of a registered client. */
    private static Requester backendService(FhirCall call) {
        Requester requester = call.requester();
        if (requester == null || requester.kind() == Requester.Kind.ANONYMOUS) {
            throw FhirException.of(401, ErrorCode.AUTHENTICATION_REQUIRED, IssueType.LOGIN,
                    "Bulk export needs an access token of a backend service");
        }
        if (requester.kind() != Requester.Kind.SYSTEM || requester.clientId() == null) {
            throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN,
                    "Bulk export is for backend services (SMART client credentials), not for people's sessions");
        }
        return requester;
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, name + " may be given once");
        }
        return values.get(0).isBlank() ? null : values.get(0).trim();
    }

    private static Instant since(String value) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "_since must be an instant with a time zone, such as 2026-01-31T09:00:00Z, not " + value);
        }
    }

    /**
     * The types to export, each with the policy's decision for the client reading it: those asked for, each an R4
     * type the client may read (else 400 or 403); else every type the client may read (system level) or every type
     * of the Patient compartment it may read (patient and group levels), in name order.
     */
    private Map<String, AccessDecision> decisions(String requested, String level, Requester requester) {
        Set<String> known = FhirContexts.r4().getResourceTypes();
        Map<String, AccessDecision> decisions = new LinkedHashMap<>();
        if (requested != null) {
            Set<String> types = new java.util.LinkedHashSet<>();
            for (String t : requested.split(",")) {
                String type = t.trim();
                if (!known.contains(type)) {
                    throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_type names " + type
                            + ", which is not a FHIR R4 resource type");
                }
                types.add(type);
            }
            for (String type : types) {
                decisions.put(type, policy.read(requester, FhirAction.READ, type));
            }
            return decisions;
        }
        Set<String> candidates = new TreeSet<>("system".equals(level) ? known
                : PatientCompartment.get().membership().keySet());
        candidates.add("Patient");
        candidates.remove("AuditEvent");
        for (String type : candidates) {
            try {
                decisions.put(type, policy.read(requester, FhirAction.READ, type));
            } catch (FhirException refused) {
                // not granted to this client: left out of an export that did not name it
            }
        }
        if (decisions.isEmpty()) {
            throw FhirException.of(403, ErrorCode.SCOPE_NOT_GRANTED, IssueType.FORBIDDEN,
                    "The client was granted read on no resource type");
        }
        return decisions;
    }

    /**
     * The Patients who are members of the Group at {@code at}, the export's transaction time: not marked
     * {@code inactive} (no longer in the group), and with a {@code period}, if one is given, that holds that instant.
     * The Group must exist and the client may read Group. A Group with other current members (a Practitioner, a
     * Device, another Group) is refused: the export is of patients' records, and this server does not expand
     * nested Groups, so leaving them out silently would export less than the Group stands for.
     */
    private Set<String> members(String groupId, Requester requester, Instant at) {
        AccessDecision decision = policy.read(requester, FhirAction.READ, "Group");
        StoredResource stored = repository.read("Group", groupId, decision.scope());
        Group group = FhirContexts.r4().newJsonParser().parseResource(Group.class, stored.json());
        Set<String> members = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        for (Group.GroupMemberComponent member : group.getMember()) {
            if (member.getInactive() || !memberAt(member.getPeriod(), at)) {
                continue;
            }
            String reference = member.getEntity().getReference();
            if (reference != null && reference.startsWith("Patient/")
                    && reference.indexOf('/', "Patient/".length()) < 0) {
                members.add(reference.substring("Patient/".length()));
            } else {
                others.add(reference == null ? "a member without a reference" : reference);
            }
        }
        if (!others.isEmpty()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "Group/" + groupId + " has members that are"
                    + " not Patients (" + String.join(", ", others) + "); a Group export covers Patient members"
                    + " only and does not expand nested Groups: export a Group whose current members are Patients");
        }
        return members;
    }

    /**
     * Whether a member's period holds the instant: started by then and not yet ended. An end given to the day (or
     * month, year) runs to the end of it.
     */
    private static boolean memberAt(org.hl7.fhir.r4.model.Period period, Instant at) {
        if (period == null || period.isEmpty()) {
            return true;
        }
        if (period.getStartElement().getValue() != null
                && period.getStartElement().getValue().toInstant().isAfter(at)) {
            return false;
        }
        org.hl7.fhir.r4.model.DateTimeType end = period.getEndElement();
        return end.getValue() == null || end.getPrecision().add(end.getValue(), 1).toInstant().isAfter(at);
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    // --- status, cancel, files ---------------------------------------------------------------------------------

    private ResponseEntity<byte[]> status(FhirCall call) {
        Requester requester = backendService(call);
        ExportJob job = jobOf(call, requester);
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl("no-store");
        switch (job.status()) {
            case "accepted", "running" -> {
                headers.set("X-Progress", job.progress() == null ? "Waiting to start" : job.progress());
                headers.set("Retry-After", "2");
                return ResponseEntity.status(202).headers(headers).body(new byte[0]);
            }
            case "completed" -> {
                headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
                if (job.expires() != null) {
                    headers.setExpires(job.expires().toEpochMilli());
                }
                return ResponseEntity.ok().headers(headers).body(manifest(call, job));
            }
            case "failed" -> throw FhirException.of(500, ErrorCode.INTERNAL_ERROR, IssueType.EXCEPTION,
                    job.error() == null ? "The export failed" : job.error());
            default -> throw notFound();
        }
    }

    private ResponseEntity<byte[]> cancel(FhirCall call) {
        Requester requester = backendService(call);
        ExportJob job = jobOf(call, requester);
        if (!jobs.cancel(job.id(), requester.clientId(), clock.instant())) {
            throw notFound();
        }
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue(FhirException.issue(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL,
                "The export was cancelled and its files removed", null));
        return FhirResponses.resource(oo, call.format(), 202, new HttpHeaders());
    }

    private ResponseEntity<byte[]> file(FhirCall call) {
        Requester requester = backendService(call);
        ExportJob job = jobOf(call, requester);
        String n = single(call.parameters(), "_file");
        int number;
        try {
            number = Integer.parseInt(n == null ? "" : n);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_file must be the file's number");
        }
        ExportJob.Content content = jobs.content(job.id(), requester.clientId(), number)
                .orElseThrow(BulkExportOperation::notFound);
        // The type must still be readable by the client as the policy stands now (403 if not).
        policy.read(requester, FhirAction.READ, content.type());
        call.audit().released(content.patients());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/fhir+ndjson");
        headers.setCacheControl("no-store");
        return ResponseEntity.ok().headers(headers).body(content.ndjson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The export, if the requester started it (the same client, and the same person for a token that has one;
     * otherwise 404, as for no export at all) and the presenting token is granted every read the kick-off's token
     * was (403 naming what is missing): a token of the same client with narrower scopes gets neither the files nor
     * the manifest.
     */
    private ExportJob jobOf(FhirCall call, Requester requester) {
        ExportJob job = jobs.find(jobId(call), requester.clientId(), clock.instant())
                .filter(j -> j.owner().startedBy(requester))
                .orElseThrow(BulkExportOperation::notFound);
        List<String> missing = job.owner().readsNotCoveredBy(requester.scopes());
        if (!missing.isEmpty()) {
            throw FhirException.of(403, ErrorCode.SCOPE_NOT_GRANTED, IssueType.FORBIDDEN, "This export was started"
                    + " with scopes this token does not hold (" + String.join(" ", missing) + "); use a token"
                    + " granted them, or start a new export");
        }
        return job;
    }

    private static UUID jobId(FhirCall call) {
        String value = single(call.parameters(), "_jobId");
        try {
            return UUID.fromString(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static FhirException notFound() {
        return FhirException.of(404, ErrorCode.RESOURCE_NOT_FOUND, IssueType.NOTFOUND,
                "No such export of this client's (it may have expired or been cancelled)");
    }

    private static String statusUrl(FhirCall call, UUID id) {
        return call.baseUrl() + "/$export-poll-status?_jobId=" + id;
    }

    private byte[] manifest(FhirCall call, ExportJob job) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("transactionTime", job.transactionTime().toString());
            g.writeStringField("request", job.request());
            g.writeBooleanField("requiresAccessToken", true);
            List<ExportJob.File> files = jobs.files(job.id());
            g.writeArrayFieldStart("output");
            for (ExportJob.File f : files) {
                if (!f.deleted()) {
                    writeFile(g, call, job, f, f.type());
                }
            }
            g.writeEndArray();
            // Since an instant: what was deleted since, as transaction Bundles of DELETE entries.
            g.writeArrayFieldStart("deleted");
            for (ExportJob.File f : files) {
                if (f.deleted()) {
                    writeFile(g, call, job, f, "Bundle");
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("error");
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeFile(JsonGenerator g, FhirCall call, ExportJob job, ExportJob.File f, String type)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        g.writeStringField("url", call.baseUrl() + "/$export-file?_jobId=" + job.id() + "&_file=" + f.n());
        g.writeNumberField("count", f.count());
        g.writeEndObject();
    }
}
