package org.charnwood.fhir.search;

import org.charnwood.fhir.search.SearchParameterDefinition.Component;
import org.charnwood.fhir.search.SearchPrefix.Prefixed;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one search value (one comma alternative, still escaped) of each parameter type into the
 * condition an index row must meet, following the matching rules of the FHIR R4 search page.
 * Malformed values raise {@link IllegalArgumentException} with a message for the client.
 */
final class ValueConditions {

    private final ServerBase serverBase;
    private final Instant now;

    ValueConditions(ServerBase serverBase, Instant now) {
        this.serverBase = serverBase;
        this.now = now;
    }

    ValueCondition forType(SearchParamType type, String raw, String modifier, SearchParameterDefinition def) {
        return switch (type) {
            case STRING -> Phonetic.is(def) ? phonetic(raw, modifier) : string(raw, modifier);
            case TOKEN -> token(raw, modifier);
            case DATE -> date(raw);
            case NUMBER -> number(raw);
            case QUANTITY -> quantity(raw);
            case REFERENCE -> reference(raw, modifier);
            case URI -> uri(raw, modifier);
            case COMPOSITE -> composite(def, raw);
            case SPECIAL -> throw new IllegalArgumentException("special parameters are not supported");
        };
    }

    // ---- string: starts with, case and accent insensitive; :exact; :contains ----------------------

    /**
     * A row's {@code value_norm} holds the normalised value cut to {@link SearchText#MAX_INDEXED} characters (its
     * index must stay small), and {@code value_long} the whole of it when it was cut, else null. A search value
     * that fits is matched as a prefix of the cut value, which answers the same as of the whole; a longer one must
     * equal the cut value (the index finds those rows) and be a prefix of the whole. {@code :contains} looks in the
     * whole value, and {@code :exact} compares the value as written, which the row keeps whole.
     */
    ValueCondition string(String raw, String modifier) {
        String value = ValueSyntax.unescape(raw);
        String whole = SearchText.whole(value);
        String norm = SearchText.truncate(whole, SearchText.MAX_INDEXED);
        boolean cut = SearchText.beyondIndexed(whole) != null;
        if (modifier == null) {
            if (cut) {
                String pattern = ValueSyntax.likeLiteral(whole) + "%";
                return (sql, c) -> sql.add(c.get("value_norm") + " = ").bind(norm)
                        .add(" and " + c.get("value_long") + " like ").bind(pattern);
            }
            String pattern = ValueSyntax.likeLiteral(norm) + "%";
            return (sql, c) -> sql.add(c.get("value_norm") + " like ").bind(pattern);
        }
        return switch (modifier) {
            case "exact" -> (sql, c) -> sql.add(c.get("value_norm") + " = ").bind(norm)
                    .add(" and " + c.get("value_exact") + " = ").bind(value);
            case "contains" -> {
                String pattern = "%" + ValueSyntax.likeLiteral(whole) + "%";
                yield (sql, c) -> sql.add("coalesce(" + c.get("value_long") + ", " + c.get("value_norm") + ") like ")
                        .bind(pattern);
            }
            default -> throw unsupportedModifier(modifier, "string");
        };
    }

    /** {@code phonetic}: the names that sound like the value ({@link Phonetic}); no modifier but :missing. */
    ValueCondition phonetic(String raw, String modifier) {
        if (modifier != null) {
            throw unsupportedModifier(modifier, "phonetic");
        }
        String code = Phonetic.searchCode(ValueSyntax.unescape(raw));
        return (sql, c) -> sql.add(c.get("value_norm") + " = ").bind(code);
    }

    // ---- token: [system]|[code], :text, :of-type (:not is applied by the caller) ----------------

