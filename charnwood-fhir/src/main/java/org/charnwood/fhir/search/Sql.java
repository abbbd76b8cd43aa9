package org.charnwood.fhir.search;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text with its bind values, built up by the search criteria. Values from the request are
 * always bound; only names that come from the registry (resource types, parameter codes) are
 * written as literals, so that the planner sees them and can use the partial and expression indexes.
 */
final class Sql {

    private final StringBuilder text = new StringBuilder(256);
    private final List<Object> binds = new ArrayList<>();
    private int aliases;
    private AccessFilter accessFilter;
    private AccessScope accessScope;

    /** A text array bind. */
    record TextArray(String[] values) {
    }

    /** A bigint array bind. */
    record KeyArray(Long[] values) {
    }

    Sql add(String s) {
        text.append(s);
        return this;
    }

    Sql bind(Object value) {
        text.append('?');
        binds.add(value);
        return this;
    }

    /** A quoted literal for a registry name; anything outside a safe alphabet is refused. */
    Sql literal(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '$')) {
                throw new IllegalArgumentException("not a registry name: " + name);
            }
        }
        text.append('\'').append(name).append('\'');
        return this;
    }

    /**
     * Makes conditions that look at other resources (chains, {@code _has}) see only what the scope lets the
     * caller see, so a search cannot test hidden resources.
     */
    Sql restrictedTo(AccessFilter filter, AccessScope scope) {
        boolean restricted = filter != null && scope != null && !scope.unrestricted();
        this.accessFilter = restricted ? filter : null;
        this.accessScope = restricted ? scope : null;
        return this;
    }

    /** {@code and <the access condition on the row>} when restricted; nothing otherwise. */
    Sql andVisible(String resource) {
        if (accessFilter != null) {
            AccessFilter filter = accessFilter;
            AccessScope scope = accessScope;
            // The scope's own search restrictions may chain too: they are not restricted again.
            accessFilter = null;
            accessScope = null;
            add(" and ");
            filter.appendTo(this, scope, resource);
            accessFilter = filter;
            accessScope = scope;
        }
        return this;
    }

    /** A fresh table alias, so nested subqueries never shadow one another. */
    String alias(String prefix) {
        return prefix + (++aliases);
    }

    String text() {
        return text.toString();
    }

    List<Object> binds() {
        return binds;
    }

    /**
     * Prepares the statement and binds the values. Search statements are planned with their actual
     * values every time (no generic plans): value distributions in the index tables are skewed, and
     * a prefix LIKE can only use its index when the pattern is known.
     */
    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(text.toString());
        try {
            if (ps.isWrapperFor(org.postgresql.PGStatement.class)) {
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            }
            bindAll(c, ps, binds, 1);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** Binds the values from parameter index {@code first}; returns the next free index. */
    static int bindAll(Connection c, PreparedStatement ps, List<Object> values, int first) throws SQLException {
        int at = first;
        for (Object v : values) {
            switch (v) {
                case String s -> ps.setString(at, s);
                case Long l -> ps.setLong(at, l);
                case Integer n -> ps.setInt(at, n);
                case BigDecimal d -> ps.setBigDecimal(at, d);
                case Instant t -> ps.setObject(at, t.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                case TextArray a -> ps.setArray(at, c.createArrayOf("text", a.values()));
                case KeyArray a -> ps.setArray(at, c.createArrayOf("bigint", a.values()));
                default -> throw new IllegalArgumentException("cannot bind " + v.getClass());
            }
            at++;
        }
        return at;
    }

    @Override
    public String toString() {
        return text + " " + binds;
    }
}
