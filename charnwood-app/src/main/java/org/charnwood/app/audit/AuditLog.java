package org.charnwood.app.audit;

import org.charnwood.app.audit.store.AuditQuery;
import org.charnwood.app.audit.store.ChainVerifier;
import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.StoredResource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the audit trail: AuditEvent search and read for the FHIR endpoint, the views information
 * governance and patients need (all access to one patient, all access by one user, the break-glass
 * review list), and chain verification. Served from the audit store, never from the clinical store.
 */
public final class AuditLog {

    private final DataSource dataSource;
    private final int defaultCount;
    private final int maxCount;
    private final List<Path> checkpoints;

    /** The AuditEvent search parameters {@link #search} serves, for the CapabilityStatement. */
    public static final List<String> SEARCH_PARAMETERS = AuditQuery.SEARCH_PARAMETERS;

    /** {@code checkpoints}: the file this server publishes each chain's end to (AuditCheckpoints). */
    AuditLog(DataSource dataSource, int defaultCount, int maxCount, Path checkpoints) {
        this.dataSource = dataSource;
        this.defaultCount = defaultCount;
        this.maxCount = maxCount;
        this.checkpoints = List.of(checkpoints);
    }

    /**
     * {@code GET /fhir/AuditEvent?...}: {@code patient}, {@code agent} / {@code who}, {@code date}, {@code type},
     * {@code subtype}, {@code action}, {@code outcome}, {@code purpose}, {@code _count}, {@code _getpagesoffset},
     * and {@code _exclude-self=true} (with {@code patient}: leave out the patient's own accesses).
     */
    public AuditPage search(Map<String, List<String>> parameters) {
        return search(parameters, false);
    }

    /**
     * As {@link #search(Map)}; {@code lenient} ({@code Prefer: handling=lenient}) leaves out parameters it does
     * not serve, with a warning in the page, instead of refusing the search.
     */
    public AuditPage search(Map<String, List<String>> parameters, boolean lenient) {
        return withConnection(c -> page(AuditQuery.search(c, parameters, defaultCount, maxCount, lenient)));
    }

    /**
     * As {@link #search(Map, boolean)}, kept to the events that concern no patient: none named among their
     * entities, none done by a patient or carer (sign-ins, configuration, client registrations, staff accounts).
     */
    public AuditPage searchConcerningNoPatient(Map<String, List<String>> parameters, boolean lenient) {
        return withConnection(c -> page(AuditQuery.search(c, parameters, defaultCount, maxCount, lenient, true)));
    }

    /** {@code GET /fhir/AuditEvent/[id]}. */
    public Optional<StoredResource> read(String id) {
        return read(id, false);
    }

    /** As {@link #read(String)}; nothing when the event concerns a patient ({@link #searchConcerningNoPatient}). */
    public Optional<StoredResource> readConcerningNoPatient(String id) {
        return read(id, true);
    }

    private Optional<StoredResource> read(String id, boolean concerningNoPatient) {
        long seq;
        try {
            seq = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return withConnection(c -> AuditQuery.read(c, seq, concerningNoPatient).map(AuditLog::stored));
    }

    /** Everyone who accessed the patient's record ("who has viewed my record"), optionally without their own. */
    public AuditPage accessToPatient(String patientId, boolean excludePatientsOwn, int count, int offset) {
        Map<String, List<String>> p = paging(count, offset);
        p.put("patient", List.of(patientId));
        if (excludePatientsOwn) {
            p.put(AuditQuery.EXCLUDE_SELF, List.of("true"));
        }
        return search(p);
    }

    /**
     * What people (staff, carers) did with the patient's record, newest first: the patient's own accesses and
     * the work of backend systems left out. The basis of the patient-facing "who has viewed my record" page.
     */
    public AuditPage accessToPatientByOthers(String patientId, int count, int offset) {
        Map<String, List<String>> p = paging(count, offset);
        p.put("patient", List.of(patientId));
        p.put(AuditQuery.EXCLUDE_SELF, List.of("true"));
        p.put(AuditQuery.BY_PEOPLE, List.of("true"));
        return search(p);
    }

    /** The break-glass grants made for the patient (Security Alert events naming them), newest first. */
    public AuditPage breakGlassGrantsFor(String patientId, int count) {
        Map<String, List<String>> p = paging(count, 0);
        p.put("patient", List.of(patientId));
        p.put("subtype", List.of("break-glass"));
        return search(p);
    }

    /** Everything one user (a fhirUser reference such as {@code Practitioner/p1}, or account id) did. */
    public AuditPage accessByUser(String who, int count, int offset) {
        Map<String, List<String>> p = paging(count, offset);
        p.put("agent", List.of(who));
        return search(p);
    }

    /**
     * Accesses made under a break-glass grant (purposeOfEvent BTG), grants included, for information
     * governance review. Review state is kept by the access policy, which owns the grants.
     */
    public AuditPage breakGlassReviewList(int count, int offset) {
        Map<String, List<String>> p = paging(count, offset);
        p.put("purpose", List.of("BTG"));
        return search(p);
    }

    /**
     * Recomputes the whole hash chain and reports the first broken link, or the first checkpoint this server
     * published that is no longer on its chain.
     */
    public ChainVerification verify() {
        return withConnection(c -> ChainVerification.of(ChainVerifier.verify(c, checkpoints)));
    }

    private static Map<String, List<String>> paging(int count, int offset) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("_count", List.of(Integer.toString(count)));
        p.put("_getpagesoffset", List.of(Integer.toString(offset)));
        return p;
    }

    private static AuditPage page(AuditQuery.Page page) {
        return new AuditPage(page.rows().stream().map(AuditLog::stored).toList(), page.hasMore(), page.offset(),
                page.count(), page.total(), page.warnings(), page.upTo());
    }

    private static StoredResource stored(AuditQuery.Row row) {
        return new StoredResource(row.seq(), "AuditEvent", Long.toString(row.seq()), 1, row.recorded().toInstant(),
                ChangeMethod.CREATE, row.json());
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("audit store failure (SQLState " + e.getSQLState() + ")", e);
        } catch (FhirException e) {
            throw e;
        }
    }

    static FhirException readOnly() {
        return FhirException.of(405, ErrorCode.AUDIT_EVENT_READ_ONLY,
                org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN,
                "AuditEvents are written by the server only; they cannot be created, changed or deleted");
    }
}