    ValueCondition token(String raw, String modifier) {
        if ("text".equals(modifier)) {
            String norm = SearchText.normalise(ValueSyntax.unescape(raw));
            String start = ValueSyntax.likeLiteral(norm) + "%";
            String word = "% " + start;
            return (sql, c) -> sql.add(c.get("display") + " like ").bind(start)
                    .add(" or " + c.get("display") + " like ").bind(word);
        }
        List<String> parts = ValueSyntax.split(raw, '|');
        if ("of-type".equals(modifier)) {
            if (parts.size() != 3 || parts.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("'" + raw + "' must be type-system|type-code|value for :of-type");
            }
            String typeSystem = cut(parts.get(0));
            String typeCode = cut(parts.get(1));
            String value = cut(parts.get(2));
            return (sql, c) -> sql.add(c.get("code") + " = ").bind(value)
                    .add(" and " + c.get("type_system") + " = ").bind(typeSystem)
                    .add(" and " + c.get("type_code") + " = ").bind(typeCode);
        }
        if (modifier != null && !"not".equals(modifier)) {
            throw unsupportedModifier(modifier, "token");
        }
        if (parts.size() == 1) {
            String code = cut(parts.get(0));
            return (sql, c) -> sql.add(c.get("code") + " = ").bind(code);
        }
        if (parts.size() != 2) {
            throw new IllegalArgumentException("'" + raw + "' has more than one unescaped '|' (expected [system]|[code])");
        }
        String system = cut(parts.get(0));
        String code = cut(parts.get(1));
        if (system.isEmpty() && code.isEmpty()) {
            throw new IllegalArgumentException("'|' alone names neither a system nor a code");
        }
        if (system.isEmpty()) {
            return (sql, c) -> sql.add(c.get("code") + " = ").bind(code).add(" and " + c.get("system") + " is null");
        }
        if (code.isEmpty()) {
            return (sql, c) -> sql.add(c.get("system") + " = ").bind(system);
        }
        return (sql, c) -> sql.add(c.get("code") + " = ").bind(code).add(" and " + c.get("system") + " = ").bind(system);
    }

    private static String cut(String escaped) {
        return SearchText.truncate(ValueSyntax.unescape(escaped), SearchText.MAX_INDEXED);
    }

    // ---- date: prefixes over inclusive ranges -------------------------------------------------

    ValueCondition date(String raw) {
        Prefixed p = SearchPrefix.split(ValueSyntax.unescape(raw));
        DateRange s = DateRange.parse(p.value());
        Instant sLo = s.lo();
        Instant sHi = s.hi();
        // Every value has lo <= hi, so the redundant bounds on lo below are true whenever the
        // condition is; they are there to give the (res_type, param, lo, hi) index a closed range.
        return switch (p.prefix()) {
            case EQ -> (sql, c) -> sql.add(c.get("lo") + " >= ").bind(sLo).add(" and " + c.get("lo") + " <= ").bind(sHi)
                    .add(" and " + c.get("hi") + " <= ").bind(sHi);
            case NE -> (sql, c) -> sql.add(c.get("lo") + " < ").bind(sLo).add(" or " + c.get("hi") + " > ").bind(sHi);
            case GT -> (sql, c) -> sql.add(c.get("hi") + " > ").bind(sHi);
            case LT -> (sql, c) -> sql.add(c.get("lo") + " < ").bind(sLo);
            // ge/le: the range above/below overlaps, or the value lies wholly inside the search range.
            case GE -> (sql, c) -> sql.add(c.get("hi") + " > ").bind(sHi)
                    .add(" or (" + c.get("lo") + " >= ").bind(sLo).add(" and " + c.get("hi") + " <= ").bind(sHi).add(")");
            case LE -> (sql, c) -> sql.add(c.get("lo") + " <= ").bind(sHi).add(" and (" + c.get("lo") + " < ").bind(sLo)
                    .add(" or " + c.get("hi") + " <= ").bind(sHi).add(")");
            case SA -> (sql, c) -> sql.add(c.get("lo") + " > ").bind(sHi);
            case EB -> (sql, c) -> sql.add(c.get("lo") + " < ").bind(sLo).add(" and " + c.get("hi") + " < ").bind(sLo);
            case AP -> {
                // The spec suggests 10% of the gap between now and the date.
                Duration gap = Duration.between(sLo, now).abs();
                Duration tolerance = gap.dividedBy(10);
                Instant lo = sLo.minus(tolerance);
                Instant hi = sHi.plus(tolerance);
                yield (sql, c) -> sql.add(c.get("lo") + " <= ").bind(hi).add(" and " + c.get("hi") + " >= ").bind(lo);
            }
        };
    }

    // ---- number and quantity ------------------------------------------------------------------

    /** A number, whose rows may hold a Range (RiskAssessment probability) as a quantity's do: see quantityNumber. */
    ValueCondition number(String raw) {
        Prefixed p = SearchPrefix.split(ValueSyntax.unescape(raw));
        return quantityNumber(p.prefix(), decimal(p.value()));
    }

    private static BigDecimal decimal(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        // No stored value is outside what a write accepts, and the database's numbers could not hold the bound.
        if (value.precision() - value.scale() > DecimalPrecision.MAX_DIGITS
                || value.scale() > DecimalPrecision.MAX_PLACES) {
            throw new IllegalArgumentException("'" + text + "' is " + (value.scale() > 0 ? "too small" : "too large")
                    + " a number (at most " + DecimalPrecision.MAX_DIGITS + " digits before the decimal point and "
                    + DecimalPrecision.MAX_PLACES + " after it)");
        }
        return value;
    }

