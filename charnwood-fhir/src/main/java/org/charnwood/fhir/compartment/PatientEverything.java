package org.charnwood.fhir.compartment;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Patient/[id]/$everything}: the patient and every current resource in their compartment,
 * found in one query over the reference index (no per-type searches), oldest first so that pages
 * are stable while new data arrives.
 */
public final class PatientEverything {

    /**
     * The search parameter holding when the care a resource records happened, where a type's {@code date}
     * parameter is not it or it has none; types with neither have no care date and are always in range.
     */
    private static final Map<String, String> CARE_DATE = Map.ofEntries(
            Map.entry("Condition", "onset-date"),
            Map.entry("MedicationRequest", "authoredon"),
            Map.entry("MedicationAdministration", "effective-time"),
            Map.entry("MedicationStatement", "effective"),
            Map.entry("MedicationDispense", "whenhandedover"),
            Map.entry("ServiceRequest", "authored"),
            Map.entry("QuestionnaireResponse", "authored"),
            Map.entry("Communication", "sent"),
            Map.entry("CommunicationRequest", "authored"),
            Map.entry("DocumentReference", "period"),
            Map.entry("Goal", "start-date"),
            Map.entry("Task", "authored-on"),
            Map.entry("DeviceRequest", "authored-on"),
            Map.entry("NutritionOrder", "datetime"),
            Map.entry("Claim", "created"),
            Map.entry("ExplanationOfBenefit", "created"),
            Map.entry("Specimen", "collected"));

    private final List<String> memberTypes = new ArrayList<>();
    private final List<String> memberParams = new ArrayList<>();
    private final List<String> careDateTypes = new ArrayList<>();
    private final List<String> careDateParams = new ArrayList<>();

