package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditEventBuilder;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Searches the audit store with the AuditEvent search parameters it serves: {@code patient}, {@code agent}
 * (and its alias {@code who}), {@code date}, {@code type}, {@code subtype}, {@code action}, {@code outcome},
 * {@code purpose}, plus {@code _count} and {@code _getpagesoffset}. Newest first. Parameters it does not know are
 * refused rather than ignored: an audit query that silently widens is worse than none.
 */
public final class AuditQuery {

    /** One stored AuditEvent. */
    public record Row(long seq, OffsetDateTime recorded, String json) {
    }

    /** A page of results; {@code hasMore} when a next page exists. */
    public record Page(List<Row> rows, boolean hasMore, int offset, int count) {
    }

    /**
     * The AuditEvent search parameters served, as the CapabilityStatement declares them ({@code who}, R5's name for
     * {@code agent}, is taken too but is not an R4 parameter).
     */
    public static final List<String> SEARCH_PARAMETERS = List.of("patient", "agent", "date", "type", "subtype",
            "action", "outcome", "purpose");

    /** The code system of AuditEvent.outcome, and its codes. */
    private static final String OUTCOME_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-event-outcome";
    private static final java.util.Set<String> OUTCOMES = java.util.Set.of("0", "4", "8", "12");

    /** A Charnwood parameter: leave out the patient's own accesses (for "who has viewed my record"). */
    public static final String EXCLUDE_SELF = "_exclude-self";

    /**
     * A Charnwood parameter: only what people did (staff, carers, patients), not the work of backend systems,
     * the server's own start-up loaders, or refused calls without credentials.
     */
    public static final String BY_PEOPLE = "_by-people";

    private AuditQuery() {
    }