    /**
     * eq/ne honour the precision of the search value (100 means [99.5, 100.5)), and so do sa/eb, which R4
     * (search.html#prefix) defines against that range: sa100 is a value from 100.5 up, eb100 one below 99.5. The
     * other order prefixes compare exactly; ap accepts stored values within 10% either way.
     */
    private static ValueCondition numeric(SearchPrefix prefix, BigDecimal v) {
        BigDecimal lo = DecimalPrecision.lo(v);
        BigDecimal hi = DecimalPrecision.hi(v);
        return switch (prefix) {
            case EQ -> (sql, c) -> sql.add(c.get("value") + " >= ").bind(lo).add(" and " + c.get("value") + " < ").bind(hi);
            case NE -> (sql, c) -> sql.add(c.get("value") + " < ").bind(lo).add(" or " + c.get("value") + " >= ").bind(hi);
            case GT -> (sql, c) -> sql.add(c.get("value") + " > ").bind(v);
            case LT -> (sql, c) -> sql.add(c.get("value") + " < ").bind(v);
            case SA -> (sql, c) -> sql.add(c.get("value") + " >= ").bind(hi);
            case EB -> (sql, c) -> sql.add(c.get("value") + " < ").bind(lo);
            case GE -> (sql, c) -> sql.add(c.get("value") + " >= ").bind(v);
            case LE -> (sql, c) -> sql.add(c.get("value") + " <= ").bind(v);
            case AP -> {
                BigDecimal tolerance = v.abs().divide(BigDecimal.TEN);
                BigDecimal from = v.subtract(tolerance);
                BigDecimal to = v.add(tolerance);
                yield (sql, c) -> sql.add(c.get("hi") + " >= ").bind(from).add(" and " + c.get("lo") + " <= ").bind(to);
            }
        };
    }

    /**
     * A quantity's or number's value. A Range's row holds its ends in lo and hi and one of them in value (IndexValues), where a
     * single quantity's holds its implicit precision around value; so {@code value = lo or value = hi} tells the
     * Range rows, and those are compared as ranges (R4 search.html#prefix): eq when the search value's range holds
     * the whole target range, ne when it does not, gt/ge when the target reaches above the value, lt/le when it
     * reaches below, sa/eb when it lies wholly above or below, ap when they overlap.
     */
    private static ValueCondition quantityNumber(SearchPrefix prefix, BigDecimal v) {
        ValueCondition single = numeric(prefix, v);
        if (prefix == SearchPrefix.AP) {
            return single; // already an overlap of ranges
        }
        BigDecimal lo = DecimalPrecision.lo(v);
        BigDecimal hi = DecimalPrecision.hi(v);
        ValueCondition range = switch (prefix) {
            case EQ -> (sql, c) -> sql.add(c.get("lo") + " >= ").bind(lo).add(" and " + c.get("hi") + " <= ").bind(hi);
            case NE -> (sql, c) -> sql.add(c.get("lo") + " < ").bind(lo).add(" or " + c.get("hi") + " > ").bind(hi);
            case GT -> (sql, c) -> sql.add(c.get("hi") + " > ").bind(v);
            case GE -> (sql, c) -> sql.add(c.get("hi") + " >= ").bind(v);
            case LT -> (sql, c) -> sql.add(c.get("lo") + " < ").bind(v);
            case LE -> (sql, c) -> sql.add(c.get("lo") + " <= ").bind(v);
            case SA -> (sql, c) -> sql.add(c.get("lo") + " >= ").bind(hi);
            case EB -> (sql, c) -> sql.add(c.get("hi") + " < ").bind(lo);
            case AP -> throw new IllegalStateException();
        };
        return (sql, c) -> {
            // Written as the partial index on Range rows is, so that the planner can use it for them.
            String isRange = c.get("value") + " = " + c.get("lo") + " or " + c.get("value") + " = " + c.get("hi");
            sql.add("((not (" + isRange + ") and (");
            single.appendTo(sql, c);
            sql.add(")) or ((" + isRange + ") and (");
            range.appendTo(sql, c);
            sql.add(")))");
        };
    }

