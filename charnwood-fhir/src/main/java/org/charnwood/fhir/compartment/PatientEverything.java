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

    private final List<String> memberTypes = new ArrayList<>();
    private final List<String> memberParams = new ArrayList<>();

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
        }
    }

    /**
     * @param patientId the patient
     * @param since     only resources changed at or after this instant; null for all
     * @param types     only these resource types; null or empty for all
     * @param count     page size; 0 finds nothing, as a search's {@code _count=0} does
     * @param offset    page offset
     */
    public record Request(String patientId, Instant since, Set<String> types, int count, int offset) {
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
                 order by (r.res_type = 'Patient' and r.res_id = ?) desc, r.res_pk
                 limit ? offset ?""".formatted(access == null ? "true" : access.sql());
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
            int next = access == null ? 8 : access.bind(c, ps, 8);
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
}