    /**
     * @param registry the search parameters in force: a compartment parameter that the registry
     *                 derives from others (Condition's {@code patient} is {@code subject} restricted
     *                 to Patient) is looked up under the parameters that really hold its rows
     */
    public PatientEverything(org.charnwood.fhir.search.SearchParameterRegistry registry) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> e : PatientCompartment.get().membership().entrySet()) {
            for (String p : e.getValue()) {
                List<String> stored = registry.find(e.getKey(), p)
                        .map(d -> d.derivation() == null ? List.of(p) : d.derivation().params())
                        .orElse(List.of(p));
                for (String s : stored) {
                    if (seen.add(e.getKey() + "|" + s)) {
                        memberTypes.add(e.getKey());
                        memberParams.add(s);
                    }
                }
            }
            String type = e.getKey();
            String careDate = CARE_DATE.getOrDefault(type, "date");
            registry.find(type, careDate).ifPresent(d -> {
                for (String s : d.derivation() == null ? List.of(careDate) : d.derivation().params()) {
                    careDateTypes.add(type);
                    careDateParams.add(s);
                }
            });
        }
    }

    /**
     * @param patientId the patient
     * @param since     only resources changed at or after this instant; null for all
     * @param types     only these resource types; null or empty for all
     * @param count     page size; 0 finds nothing, as a search's {@code _count=0} does
     * @param offset    page offset
     * @param careFrom  the operation's {@code start}: only resources whose care date (when the care they record
     *                  happened, not when they were stored) ends at or after this instant; null for no bound. A
     *                  resource with no care date is always included: nothing says it is out of range.
     * @param careTo    the operation's {@code end}: only resources whose care date begins at or before it
     * @param after     the key of the last resource on the page before, the patient's own left out (0 when that
     *                  page held the patient alone): this page holds the record's resources after it, without the
     *                  patient; null to page by offset from the start. A page placed so is not moved by resources
     *                  of earlier pages that are deleted or leave the caller's view meanwhile, as an offset is.
     */
    public record Request(String patientId, Instant since, Set<String> types, int count, int offset,
                          Instant careFrom, Instant careTo, Long after) {

        /** Every care date. */
        public Request(String patientId, Instant since, Set<String> types, int count, int offset) {
            this(patientId, since, types, count, offset, null, null);
        }

        /** From the start, or {@code offset} resources in. */
        public Request(String patientId, Instant since, Set<String> types, int count, int offset,
                       Instant careFrom, Instant careTo) {
            this(patientId, since, types, count, offset, careFrom, careTo, null);
        }
    }

    /** A page: keys of resources in order, and whether another page follows. */
    public record Page(List<Long> keys, boolean hasMore) {
    }

    public Page find(Connection c, Request request) throws SQLException {
        return find(c, request, null);
    }

    /**
     * A page of the record holding only what {@code access} (a condition on the resource row {@code r}) lets
     * the caller see; null for everything.
     */
    public Page find(Connection c, Request request, org.charnwood.fhir.search.AccessFilter.Fragment access)
            throws SQLException {
        if (request.count() == 0) {
            // As a search with _count=0: no entries, and so no next page to go to.
            return new Page(List.of(), false);
        }
        List<String> types = new ArrayList<>();
        List<String> params = new ArrayList<>();
        for (int i = 0; i < memberTypes.size(); i++) {
            if (request.types() == null || request.types().isEmpty() || request.types().contains(memberTypes.get(i))) {
                types.add(memberTypes.get(i));
                params.add(memberParams.get(i));
            }
        }
        boolean includePatient = request.types() == null || request.types().isEmpty()
                || request.types().contains("Patient");
        String sql = """
                select r.res_pk from fhir_resource r
                 where not r.deleted and (r.last_updated >= ? or ?::timestamptz is null)
                   and ((? and r.res_type = 'Patient' and r.res_id = ?)
                        or r.res_pk in (select x.res_pk from idx_reference x
                                         join unnest(?::text[], ?::text[]) as m(t, p)
                                           on x.res_type = m.t and x.param = m.p
                                        where x.target_type = 'Patient' and x.target_id = ?))
                   and %s
                   and %s
                   and (?::bigint is null or (r.res_pk > ? and not (r.res_type = 'Patient' and r.res_id = ?)))
                 order by (r.res_type = 'Patient' and r.res_id = ?) desc, r.res_pk
                 limit ? offset ?""".formatted(careDates(request), access == null ? "true" : access.sql());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Timestamp since = request.since() == null ? null : Timestamp.from(request.since());
            Array typeArray = c.createArrayOf("text", types.toArray());
            Array paramArray = c.createArrayOf("text", params.toArray());
            ps.setTimestamp(1, since);
            ps.setTimestamp(2, since);
            ps.setBoolean(3, includePatient);
            ps.setString(4, request.patientId());
            ps.setArray(5, typeArray);
            ps.setArray(6, paramArray);
            ps.setString(7, request.patientId());
            int next = 8;
            if (careDated(request)) {
                // Both arrays twice: once for "has a care date", once for "it is in range".
                Array dateTypes = c.createArrayOf("text", careDateTypes.toArray());
                Array dateParams = c.createArrayOf("text", careDateParams.toArray());
                ps.setArray(next++, dateTypes);
                ps.setArray(next++, dateParams);
                ps.setArray(next++, dateTypes);
                ps.setArray(next++, dateParams);
                ps.setTimestamp(next++, request.careTo() == null ? null : Timestamp.from(request.careTo()));
                ps.setTimestamp(next++, request.careFrom() == null ? null : Timestamp.from(request.careFrom()));
            }
            next = access == null ? next : access.bind(c, ps, next);
            ps.setObject(next++, request.after(), java.sql.Types.BIGINT);
            ps.setObject(next++, request.after(), java.sql.Types.BIGINT);
            ps.setString(next++, request.patientId());
            ps.setString(next, request.patientId());
            ps.setInt(next + 1, request.count() + 1);
            ps.setInt(next + 2, request.offset());
            List<Long> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
            boolean more = keys.size() > request.count();
            return new Page(more ? keys.subList(0, request.count()) : keys, more);
        }
    }

    private static boolean careDated(Request request) {
        return request.careFrom() != null || request.careTo() != null;
    }

    /** The care-date condition on {@code r}: a resource without a care date, or one whose care date overlaps. */
    private String careDates(Request request) {
        if (!careDated(request)) {
            return "true";
        }
        return """
                (r.res_type = 'Patient'
                 or not exists (select 1 from idx_date d join unnest(?::text[], ?::text[]) as m(t, p)
                                  on d.res_type = m.t and d.param = m.p where d.res_pk = r.res_pk)
                 or exists (select 1 from idx_date d join unnest(?::text[], ?::text[]) as m(t, p)
                              on d.res_type = m.t and d.param = m.p
                             where d.res_pk = r.res_pk
                               and d.lo <= coalesce(?::timestamptz, 'infinity')
                               and d.hi >= coalesce(?::timestamptz, '-infinity')))""";
    }

    /**
     * How many steps of references are followed out of the record: the record refers to a practitioner role, the
     * role to its practitioner and location, the location to its organisation. Bounded so that a chain of
     * organisations ({@code partOf}) cannot pull in a directory.
     */
    static final int REFERENCE_STEPS = 3;

    /**
     * Keys of the current resources that the resources {@code keys} refer to (through their indexed references),
     * and those these refer to in turn (up to {@link #REFERENCE_STEPS} steps), that are not part of this patient's
     * record: the practitioners, organisations, locations, medications, care teams and the like that the record
     * needs to be read. The operation's definition asks for them. What is in a patient's compartment is not: this
     * patient's comes as a match on its own page, another patient's (and another patient) is no part of this
     * record, although a resource of a type that can be in a compartment but is in none (a care team with no
     * subject) is. Only the request's {@code _type}s when it names any (references are still followed through the
     * others), and only what {@code access} lets the caller see; in key order.
     */
    public List<Long> referenced(Connection c, Request request, List<Long> keys,
                                 org.charnwood.fhir.search.AccessFilter.Fragment access) throws SQLException {
        java.util.Set<Long> seen = new java.util.HashSet<>(keys);
        java.util.TreeSet<Long> found = new java.util.TreeSet<>();
        List<Long> from = keys;
        for (int step = 0; step < REFERENCE_STEPS && !from.isEmpty(); step++) {
            List<Long> next = new ArrayList<>();
            for (long key : referencedBy(c, from, access)) {
                if (seen.add(key)) {
                    next.add(key);
                    found.add(key);
                }
            }
            from = next;
        }
        if (found.isEmpty() || request.types() == null || request.types().isEmpty()) {
            return new ArrayList<>(found);
        }
        return onlyTypes(c, found, request.types());
    }

    /**
     * The visible current resources in no patient's record (no patient, and nothing in a patient's compartment) that
     * the resources {@code keys} refer to.
     */
    private List<Long> referencedBy(Connection c, List<Long> keys,
                                    org.charnwood.fhir.search.AccessFilter.Fragment access) throws SQLException {
        String sql = """
                select r.res_pk from fhir_resource r
                 where (r.res_type, r.res_id) in (select x.target_type, x.target_id from idx_reference x
                                                   where x.res_pk = any(?))
                   and not r.deleted
                   and r.res_type <> 'Patient'
                   and not exists (select 1 from idx_reference y join unnest(?::text[], ?::text[]) as m(t, p)
                                     on y.res_type = m.t and y.param = m.p
                                    where y.res_pk = r.res_pk and y.target_type = 'Patient')
                   and %s
                 order by r.res_pk""".formatted(access == null ? "true" : access.sql());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", keys.toArray()));
            ps.setArray(2, c.createArrayOf("text", memberTypes.toArray()));
            ps.setArray(3, c.createArrayOf("text", memberParams.toArray()));
            if (access != null) {
                access.bind(c, ps, 4);
            }
            return keys(ps);
        }
    }

    private static List<Long> onlyTypes(Connection c, java.util.Collection<Long> keys, Set<String> types)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select res_pk from fhir_resource where res_pk = any(?) and res_type = any(?::text[]) order by res_pk")) {
            ps.setArray(1, c.createArrayOf("bigint", keys.toArray()));
            ps.setArray(2, c.createArrayOf("text", types.toArray()));
            return keys(ps);
        }
    }

    private static List<Long> keys(PreparedStatement ps) throws SQLException {
        List<Long> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        }
        return found;
    }
}