    ValueCondition quantity(String raw) {
        List<String> parts = ValueSyntax.split(raw, '|');
        if (parts.size() != 1 && parts.size() != 3) {
            throw new IllegalArgumentException("'" + raw + "' must be [prefix]number or [prefix]number|system|code");
        }
        Prefixed p = SearchPrefix.split(ValueSyntax.unescape(parts.get(0)));
        ValueCondition number = quantityNumber(p.prefix(), decimal(p.value()));
        if (parts.size() == 1) {
            return number;
        }
        String system = cut(parts.get(1));
        String code = cut(parts.get(2));
        if (system.isEmpty() && code.isEmpty()) {
            return number;
        }
        return (sql, c) -> {
            sql.add("(");
            number.appendTo(sql, c);
            sql.add(")");
            if (!system.isEmpty()) {
                sql.add(" and " + c.get("system") + " = ").bind(system);
            }
            if (!code.isEmpty() && !system.isEmpty()) {
                sql.add(" and " + c.get("code") + " = ").bind(code);
            } else if (!code.isEmpty()) {
                // value||unit: the code or the human unit may carry it
                sql.add(" and (" + c.get("code") + " = ").bind(code).add(" or " + c.get("unit") + " = ").bind(code).add(")");
            }
        };
    }

    // ---- reference ------------------------------------------------------------------------------

    /**
     * The patient ids a reference value can only match ({@code Patient/x}, a local URL of one, an id with the
     * {@code :Patient} modifier, or a bare id when the parameter's rows are only those pointing at patients);
     * null when the value could match anything else, or is not a reference at all (the search itself then says so).
     */
    String patientId(String raw, String typeModifier, String storedTargetType) {
        String value = ValueSyntax.unescape(raw);
        if (value.isEmpty()) {
            return null;
        }
        LocalTarget target;
        try {
            target = localTarget(value);
        } catch (IllegalArgumentException notAReference) {
            return null;
        }
        target = target == null ? null : target.typed(typeModifier);
        if (target == null) {
            return null;
        }
        String type = target.type() == null ? storedTargetType : target.type();
        return "Patient".equals(type) ? target.id() : null;
    }

