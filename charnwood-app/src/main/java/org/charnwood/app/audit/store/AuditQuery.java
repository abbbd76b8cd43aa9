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
 * {@code purpose}, {@code _id} and {@code _lastUpdated}, plus {@code _count}, {@code _getpagesoffset} and {@link #UP_TO}. Newest first. Parameters it does not know are
 * refused rather than ignored: an audit query that silently widens is worse than none.
 */
public final class AuditQuery {

    /** One stored AuditEvent. */
    public record Row(long seq, OffsetDateTime recorded, String json) {
    }

    /**
     * A page of results; {@code hasMore} when a next page exists; {@code total} when asked for (else null);
     * {@code warnings} about parameters left out under lenient handling.
     */
    public record Page(List<Row> rows, boolean hasMore, int offset, int count, Integer total, List<String> warnings,
                       Long upTo) {
    }

    /**
     * A Charnwood paging parameter: only events up to and including this place in the chain. The first page of a
     * search fixes it at its newest event and its paging links carry it, so that the events recorded while a
     * reader pages (their own searches among them) do not push the pages' offsets along and repeat entries.
     */
    public static final String UP_TO = "_upto";

    /**
     * The AuditEvent search parameters served, as the CapabilityStatement declares them ({@code who}, R5's name for
     * {@code agent}, is taken too but is not an R4 parameter).
     */
    public static final List<String> SEARCH_PARAMETERS = List.of("patient", "agent", "date", "entity", "type",
            "subtype", "action", "outcome", "purpose");

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

    /**
     * The event numbers an {@code _id} value names (comma for OR). An id that is no event number names no event,
     * as an unknown id finds nothing on any other type.
     */
    private static Long[] ids(String value) {
        List<Long> seqs = new ArrayList<>();
        for (String id : value.split(",")) {
            try {
                seqs.add(Long.parseLong(id.trim()));
            } catch (NumberFormatException notAnEvent) {
                // matches nothing
            }
        }
        return seqs.toArray(Long[]::new);
    }

    /**
     * The references of the resources an event names, as stored: in its facts, or for an AuditEvent stored before
     * rows held facts, its entities' {@code what} references (Patients among them, which are in the index anyway).
     */
    private static final String STORED_RESOURCES = "case when jsonb_typeof(e.content::jsonb -> 'resources') = 'array'"
            + " then e.content::jsonb -> 'resources'"
            + " when jsonb_typeof(e.content::jsonb -> 'entity') = 'array'"
            + " then jsonb_path_query_array(e.content::jsonb, '$.entity[*].what.reference') else '[]'::jsonb end";

    /** For {@code :missing}: the condition an event meets when it has a value for each search parameter. */
    private static final Map<String, String> PRESENT = Map.of(
            "patient", "exists (select 1 from audit.event_patient m where m.seq = e.seq)",
            "agent", "e.who is not null",
            "who", "e.who is not null",
            "date", "e.recorded is not null",
            "entity", "(exists (select 1 from audit.event_patient m where m.seq = e.seq)"
                    + " or jsonb_array_length(" + STORED_RESOURCES + ") > 0)",
            "type", "e.type is not null",
            "subtype", "e.subtype is not null",
            "action", "e.action is not null",
            "outcome", "e.outcome is not null",
            "purpose", "e.purpose is not null");

    /** As {@link #search(Connection, Map, int, int, boolean)}, refusing what it cannot serve. */
    public static Page search(Connection c, Map<String, List<String>> params, int defaultCount, int maxCount)
            throws SQLException {
        return search(c, params, defaultCount, maxCount, false);
    }

    /**
     * One page of the events matching {@code params}. A parameter or modifier it does not serve is refused with
     * 400, or, when {@code lenient} ({@code Prefer: handling=lenient}), left out with a warning in the page.
     * {@code _count=0} and {@code _summary=count} give no events but the total; {@code _total=accurate} the total
     * with the events.
     */
    public static Page search(Connection c, Map<String, List<String>> params, int defaultCount, int maxCount,
                              boolean lenient) throws SQLException {
        return search(c, params, defaultCount, maxCount, lenient, false);
    }

    /**
     * The condition an event meets when it concerns no patient: it names none among its entities, and no patient
     * or carer did it (their sign-ins and sign-outs say when a person used their record).
     */
    static final String CONCERNS_NO_PATIENT = "not exists (select 1 from audit.event_patient n where n.seq = e.seq)"
            + " and coalesce(e.who, '') !~ '^(Patient|RelatedPerson)/'";

    /**
     * As {@link #search(Connection, Map, int, int, boolean)}; {@code concerningNoPatient} keeps to the events that
     * {@link #CONCERNS_NO_PATIENT}, whatever the parameters ask for (totals included).
     */
    public static Page search(Connection c, Map<String, List<String>> params, int defaultCount, int maxCount,
                              boolean lenient, boolean concerningNoPatient) throws SQLException {
        StringBuilder where = new StringBuilder(concerningNoPatient ? " where " + CONCERNS_NO_PATIENT : " where true");
        List<Object> args = new ArrayList<>();
        String from = " from audit.event e";
        int count = defaultCount;
        int offset = 0;
        Long upTo = null;
        boolean totalWanted = false;
        boolean summaryCount = false;
        List<String> patients = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            int colon = name.indexOf(':');
            String modifierless = colon < 0 ? name : name.substring(0, colon);
            if (colon >= 0 && name.equals("patient:Patient")) {
                // The type modifier a reference parameter takes: patient refers to Patients only anyway.
                modifierless = "patient";
            } else if (name.endsWith(":missing") && PRESENT.containsKey(modifierless)) {
                for (String value : p.getValue()) {
                    switch (value) {
                        case "true" -> where.append(" and not (").append(PRESENT.get(modifierless)).append(')');
                        case "false" -> where.append(" and ").append(PRESENT.get(modifierless));
                        default -> {
                            String refusal = "Invalid search parameter '" + name + "': ':missing' takes true or"
                                    + " false, not '" + value + "'";
                            if (!lenient) {
                                throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, refusal);
                            }
                            warnings.add(refusal + "; the parameter was ignored");
                        }
                    }
                }
                continue;
            } else if (colon >= 0) {
                // No other modifier is served: read as its plain parameter, agent:identifier would match account ids.
                String refusal = "AuditEvent cannot be searched with the modifier '" + name.substring(colon)
                        + "' on " + modifierless + " here";
                if (!lenient) {
                    throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, refusal);
                }
                warnings.add(refusal + "; the parameter was ignored");
                continue;
            }
            for (String value : p.getValue()) {
                switch (modifierless) {
                    case "patient" -> {
                        List<String> ids = new ArrayList<>();
                        for (String v : value.split(",")) {
                            ids.add(v.startsWith("Patient/") ? v.substring(8) : v);
                        }
                        if (patients.isEmpty() && ids.size() == 1) {
                            from = " from audit.event_patient p join audit.event e on e.seq = p.seq";
                            where.append(" and p.patient = ?");
                            args.add(ids.get(0));
                        } else {
                            // Comma means OR: any of these patients (each event once, however many it names).
                            where.append(" and exists (select 1 from audit.event_patient q where q.seq = e.seq"
                                    + " and q.patient = any(?))");
                            args.add(ids.toArray(String[]::new));
                        }
                        patients.addAll(ids);
                    }
                    case "agent", "who" -> anyOf(where, args, "e.who", value);
                    case "entity" -> entities(where, args, value);
                    case "type" -> anyOf(where, args, "e.type", value, true);
                    case "subtype" -> subtypes(where, args, value);
                    case "action" -> anyOf(where, args, "e.action", value);
                    case "outcome" -> {
                        where.append(" and e.outcome = any(?::smallint[])");
                        args.add(outcomes(value));
                    }
                    case "purpose" -> {
                        where.append(" and e.purpose is not null and string_to_array(e.purpose, ' ') && ?::text[]");
                        args.add(java.util.Arrays.stream(value.split(",")).map(AuditQuery::stripSystem).toArray(String[]::new));
                    }
                    // An event is never changed once recorded, so its last update is when it was recorded.
                    case "date", "_lastUpdated" -> date(where, args, value);
                    case "_id" -> {
                        where.append(" and e.seq = any(?::bigint[])");
                        args.add(ids(value));
                    }
                    case "_count" -> {
                        int asked = number(name, value);
                        if (asked < 0) {
                            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                                    "_count must be 0 or more, not " + value);
                        }
                        count = Math.min(maxCount, asked);
                    }
                    case "_getpagesoffset" -> offset = Math.max(0, number(name, value));
                    case UP_TO -> {
                        try {
                            upTo = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                                    name + " must be a whole number");
                        }
                        where.append(" and e.seq <= ?");
                        args.add(upTo);
                    }
                    case "_summary" -> {
                        switch (value) {
                            case "count" -> summaryCount = true;
                            case "false" -> {
                            }
                            default -> refuseOrWarn(lenient, warnings, "_summary=" + value
                                    + " is not served for AuditEvent; use _summary=count or leave it out");
                        }
                    }
                    case "_total" -> {
                        switch (value) {
                            case "accurate", "estimate" -> totalWanted = true;
                            case "none" -> {
                            }
                            default -> throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                                    "_total is none, estimate or accurate, not '" + value + "'");
                        }
                    }
                    case EXCLUDE_SELF -> {
                        if ("true".equals(value) && !patients.isEmpty()) {
                            where.append(" and e.who <> all(?)");
                            args.add(patients.stream().map(id -> "Patient/" + id).toArray(String[]::new));
                        }
                    }
                    case BY_PEOPLE -> {
                        if ("true".equals(value)) {
                            // The requester's kind: in the facts, or in an AuditEvent stored before rows held facts.
                            where.append(" and coalesce(lower(e.content::jsonb #>> '{agent,kind}'),"
                                    + " e.content::jsonb #>> '{agent,0,altId}') in ('staff', 'carer', 'patient')");
                        }
                    }
                    case "_format", "_pretty" -> {
                        // presentation only
                    }
                    default -> refuseOrWarn(lenient, warnings, "AuditEvent cannot be searched by '" + name
                            + "' here; use patient, agent, date, entity, type, subtype, action, outcome, purpose, _id"
                            + " or _lastUpdated");
                }
            }
        }
        if (params.containsKey(EXCLUDE_SELF) && patients.isEmpty()) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, EXCLUDE_SELF + " needs patient");
        }
        if (summaryCount) {
            count = 0;
        }
        Integer total = count == 0 || totalWanted ? total(c, from, where, args) : null;
        if (count == 0) {
            return new Page(List.of(), false, offset, 0, total, List.copyOf(warnings), upTo);
        }
        String sql = "select e.seq, e.recorded, e.content" + from + where
                + " order by e.seq desc limit ? offset ?";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int i = bind(c, st, args);
            st.setInt(i++, count + 1);
            st.setInt(i, offset);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            boolean more = rows.size() > count;
            if (upTo == null && !rows.isEmpty()) {
                // Newest first: the first event read is the newest the following pages may show.
                upTo = offset == 0 ? rows.get(0).seq() : null;
            }
            return new Page(more ? rows.subList(0, count) : rows, more, offset, count, total, List.copyOf(warnings),
                    upTo);
        }
    }

    private static void refuseOrWarn(boolean lenient, List<String> warnings, String message) {
        if (!lenient) {
            throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER, message);
        }
        warnings.add(message + " (ignored)");
    }

    private static Integer total(Connection c, String from, StringBuilder where, List<Object> args)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select count(*)" + from + where)) {
            bind(c, st, args);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return (int) Math.min(Integer.MAX_VALUE, rs.getLong(1));
            }
        }
    }

    /** Binds the arguments in order; answers the next parameter index. */
    private static int bind(Connection c, PreparedStatement st, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            if (a instanceof String[] array) {
                st.setArray(i++, c.createArrayOf("text", array));
            } else {
                st.setObject(i++, a);
            }
        }
        return i;
    }

    /**
     * {@code subtype}: comma means OR; a bare code matches it in any system, {@code system|code} only in that
     * system. An event may have several subtypes (an operation and which one, {@code operation} and
     * {@code everything}; a bundle's entry and its bundle, {@code create} and {@code transaction}) and matches on any
     * of them, as a token search does. The stored column holds the first subtype's code, which answers most searches
     * from the row; the others (and every subtype's system) are in the event's facts, or in the AuditEvent stored
     * before rows held facts, whose subtypes are objects rather than {@code [system, code, display]}.
     */
    private static void subtypes(StringBuilder where, List<Object> args, String value) {
        where.append(" and (false");
        for (String v : value.split(",")) {
            int bar = v.indexOf('|');
            if (bar < 0) {
                where.append(" or e.subtype = ? or exists (select 1 from jsonb_array_elements(")
                        .append(STORED_SUBTYPES).append(") s where coalesce(s ->> 1, s ->> 'code') = ?)");
                args.add(v);
                args.add(v);
            } else {
                where.append(" or exists (select 1 from jsonb_array_elements(").append(STORED_SUBTYPES)
                        .append(") s where coalesce(s ->> 1, s ->> 'code') = ?")
                        .append(" and coalesce(s ->> 0, s ->> 'system') = ?)");
                args.add(v.substring(bar + 1));
                args.add(v.substring(0, bar));
            }
        }
        where.append(")");
    }

    /**
     * {@code entity} (a reference to what the event was about, AuditEvent.entity.what): comma means OR. A Patient is
     * found through the patient index, as {@code patient} finds them; any other resource among the resources the
     * event names, version-specific there ({@code Observation/1} matches {@code Observation/1/_history/2}) and
     * relative, so a value with the server's base or a version is taken as the resource it names.
     */
    private static void entities(StringBuilder where, List<Object> args, String value) {
        where.append(" and (false");
        for (String v : value.split(",")) {
            int fhir = v.indexOf("/fhir/");
            String reference = fhir >= 0 ? v.substring(fhir + "/fhir/".length()) : v;
            int history = reference.indexOf("/_history/");
            String resource = history >= 0 ? reference.substring(0, history) : reference;
            if (resource.startsWith("Patient/")) {
                where.append(" or exists (select 1 from audit.event_patient q where q.seq = e.seq and q.patient = ?)");
                args.add(resource.substring("Patient/".length()));
            }
            where.append(" or exists (select 1 from jsonb_array_elements_text(").append(STORED_RESOURCES)
                    .append(") r where r = ? or r like ? escape '\\')");
            args.add(reference);
            args.add(history >= 0 ? likeLiteral(reference) : likeLiteral(resource) + "/\\_history/%");
        }
        where.append(")");
    }

    /** {@code text} as a LIKE pattern that matches it alone. */
    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** An event's subtypes as stored: a JSON array, empty when it has none. */
    private static final String STORED_SUBTYPES = "case when jsonb_typeof(e.content::jsonb -> 'subtype') = 'array'"
            + " then e.content::jsonb -> 'subtype' else '[]'::jsonb end";

    public static java.util.Optional<Row> read(Connection c, long seq) throws SQLException {
        return read(c, seq, false);
    }

    /** As {@link #read(Connection, long)}; {@code concerningNoPatient}: nothing unless it {@link #CONCERNS_NO_PATIENT}. */
    public static java.util.Optional<Row> read(Connection c, long seq, boolean concerningNoPatient)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select seq, recorded, content from audit.event e where seq = ?"
                + (concerningNoPatient ? " and " + CONCERNS_NO_PATIENT : ""))) {
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