    public static Page search(Connection c, Map<String, List<String>> params, int defaultCount, int maxCount)
            throws SQLException {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        String from = " from audit.event e";
        int count = defaultCount;
        int offset = 0;
        String patient = null;
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            String modifierless = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            for (String value : p.getValue()) {
                switch (modifierless) {
                    case "patient" -> {
                        String id = value.startsWith("Patient/") ? value.substring(8) : value;
                        if (patient == null) {
                            patient = id;
                            from = " from audit.event_patient p join audit.event e on e.seq = p.seq";
                            where.append(" and p.patient = ?");
                            args.add(id);
                        } else {
                            where.append(" and exists (select 1 from audit.event_patient q where q.seq = e.seq and q.patient = ?)");
                            args.add(id);
                        }
                    }
                    case "agent", "who" -> anyOf(where, args, "e.who", value);
                    case "type" -> anyOf(where, args, "e.type", value, true);
                    case "subtype" -> anyOf(where, args, "e.subtype", stripSystem(value));
                    case "action" -> anyOf(where, args, "e.action", value);
                    case "outcome" -> {
                        where.append(" and e.outcome = any(?::smallint[])");
                        args.add(outcomes(value));
                    }
                    case "purpose" -> {
                        where.append(" and e.purpose is not null and string_to_array(e.purpose, ' ') && ?::text[]");
                        args.add(java.util.Arrays.stream(value.split(",")).map(AuditQuery::stripSystem).toArray(String[]::new));
                    }
                    case "date" -> date(where, args, value);
                    case "_count" -> count = Math.max(1, Math.min(maxCount, number(name, value)));
                    case "_getpagesoffset" -> offset = Math.max(0, number(name, value));
                    case EXCLUDE_SELF -> {
                        if ("true".equals(value) && patient != null) {
                            where.append(" and e.who <> ?");
                            args.add("Patient/" + patient);
                        }
                    }
                    case BY_PEOPLE -> {
                        if ("true".equals(value)) {
                            // The requester's kind: in the facts, or in an AuditEvent stored before rows held facts.
                            where.append(" and coalesce(lower(e.content::jsonb #>> '{agent,kind}'),"
                                    + " e.content::jsonb #>> '{agent,0,altId}') in ('staff', 'carer', 'patient')");
                        }
                    }
                    case "_format", "_pretty", "_summary", "_elements", "_total" -> {
                        // presentation only
                    }
                    default -> throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                            "AuditEvent cannot be searched by '" + name + "' here; use patient, agent, date, type,"
                                    + " subtype, action, outcome or purpose");
                }
            }
        }
        if (params.containsKey(EXCLUDE_SELF) && patient == null) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, EXCLUDE_SELF + " needs patient");
        }
        String sql = "select e.seq, e.recorded, e.content" + from + where
                + " order by e.seq desc limit ? offset ?";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            for (Object a : args) {
                if (a instanceof String[] array) {
                    st.setArray(i++, c.createArrayOf("text", array));
                } else {
                    st.setObject(i++, a);
                }
            }
            st.setInt(i++, count + 1);
            st.setInt(i, offset);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            boolean more = rows.size() > count;
            return new Page(more ? rows.subList(0, count) : rows, more, offset, count);
        }
    }

    public static java.util.Optional<Row> read(Connection c, long seq) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select seq, recorded, content from audit.event where seq = ?")) {
            st.setLong(1, seq);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next()
                        ? java.util.Optional.of(row(rs))
                        : java.util.Optional.empty();
            }
        }
    }

    /** A row of (seq, recorded, content), its content rendered as the AuditEvent it records. */
    private static Row row(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        return new Row(seq, rs.getObject(2, OffsetDateTime.class), AuditEventBuilder.json(seq, rs.getString(3)));
    }

    private static void anyOf(StringBuilder where, List<Object> args, String column, String value) {
        anyOf(where, args, column, value, false);
    }

    /** Comma means OR, as in FHIR search; a token without a system matches the code in any system. */
    private static void anyOf(StringBuilder where, List<Object> args, String column, String value, boolean token) {
        List<String> exact = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (String v : value.split(",")) {
            if (token && !v.contains("|")) {
                codes.add("%|" + v);
            } else {
                exact.add(v);
            }
        }
        where.append(" and (false");
        if (!exact.isEmpty()) {
            where.append(" or ").append(column).append(" = any(?)");
            args.add(exact.toArray(String[]::new));
        }
        if (!codes.isEmpty()) {
            where.append(" or ").append(column).append(" like any(?)");
            args.add(codes.toArray(String[]::new));
        }
        where.append(")");
    }

    /**
     * The outcome codes of an {@code outcome} value (comma means OR), each bare or as {@code system|code} in the
     * audit-event-outcome system; anything else is refused, as it could never match.
     */
    private static String[] outcomes(String value) {
        List<String> codes = new ArrayList<>();
        for (String v : value.split(",", -1)) {
            int bar = v.indexOf('|');
            String code = bar < 0 ? v : v.substring(bar + 1);
            if (bar >= 0 && !v.substring(0, bar).equals(OUTCOME_SYSTEM) || !OUTCOMES.contains(code)) {
                throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, "outcome is a code of "
                        + OUTCOME_SYSTEM + " (0, 4, 8 or 12), with or without that system, not '" + v + "'");
            }
            codes.add(code);
        }
        return codes.toArray(String[]::new);
    }

    private static String stripSystem(String token) {
        int bar = token.indexOf('|');
        return bar < 0 ? token : token.substring(bar + 1);
    }

    private static void date(StringBuilder where, List<Object> args, String value) {
        String prefix = value.length() > 2 && Character.isLetter(value.charAt(0)) ? value.substring(0, 2) : "eq";
        String v = prefix.equals("eq") && !value.startsWith("eq") ? value : value.substring(2);
        OffsetDateTime start;
        OffsetDateTime end;
        try {
            if (v.length() == 10) {
                start = LocalDate.parse(v).atStartOfDay().atOffset(ZoneOffset.UTC);
                end = start.plusDays(1);
            } else if (v.length() == 7) {
                start = LocalDate.parse(v + "-01").atStartOfDay().atOffset(ZoneOffset.UTC);
                end = start.plusMonths(1);
            } else if (v.length() == 4) {
                start = LocalDate.parse(v + "-01-01").atStartOfDay().atOffset(ZoneOffset.UTC);
                end = start.plusYears(1);
            } else {
                start = OffsetDateTime.parse(v);
                end = start.plusNanos(1_000_000);
            }
        } catch (DateTimeParseException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    "date must be a date or an instant such as 2026-11-25T10:00:00Z, not '" + value + "'");
        }
        switch (prefix) {
            case "eq" -> {
                where.append(" and e.recorded >= ? and e.recorded < ?");
                args.add(start);
                args.add(end);
            }
            case "ge" -> { where.append(" and e.recorded >= ?"); args.add(start); }
            case "gt" -> { where.append(" and e.recorded >= ?"); args.add(end); }
            case "le" -> { where.append(" and e.recorded < ?"); args.add(end); }
            case "lt" -> { where.append(" and e.recorded < ?"); args.add(start); }
            default -> throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    "date supports the prefixes eq, ge, gt, le and lt, not '" + prefix + "'");
        }
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, name + " must be a whole number");
        }
    }
}