    /**
     * An id, {@code Type/id}, or URL; {@code typeModifier} is the {@code :Type} modifier. Absolute
     * URLs under our own base are local references; other URLs (and canonicals) match as written, a
     * canonical without {@code |version} also matching any version.
     */
    ValueCondition reference(String raw, String typeModifier) {
        String value = ValueSyntax.unescape(raw);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a reference value must not be empty");
        }
        LocalTarget local = localTarget(value);
        if (local == null) {
            return url(value);
        }
        LocalTarget target = local.typed(typeModifier);
        if (target == null) {
            return ValueCondition.NOTHING;
        }
        String id = target.id();
        String targetType = target.type();
        if (targetType == null) {
            return (sql, c) -> sql.add(c.get("target_id") + " = ").bind(id);
        }
        return (sql, c) -> sql.add(c.get("target_id") + " = ").bind(id)
                .add(" and " + c.get("target_type") + " = ").bind(targetType);
    }

    /** A reference value read as a resource on this server: its type (null for a bare id) and id. */
    private record LocalTarget(String type, String id) {

        /** With the {@code :Type} modifier applied: null when it names another type than the value does. */
        LocalTarget typed(String typeModifier) {
            if (typeModifier == null) {
                return this;
            }
            return type != null && !type.equals(typeModifier) ? null : new LocalTarget(typeModifier, id);
        }
    }

    /**
     * An id, {@code Type/id} or absolute URL as a local target; null for a URL that is not under our own base
     * (matched as written instead).
     *
     * @throws IllegalArgumentException when the value is no reference at all
     */
    private LocalTarget localTarget(String value) {
        if (value.contains(":")) {
            ReferenceTarget target = serverBase.resolve(value);
            return target == null || !target.isLocal() ? null : new LocalTarget(target.type(), target.id());
        }
        if (value.indexOf('/') >= 0) {
            String[] parts = ReferenceTarget.split(value);
            if (parts == null || !parts[0].isEmpty()) {
                throw new IllegalArgumentException("'" + value + "' is not a reference (expected id, Type/id or an absolute URL)");
            }
            return new LocalTarget(parts[1], parts[2]);
        }
        return new LocalTarget(null, value);
    }

    private static ValueCondition url(String value) {
        String url = SearchText.truncate(value, IndexValues.MAX_URI);
        if (url.indexOf('|') >= 0 || url.length() == IndexValues.MAX_URI) {
            return (sql, c) -> sql.add(c.get("target_url") + " = ").bind(url);
        }
        String anyVersion = ValueSyntax.likeLiteral(url) + "|%";
        return (sql, c) -> sql.add(c.get("target_url") + " = ").bind(url)
                .add(" or " + c.get("target_url") + " like ").bind(anyVersion);
    }

    // ---- uri: exact, :below (prefix), :above (the stored uri is a prefix of the value) -------------

    ValueCondition uri(String raw, String modifier) {
        String value = SearchText.truncate(ValueSyntax.unescape(raw), IndexValues.MAX_URI);
        if (modifier == null) {
            return (sql, c) -> sql.add(c.get("uri") + " = ").bind(value);
        }
        return switch (modifier) {
            case "below" -> {
                if (value.indexOf('/') < 0) {
                    // No path to go down (a URN): the value's prefix, as before.
                    String pattern = ValueSyntax.likeLiteral(value) + "%";
                    yield (sql, c) -> sql.add(c.get("uri") + " like ").bind(pattern);
                }
                // Down the path a whole segment at a time, as :above goes up it: below http://acme.org/fhir lie
                // http://acme.org/fhir, any version of it (a canonical's |1.2) and http://acme.org/fhir/ValueSet/x,
                // but not http://acme.org/fhirplace.
                String path = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
                String beneath = ValueSyntax.likeLiteral(path) + "/%";
                String versioned = ValueSyntax.likeLiteral(path) + "|%";
                yield (sql, c) -> sql.add("(" + c.get("uri") + " = ").bind(path)
                        .add(" or " + c.get("uri") + " like ").bind(beneath)
                        .add(" or " + c.get("uri") + " like ").bind(versioned).add(")");
            }
            case "above" -> {
                // Every ancestor path of the value, so the lookup stays an index probe.
                Set<String> ancestors = new LinkedHashSet<>();
                ancestors.add(value);
                int schemeEnd = value.indexOf("://");
                int floor = schemeEnd < 0 ? 0 : schemeEnd + 3;
                for (int i = value.length() - 1; i > floor; i--) {
                    if (value.charAt(i) == '/') {
                        ancestors.add(value.substring(0, i));
                        ancestors.add(value.substring(0, i + 1));
                    }
                }
                String[] all = ancestors.toArray(String[]::new);
                yield (sql, c) -> sql.add(c.get("uri") + " = any(").bind(new Sql.TextArray(all)).add(")");
            }
            default -> throw unsupportedModifier(modifier, "uri");
        };
    }

    // ---- composite: component values separated by $, all on the same row -----------------------

    ValueCondition composite(SearchParameterDefinition def, String raw) {
        List<String> parts = ValueSyntax.split(raw, '$');
        List<Component> components = def.components();
        if (parts.size() != components.size()) {
            throw new IllegalArgumentException("'" + raw + "' has " + parts.size() + " part(s) but " + def.code()
                    + " has " + components.size() + " components separated by '$'");
        }
        List<ValueCondition> conditions = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).isEmpty()) {
                throw new IllegalArgumentException("component " + (i + 1) + " of '" + raw + "' is empty");
            }
            conditions.add(forType(components.get(i).type(), parts.get(i), null, null));
        }
        return (sql, c) -> {
            String json = c.get("components");
            for (int i = 0; i < conditions.size(); i++) {
                sql.add(i == 0 ? "(" : " and (");
                conditions.get(i).appendTo(sql, componentColumns(json, i, components.get(i).type()));
                sql.add(")");
            }
        };
    }

    /** Where a component's values live inside the composite row's JSON, typed like the index columns. */
    private static ValueCondition.Columns componentColumns(String json, int index, SearchParamType type) {
        String element = json + " -> " + index + " ->> ";
        return column -> switch (column) {
            case "system", "code", "unit", "uri" -> "(" + element + "'" + column + "')";
            case "value_norm" -> "(" + element + "'norm')";
            case "value_exact" -> "(" + element + "'exact')";
            case "value_long" -> "(" + element + "'long')";
            case "target_type" -> "(" + element + "'type')";
            case "target_id" -> "(" + element + "'id')";
            case "target_url" -> "(" + element + "'url')";
            case "value", "lo", "hi" -> type == SearchParamType.DATE
                    ? "(" + element + "'" + column + "')::timestamptz"
                    : "(" + element + "'" + column + "')::numeric";
            default -> throw new IllegalArgumentException(type.code() + " components cannot be matched on " + column);
        };
    }

    static IllegalArgumentException unsupportedModifier(String modifier, String type) {
        return new UnsupportedModifier("the modifier ':" + modifier + "' is not supported for " + type
                + " parameters");
    }

    /** A modifier the parameter's type does not take: refused whatever the handling, as R4 requires. */
    static final class UnsupportedModifier extends IllegalArgumentException {
        UnsupportedModifier(String message) {
            super(message);
        }
    }
}
