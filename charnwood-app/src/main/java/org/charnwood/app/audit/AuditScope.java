package org.charnwood.app.audit;

import org.charnwood.app.security.RequestAimedAt;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.audit.balp.AuditEventBuilder;
import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.audit.balp.PatientReferences;
import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.TransactionListener.WrittenResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit record of one FHIR request while it is handled. The handler tells it who is asking, which
 * interaction this is and what it returned; writes report themselves as they commit. At the end
 * {@link #succeeded} or {@link #failed} writes what is still unrecorded and waits for it to commit.
 * One per request, used by the request's thread (and, for bulk imports, its workers).
 */
public final class AuditScope implements AutoCloseable {

    /** Recorded for changes made outside any request (start-up loaders, scheduled jobs). */
    static final Requester INTERNAL = new Requester(Requester.Kind.SYSTEM, "charnwood-internal", null, Set.of(),
            null, null, List.of(), null, null, null, null);

    private final AuditTrail trail;
    private final HttpServletRequest request;
    private Requester requester;
    private String interaction;
    private String type;
    private String id;
    private String version;
    private String operation;
    private volatile String bundleType;
    private final List<StoredResource> returned = new ArrayList<>();
    private final Set<String> released = new TreeSet<>();
    private final Set<String> about = new TreeSet<>();
    private final List<AuditRecord> extra = new ArrayList<>();
    private final AtomicInteger recordedInTransactions = new AtomicInteger();
    private boolean completed;
    private volatile boolean closed;
    /** A request for one of the application's web pages rather than the FHIR API ({@link PageAudit}). */
    private boolean page;
    /** Whose data a page request read through the repository. */
    private final Set<String> pagePatients = new TreeSet<>();
    /** Entries a page read, by type, and the security labels among them (codes), for the page's record. */
    private final java.util.Map<String, Integer> pageTypes = new java.util.TreeMap<>();
    private final Set<String> pageLabels = new TreeSet<>();
    /** A page request that asks a question (a search form) rather than making a change ({@link AuditedAsSearch}). */
    private boolean pageSearch;
    /** The handler said which patients the page shows ({@link #shownOnly}): later reads add none. */
    private boolean pagePatientsSettled;
    /** Finds the patients a failed request was aimed at; null when not asked to. */
    private AimedAt aimedAt;
    private boolean ignoringReads;
    /** The patients of the versions a bulk import has written, noted as each is written ({@link #imported}). */
    private final Set<String> importedPatients = new TreeSet<>();

    AuditScope(AuditTrail trail, HttpServletRequest request) {
        this.trail = trail;
        this.request = request;
    }

    /** Who is asking, once known. Until then (or if working it out failed) the caller is anonymous. */
    public void requester(Requester requester) {
        this.requester = requester;
    }

    /** Which interaction (the names of {@code restful-interaction}, or {@code operation}) on what. */
    public void interaction(String interaction, String type, String id, String version, String operation) {
        this.interaction = interaction;
        this.type = type;
        this.id = id;
        this.version = version;
        this.operation = operation;
    }

    /** A transaction or batch bundle: its type ({@code transaction} or {@code batch}). */
    public void bundle(String bundleType) {
        this.bundleType = bundleType;
    }

    /** The type of the transaction or batch bundle this request posted, as {@link #bundle} recorded it; else null. */
    public String bundleType() {
        return bundleType;
    }

    /** Resources the response carries: their patients are named in the record. */
    public void returned(StoredResource resource) {
        if (resource != null) {
            returned.add(resource);
        }
    }

    public void returned(Collection<StoredResource> resources) {
        resources.forEach(this::returned);
    }

    /** Patients whose data the response releases other than as resources it returns (a bulk export's file). */
    public void released(Collection<String> patients) {
        released.addAll(patients);
    }

    /**
     * Patients the request itself is about (an operation's body refers to them): named in its record whether it
     * succeeds or is refused, so that a refused attempt at a patient's record is on that patient's trail too.
     */
    public void about(Collection<String> patients) {
        about.addAll(patients);
    }

    /**
     * A GET entry of a transaction or batch bundle that returned {@code resource} (possibly a searchset). It names
     * the patients a top-level read or search would: of a searchset, every resource in it, matches and includes,
     * each as its own (a Patient by its id); and a patient the query names.
     */
    public void entryRead(String url, Resource resource) {
        if (!trail.enabled()) {
            return;
        }
        Set<String> patients = new TreeSet<>();
        var parser = FhirContexts.r4().newJsonParser();
        if (resource instanceof org.hl7.fhir.r4.model.Bundle page) {
            for (org.hl7.fhir.r4.model.Bundle.BundleEntryComponent entry : page.getEntry()) {
                if (entry.hasResource()) {
                    Resource r = entry.getResource();
                    PatientReferences.collect(r.fhirType(), r.getIdElement().getIdPart(),
                            parser.encodeResourceToString(r), patients);
                }
            }
        } else if (resource != null) {
            PatientReferences.collect(resource.fhirType(), resource.getIdElement().getIdPart(),
                    parser.encodeResourceToString(resource), patients);
        }
        boolean search = url != null && (url.contains("?") || !url.contains("/"));
        int q = url == null ? -1 : url.indexOf('?');
        if (search && q >= 0) {
            Map<String, List<String>> parameters = org.charnwood.fhir.QueryStrings.parse(url.substring(q + 1));
            namedByQuery(name -> parameters.getOrDefault(name, List.of()), patients);
        } else if (!search) {
            // A read of a Patient names them even when nothing came back (HEAD, or 304 Not Modified).
            String patient = PatientReferences.patientId(url.startsWith("/") ? url.substring(1) : url);
            if (patient != null) {
                patients.add(patient);
            }
        }
        AuditEventBuilder b = base(Direction.TO_CLIENT)
                .subtype(Codes.interaction(search ? "search-type" : "read")).subtype(bundleSubtype())
                .action(search ? "E" : "R").outcome(0, null).patients(patients);
        if (search) {
            b.query("GET " + url, url);
        } else {
            b.resource(url);
        }
        extra.add(b.build());
    }

    /**
     * A conditional create (alone or as a bundle entry) that found its match: nothing was written, and the resource
     * already there went back to the caller instead (its id and version at least, its content unless they asked
     * for less). That is a read of it, and is recorded as one, naming the resource and the patients it holds data
     * about; the request leaves no create record.
     */
    public void existingReturned(StoredResource found) {
        if (!trail.enabled() || found == null) {
            return;
        }
        Set<String> patients = new TreeSet<>();
        PatientReferences.collect(found.type(), found.id(), found.json(), patients);
        AuditEventBuilder b = base(Direction.TO_CLIENT).subtype(Codes.interaction("read"));
        Codes bundle = bundleSubtype();
        if (bundle != null) {
            b.subtype(bundle);
        }
        extra.add(b.action("R").outcome(0, null).patients(patients).resource(found.versionedReference()).build());
    }

    /**
     * An entry of a batch bundle that failed (a failed transaction fails as a whole instead), naming
     * {@code patients}: for a write, those it would have changed, so that a refused attempt at a patient's record
     * is on that patient's trail.
     */
    public void entryFailed(String method, String url, int status, OperationOutcome outcome,
                            Collection<String> patients) {
        if (!trail.enabled()) {
            return;
        }
        ChangeMethod change = switch (method == null ? "" : method) {
            case "POST" -> ChangeMethod.CREATE;
            case "DELETE" -> ChangeMethod.DELETE;
            default -> ChangeMethod.UPDATE;
        };
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        AuditEventBuilder b = base(read ? Direction.TO_CLIENT : change == ChangeMethod.DELETE ? Direction.DELETE
                : Direction.TO_SERVER)
                .subtype(Codes.interaction(read ? "read" : "PATCH".equals(method) ? "patch" : subtype(change)))
                .subtype(bundleSubtype())
                .action(read ? "R" : action(change))
                .outcome(outcomeCode(status), describe(status, outcome))
                .patients(new TreeSet<>(patients))
                .resource(url);
        extra.add(b.build());
    }

    /** Marks the scope as a web page's, whose reads the repository reports ({@link #pageRead}). */
    void page() {
        this.page = true;
    }

    /** As {@link #page()}, naming in a failure record the patients the request was aimed at. */
    void page(AimedAt aimedAt) {
        this.page = true;
        this.aimedAt = aimedAt;
    }

    /** Runs the trail's own look-ups, which are not the page's reads. */
    synchronized void ignoringReads(Runnable lookUps) {
        boolean was = ignoringReads;
        ignoringReads = true;
        try {
            lookUps.run();
        } finally {
            ignoringReads = was;
        }
    }

    boolean isPage() {
        return page;
    }

    /** The page's handler searches: a form posted to it is a query, recorded as one (action E), not a change. */
    void pageSearch() {
        this.pageSearch = true;
    }

    /**
     * Resources the repository returned while a page was being made: their patients are named in its record, and
     * what kinds of entry were shown (and any security labels on them) are summed up in it, so information
     * governance can tell a view of demographics from one of the clinical record or of restricted entries.
     */
    synchronized void pageRead(List<StoredResource> resources) {
        if (ignoringReads) {
            return;
        }
        for (StoredResource r : resources) {
            if (!"AuditEvent".equals(r.type())) {
                if (!pagePatientsSettled) {
                    PatientReferences.collect(r.type(), r.id(), r.json(), pagePatients);
                }
                pageTypes.merge(r.type(), 1, Integer::sum);
                if (r.json().contains("\"security\"")) {
                    PageLabels.collect(r.json(), pageLabels);
                }
            }
        }
    }

    /** "Shown: Condition 3, Patient 1; labelled R" — what the page's record says it showed. */
    private String pageShown() {
        if (pageTypes.isEmpty()) {
            return null;
        }
        StringBuilder shown = new StringBuilder("Shown: ");
        pageTypes.forEach((type, n) -> shown.append(shown.length() > 7 ? ", " : "").append(type).append(' ').append(n));
        if (!pageLabels.isEmpty()) {
            shown.append("; labelled ").append(String.join(", ", pageLabels));
        }
        return shown.toString();
    }

    /**
     * Patients whose data the request read other than through the repository (from the audit trail, or the
     * break-glass grants) and is about to show: named in its record as the repository's reads are.
     */
    synchronized void shown(Collection<String> patients) {
        if (page) {
            pagePatients.addAll(patients);
        } else {
            released.addAll(patients);
        }
    }

    /**
     * The page's handler is done and the page is about to be written: when it read any patient's data through the
     * repository, one record naming every patient whose data it read, committed before a byte of the page is sent.
     * A page that read only reference data (wards, teams, the person's own name for the header) is not access to a
     * record and is not recorded; its writes, if any, were recorded in their transactions.
     */
    synchronized void pageViewed() {
        if (RequestAimedAt.made(request) && aimedAt != null && !completed && trail.enabled()) {
            pagePatients.addAll(aimedAt.patients(request, this));
        }
        if (!pagePatients.isEmpty()) {
            commitPage(0, null);
        }
    }

    /**
     * A form sent to the page was shown again with its problems (invalid, changed by someone else meanwhile,
     * refused) and nothing was saved: recorded as a failed attempt naming what it read, not as a change made.
     */
    synchronized void pageNotSaved(String description) {
        if (!pagePatients.isEmpty()) {
            commitPage(4, description);
        }
    }

    /**
     * The request shows data about these patients only, though it read more to work out what to show: its record
     * names them, whatever it read before or reads after.
     */
    synchronized void shownOnly(Collection<String> patients) {
        if (page) {
            pagePatients.clear();
            pagePatients.addAll(patients);
            pagePatientsSettled = true;
        } else {
            released.addAll(patients);
        }
    }

    /** A page whose request another record already covers (a break-glass grant's): no page record. */
    synchronized void recordedAlready() {
        completed = true;
    }

    /**
     * The page failed or was refused with {@code status}: recorded with whatever it had read by then, and the
     * patients the request was aimed at ({@link AimedAt}).
     */
    synchronized void pageFailed(int status) {
        if (aimedAt != null && !completed && trail.enabled()) {
            pagePatients.addAll(aimedAt.patients(request, this));
        }
        commitPage(outcomeCode(status), "HTTP " + status);
    }

    /** Commits the page's one record with this outcome, unless it has one already. */
    private void commitPage(int outcome, String description) {
        if (completed || !trail.enabled()) {
            return;
        }
        completed = true;
        trail.commit(List.of(pageEvent().outcome(outcome, description).build()));
    }

    /**
     * The record of a page: the page's address as the query (method, path and query string; never a form's body,
     * which holds what was typed into a record), and the patients read.
     */
    private AuditEventBuilder pageEvent() {
        String q = request.getQueryString();
        String line = request.getMethod() + " " + request.getRequestURI() + (q == null ? "" : "?" + q);
        // A page asked for is a view of what it shows; a search form's answer is a query; any other form sent to a
        // page is a change (refused or not saved, when it is recorded here: a change made is recorded in its own
        // transaction).
        boolean view = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        String action = view ? "R" : pageSearch ? "E" : RequestAimedAt.made(request) ? "C" : "U";
        return trail.event(Codes.PATIENT_RECORD).requester(requester(), view ? Direction.TO_CLIENT : Direction.TO_SERVER)
                .subtype(Codes.PAGE).action(action).patients(pagePatients).query(line, q)
                .requestId(request.getHeader("X-Request-Id")).breakGlassGrant(grant()).detail(pageShown());
    }

    /** Whether this request is a bulk import, whose single record names the patients of everything it stored. */
    boolean importing() {
        return "operation".equals(interaction) && "import".equals(operation);
    }

    /**
     * Notes the patients of a version the import has just written, so that its content need not be kept until
     * the import commits.
     */
    void imported(WrittenResource version) {
        PatientReferences.collect(version.type(), version.id(), version.json(), importedPatients);
    }

    /** The records for a write transaction's changes, written into it by the transaction listener. */
    List<AuditRecord> changes(List<WrittenResource> changes) {
        List<AuditRecord> records = new ArrayList<>();
        if (importing()) {
            // A bulk import commits thousands of resources in one transaction: one Import event for them all.
            // Their patients were noted as they were written (an attempt the import retried noted only resources
            // of the same import); a version still holding its content is read here.
            Set<String> patients = new TreeSet<>(importedPatients);
            for (WrittenResource w : changes) {
                PatientReferences.collect(w.type(), w.id(), w.json(), patients);
            }
            records.add(base(Direction.TO_SERVER).subtype(Codes.interaction("operation"))
                    .subtype(new Codes(Codes.CHARNWOOD_SUBTYPE, "import", "$import")).action("C")
                    .outcome(0, null).patients(patients)
                    .detail(changes.size() + " resources stored by the import").build());
            recordedInTransactions.addAndGet(records.size());
            return records;
        }
        for (WrittenResource w : changes) {
            records.add(change(base(direction(w.method())), w).build());
        }
        recordedInTransactions.addAndGet(records.size());
        return records;
    }

    /** Changes made outside any request. */
    static List<AuditRecord> internalChanges(AuditTrail trail, List<WrittenResource> changes) {
        List<AuditRecord> records = new ArrayList<>(changes.size());
        for (WrittenResource w : changes) {
            records.add(changeOf(trail.event(Codes.REST).requester(INTERNAL, direction(w.method())), w, w.patch(), null)
                    .build());
        }
        return records;
    }

    private AuditEventBuilder change(AuditEventBuilder b, WrittenResource w) {
        return changeOf(b, w, w.patch(), bundleSubtype());
    }

    private static AuditEventBuilder changeOf(AuditEventBuilder b, WrittenResource w, boolean patch, Codes bundle) {
        Set<String> patients = new TreeSet<>();
        PatientReferences.collect(w.type(), w.id(), w.json(), patients);
        b.subtype(Codes.interaction(patch ? "patch" : subtype(w.method())));
        if (bundle != null) {
            b.subtype(bundle);
        }
        return b.action(action(w.method())).outcome(0, null).patients(patients)
                .resource(w.type() + "/" + w.id() + "/_history/" + w.version());
    }

    /** The request worked: records what the transactions did not, and waits for it to commit. */
    public void succeeded(int status) {
        if (completed || !trail.enabled()) {
            return;
        }
        completed = true;
        List<AuditRecord> records = new ArrayList<>(extra);
        if (recordedInTransactions.get() == 0 && extra.isEmpty() && !"capabilities".equals(interaction)) {
            records.add(success(status));
        }
        trail.commit(records);
    }

    /** The request was refused or failed with {@code status}: records the failure and waits for it to commit. */
    public void failed(int status, OperationOutcome outcome) {
        if (completed || !trail.enabled()) {
            return;
        }
        completed = true;
        AuditEventBuilder b = interactionEvent().outcome(outcomeCode(status), describe(status, outcome));
        Set<String> patients = new TreeSet<>(about);
        if ("Patient".equals(type) && id != null) {
            patients.add(id);
        }
        if (interaction != null && interaction.startsWith("search")) {
            patients.addAll(namedByRefusedQuery());
        }
        b.patients(patients);
        if (type != null && id != null) {
            b.resource(type + "/" + id + (version == null ? "" : "/_history/" + version));
        }
        List<AuditRecord> records = new ArrayList<>(extra);
        records.add(b.build());
        trail.commit(records);
    }

    @Override
    public void close() {
        closed = true;
        trail.closed(this);
    }

    /**
     * Whether the request is over. A thread started while it was open (a pool's thread, say) inherits the scope
     * and keeps it after the request ends; a closed scope is then ignored, so that thread's later work is not
     * put down to that request's caller.
     */
    boolean isClosed() {
        return closed;
    }

    private AuditRecord success(int status) {
        AuditEventBuilder b = interactionEvent().outcome(0, null);
        Set<String> patients = new TreeSet<>();
        // AuditEvents come back from a search or read of the trail, or from a bundle's GET entries of it.
        var parser = returned.stream().anyMatch(r -> "AuditEvent".equals(r.type()))
                ? FhirContexts.r4().newJsonParser() : null;
        for (StoredResource r : returned) {
            if ("AuditEvent".equals(r.type())) {
                namedByTrailEvent(parser, r, patients);
            } else {
                PatientReferences.collect(r.type(), r.id(), r.json(), patients);
            }
        }
        if ("Patient".equals(type) && id != null) {
            patients.add(id);
        }
        patients.addAll(released);
        patients.addAll(about);
        if (interaction != null && interaction.startsWith("search")) {
            namedByQuery(name -> {
                String[] values = request.getParameterValues(name);
                return values == null ? List.of() : List.of(values);
            }, patients);
        }
        b.patients(patients);
        boolean single = "read".equals(interaction) || "vread".equals(interaction);
        if (single && returned.size() == 1) {
            b.resource(returned.get(0).versionedReference());
        } else if (type != null && id != null) {
            b.resource(type + "/" + id + (version == null ? "" : "/_history/" + version));
        }
        if (status == 304) {
            b.outcome(0, "304 Not Modified");
        }
        return b.build();
    }

    /**
     * The patients a search that was refused or failed names in its query, as its record would name them had it
     * succeeded, so that an attempt to search a patient's record (an app without the scope for it, a bad parameter
     * beside {@code patient=}) is in their access history. The query is what was refused, so only values that are
     * FHIR ids are taken, and no more than a page's worth.
     */
    private Set<String> namedByRefusedQuery() {
        Set<String> named = new TreeSet<>();
        try {
            namedByQuery(name -> {
                String[] values = request.getParameterValues(name);
                return values == null ? List.of() : List.of(values);
            }, named);
        } catch (RuntimeException unreadable) {
            // A query that cannot be read as parameters names no one; the refusal is recorded all the same.
            return Set.of();
        }
        return named.stream().filter(candidate -> FHIR_ID.matcher(candidate).matches()).limit(MOST_NAMED_BY_QUERY)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    private static final java.util.regex.Pattern FHIR_ID = java.util.regex.Pattern.compile("[A-Za-z0-9.\\-]{1,64}");
    private static final int MOST_NAMED_BY_QUERY = 100;

    /** The patients a search's query names ({@code patient=}, {@code subject=Patient/…}), found or not. */
    private static void namedByQuery(java.util.function.Function<String, List<String>> parameter, Set<String> into) {
        for (String name : List.of("patient", "subject")) {
            for (String v : parameter.apply(name)) {
                for (String one : v.split(",")) {
                    String p = "patient".equals(name) && !one.contains("/") ? one : PatientReferences.patientId(one);
                    if (p != null && !p.isBlank()) {
                        into.add(p);
                    }
                }
            }
        }
    }

    /**
     * The patients an AuditEvent read from the trail names (its entities), as the information governance pages
     * name them: reading who accessed a record is access to that patient's information, and shows in their "who
     * viewed my record". A record of reading the trail over FHIR passes none on: its patients were named for the
     * events that read returned, so naming them again would make every later read of the trail name them once
     * more, for ever (an officer paging the newest events, or a system collecting the trail, each time finding
     * its own last read), with nobody opening their record.
     */
    private static void namedByTrailEvent(ca.uhn.fhir.parser.IParser parser, StoredResource stored,
                                          Set<String> into) {
        org.hl7.fhir.r4.model.AuditEvent event = parser.parseResource(org.hl7.fhir.r4.model.AuditEvent.class,
                stored.json());
        Set<String> named = new TreeSet<>();
        for (org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            String reference = entity.getWhat().getReference();
            if (reference != null && reference.startsWith("AuditEvent/")) {
                return;
            }
            if (entity.hasQuery() && readsTheTrail(new String(entity.getQuery(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                return;
            }
            String patient = PatientReferences.patientId(reference);
            if (patient != null) {
                named.add(patient);
            }
        }
        into.addAll(named);
    }

    /** Whether a recorded request line ({@code GET /fhir/AuditEvent?agent=...}) is a read of the AuditEvent type. */
    static boolean readsTheTrail(String line) {
        int space = line.indexOf(' ');
        String path = line.substring(space + 1);
        int end = path.length();
        for (char c : new char[] {'?', ' ', '\n'}) {
            int i = path.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        path = path.substring(0, end);
        return path.endsWith("/AuditEvent") || path.contains("/AuditEvent/");
    }

    /** The event for this request's interaction, before its outcome and entities. */
    private AuditEventBuilder interactionEvent() {
        String name = interaction == null ? "unknown" : interaction;
        return switch (name) {
            case "read", "vread" -> base(Direction.TO_CLIENT).subtype(Codes.interaction(name)).action("R");
            case "history-instance", "history-type", "history-system" ->
                    base(Direction.TO_CLIENT).subtype(Codes.interaction(name)).action("R");
            case "search-type", "search-system" ->
                    query(base(Direction.TO_SERVER).subtype(Codes.interaction(name)).action("E"));
            case "create" -> base(Direction.TO_SERVER).subtype(Codes.interaction("create")).action("C");
            case "update", "conditional-update" ->
                    base(Direction.TO_SERVER).subtype(Codes.interaction("update")).action("U");
            case "patch", "conditional-patch" ->
                    base(Direction.TO_SERVER).subtype(Codes.interaction("patch")).action("U");
            case "delete", "conditional-delete" ->
                    base(Direction.DELETE).subtype(Codes.interaction("delete")).action("D");
            case "batch-transaction" -> base(Direction.TO_SERVER)
                    .subtype(Codes.interaction(bundleType == null ? "transaction" : bundleType)).action("E");
            case "operation" -> operationEvent();
            default -> query(base(Direction.TO_SERVER).subtype(Codes.interaction(name)).action("E"));
        };
    }

    private AuditEventBuilder operationEvent() {
        Codes op = new Codes(Codes.CHARNWOOD_SUBTYPE, operation == null ? "unknown" : operation,
                "$" + operation);
        if ("import".equals(operation)) {
            return trail.event(Codes.IMPORT).requester(requester(), Direction.TO_SERVER)
                    .subtype(Codes.interaction("operation")).subtype(op).action("C")
                    .requestId(request.getHeader("X-Request-Id")).breakGlassGrant(grant());
        }
        if ("export".equals(operation) || "export-file".equals(operation)) {
            return trail.event(Codes.EXPORT).requester(requester(), Direction.TO_CLIENT)
                    .subtype(Codes.interaction("operation")).subtype(op).action("R")
                    .requestId(request.getHeader("X-Request-Id")).breakGlassGrant(grant());
        }
        return query(base(Direction.TO_CLIENT).subtype(Codes.interaction("operation")).subtype(op).action("E"));
    }

    private AuditEventBuilder query(AuditEventBuilder b) {
        StringBuilder raw = new StringBuilder(request.getMethod()).append(' ').append(request.getRequestURI());
        String q = request.getQueryString();
        if (q != null) {
            raw.append('?').append(q);
        }
        String contentType = request.getContentType();
        if ("POST".equals(request.getMethod()) && contentType != null
                && contentType.startsWith("application/x-www-form-urlencoded")) {
            // The form body was read as parameters; restore it as text for the record.
            StringBuilder form = new StringBuilder();
            request.getParameterMap().forEach((k, vs) -> {
                if (q == null || !q.contains(k + "=")) {
                    for (String v : vs) {
                        form.append(form.isEmpty() ? "" : "&").append(k).append('=').append(v);
                    }
                }
            });
            raw.append("\n\n").append(form);
        }
        return b.query(raw.toString(), q);
    }

    private AuditEventBuilder base(Direction direction) {
        return trail.event(Codes.REST).requester(requester(), direction)
                .requestId(request.getHeader("X-Request-Id")).breakGlassGrant(grant());
    }

    /** Who made the request: the person signed in, or an anonymous caller from the request's address. */
    Requester requester() {
        return requester != null ? requester : Requester.anonymous(request.getRemoteAddr());
    }

    /**
     * The break-glass grants the access policy says this access relied on (several for a search or bundle that
     * reached more than one patient only through grants), or null for ordinary access. Read when each record is
     * built, since the policy decides after the requester is known.
     */
    private String grant() {
        AccessDecision decision = AccessDecision.of(request);
        if (decision == null || !decision.emergency()) {
            return null;
        }
        // A page reads through many decisions; its record is emergency access only for the patients it read that
        // the person reaches through a grant (a ward board is not emergency access for every bed).
        List<String> grants = page ? decision.emergencyGrantsFor(pagePatients) : decision.emergencyGrantIds();
        return grants.isEmpty() ? null : String.join(",", grants);
    }

    private Codes bundleSubtype() {
        return "batch-transaction".equals(interaction)
                ? Codes.interaction(bundleType == null ? "transaction" : bundleType) : null;
    }

    private static Direction direction(ChangeMethod m) {
        return m == ChangeMethod.DELETE ? Direction.DELETE : Direction.TO_SERVER;
    }

    private static String subtype(ChangeMethod m) {
        return switch (m) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case DELETE -> "delete";
        };
    }

    private static String action(ChangeMethod m) {
        return switch (m) {
            case CREATE -> "C";
            case UPDATE -> "U";
            case DELETE -> "D";
        };
    }

    /** Client errors (refusals included) are minor failures; server errors serious ones. */
    static int outcomeCode(int status) {
        if (status < 400) {
            return 0;
        }
        return status < 500 ? 4 : status == 503 ? 12 : 8;
    }

    private static String describe(int status, OperationOutcome outcome) {
        StringBuilder d = new StringBuilder().append(status);
        if (outcome != null && outcome.hasIssue()) {
            var issue = outcome.getIssueFirstRep();
            if (issue.getDetails().hasCoding()) {
                d.append(' ').append(issue.getDetails().getCodingFirstRep().getCode());
            }
            if (issue.hasDiagnostics()) {
                String text = issue.getDiagnostics();
                d.append(": ").append(text.length() > 300 ? text.substring(0, 300) + "…" : text);
            }
        }
        return d.toString();
    }
}
