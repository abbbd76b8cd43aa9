package org.charnwood.fhir.search;

import org.charnwood.fhir.RedactedFailure;
import org.charnwood.fhir.search.SearchParameterDefinition.Component;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the elements a parameter selects into index rows, following the R4 rules for each search
 * type: which parts of a HumanName, Address, Coding, Identifier... are searchable, and in what form.
 */
final class IndexValues {

    private static final Logger log = LoggerFactory.getLogger(IndexValues.class);
    static final int MAX_URI = 512;
    static final String CURRENCY_SYSTEM = "urn:iso:std:iso:4217";
    /** Cap on the rows one composite element may produce (cross product of its components' values). */
    private static final int MAX_COMPOSITE_ROWS = 64;

    private final SearchParameterRegistry registry;
    private final ServerBase serverBase;
    private final Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    IndexValues(SearchParameterRegistry registry, ServerBase serverBase) {
        this.registry = registry;
        this.serverBase = serverBase;
    }

    /** Adds the rows of every indexed parameter of the resource. */
    void collect(long pk, Resource resource, IndexRows rows) {
        String type = resource.fhirType();
        // Values are told apart by the records themselves: spelling each out as text only to compare
        // it (dates formatted, every field of a token) cost more than finding it.
        Set<Object> seen = new HashSet<>();
        for (SearchParameterDefinition def : registry.indexed(type)) {
            List<Base> values;
            try {
                values = def.path().select(resource, resource);
            } catch (RuntimeException e) {
                // One odd expression must not stop clinical data being stored; report it once.
                if (failing.add(type + "." + def.code())) {
                    // By type and frames only: a FHIRPath failure's message can quote the resource's values.
                    log.warn("Search parameter {} on {} could not be evaluated", def.code(), type,
                            RedactedFailure.of(e));
                }
                continue;
            }
            if (values.isEmpty()) {
                continue;
            }
            Long key = pk;
            String param = def.code();
            seen.clear();
            switch (def.type()) {
                case STRING -> {
                    if (Phonetic.is(def)) {
                        for (Base b : values) {
                            for (String code : Phonetic.codes(b)) {
                                if (seen.add(code)) {
                                    rows.string.add(key, type, param, code, code, null);
                                }
                            }
                        }
                        continue;
                    }
                    for (Base b : values) {
                        for (String s : strings(b)) {
                            if (seen.add(s)) {
                                String whole = SearchText.whole(s);
                                rows.string.add(key, type, param, SearchText.truncate(whole, SearchText.MAX_INDEXED), s,
                                        SearchText.beyondIndexed(whole));
                            }
                        }
                    }
                }
                case TOKEN -> {
                    for (Base b : values) {
                        for (Token t : tokens(b)) {
                            if (seen.add(t)) {
                                rows.token.add(key, type, param, t.system(), t.code(), t.display(), t.typeSystem(),
                                        t.typeCode());
                            }
                        }
                    }
                }
                case DATE -> {
                    for (Base b : values) {
                        for (DateRange d : dates(b)) {
                            if (seen.add(d)) {
                                rows.date.add(key, type, param, d.loText(), d.hiText());
                            }
                        }
                    }
                }
                case NUMBER -> {
                    for (Base b : values) {
                        if (b instanceof Range) {
                            // RiskAssessment's probability may be a Range: its ends in lo and hi, one of them in
                            // value, as a quantity's Range row holds them, so that it is compared as a range.
                            for (QuantityValue q : quantities(b)) {
                                if (seen.add(q)) {
                                    rows.number.add(key, type, param, q.value(), q.lo(), q.hi());
                                }
                            }
                            continue;
                        }
                        BigDecimal n = number(b);
                        if (n != null && seen.add(n.toString())) {
                            rows.number.add(key, type, param, n.toPlainString(),
                                    DecimalPrecision.lo(n).toPlainString(), DecimalPrecision.hi(n).toPlainString());
                        }
                    }
                }
                case QUANTITY -> {
                    for (Base b : values) {
                        for (QuantityValue q : quantities(b)) {
                            if (seen.add(q)) {
                                rows.quantity.add(key, type, param, q.value(), q.lo(), q.hi(), q.system(), q.code(),
                                        q.unit());
                            }
                        }
                    }
                }
                case REFERENCE -> {
                    for (Base b : values) {
                        ReferenceTarget t = reference(b);
                        if (t != null && seen.add(t)) {
                            rows.reference.add(key, type, param, t.type(), t.id(),
                                    SearchText.truncate(t.url(), MAX_URI));
                        }
                        // A logical reference's identifier, for param:identifier, kept with the tokens.
                        if (b instanceof Reference r && r.hasIdentifier() && r.getIdentifier().hasValue()) {
                            for (Token tk : tokens(r.getIdentifier())) {
                                if (seen.add(tk)) {
                                    rows.token.add(key, type, param, tk.system(), tk.code(), tk.display(),
                                            tk.typeSystem(), tk.typeCode());
                                }
                            }
                        }
                    }
                }
                case URI -> {
                    for (Base b : values) {
                        if (b.isPrimitive() && b.primitiveValue() != null) {
                            String u = SearchText.truncate(b.primitiveValue(), MAX_URI);
                            if (seen.add(u)) {
                                rows.uri.add(key, type, param, u);
                            }
                        }
                    }
                }
                case COMPOSITE -> {
                    for (Base focus : values) {
                        for (String json : composites(def, resource, focus)) {
                            if (seen.add(json)) {
                                rows.composite.add(key, type, param, json);
                            }
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    // ---- string ------------------------------------------------------------------------------

    static List<String> strings(Base b) {
        List<String> out = new ArrayList<>(2);
        if (b instanceof HumanName n) {
            add(out, n.getFamily());
            n.getGiven().forEach(s -> add(out, s.getValue()));
            n.getPrefix().forEach(s -> add(out, s.getValue()));
            n.getSuffix().forEach(s -> add(out, s.getValue()));
            add(out, n.getText());
        } else if (b instanceof Address a) {
            a.getLine().forEach(s -> add(out, s.getValue()));
            add(out, a.getCity());
            add(out, a.getDistrict());
            add(out, a.getState());
            add(out, a.getPostalCode());
            add(out, a.getCountry());
            add(out, a.getText());
        } else if (b instanceof CodeableConcept cc) {
            add(out, cc.getText());
            cc.getCoding().forEach(c -> add(out, c.getDisplay()));
        } else if (b instanceof Coding c) {
            add(out, c.getDisplay());
        } else if (b instanceof ContactPoint cp) {
            add(out, cp.getValue());
        } else if (b instanceof Identifier id) {
            add(out, id.getValue());
        } else if (b instanceof Annotation a) {
            add(out, a.getText());
        } else if (b.isPrimitive()) {
            add(out, b.primitiveValue());
        }
        return out;
    }

    private static void add(List<String> out, String value) {
        if (value != null && !value.isBlank()) {
            out.add(value);
        }
    }

    // ---- token -------------------------------------------------------------------------------

    /** One token row; display is normalised text for {@code :text}, type columns serve {@code :of-type}. */
    record Token(String system, String code, String display, String typeSystem, String typeCode) {
        static Token of(String system, String code, String display) {
            return new Token(cut(system), cut(code), display == null ? null : SearchText.normalise(display), null, null);
        }

        private static String cut(String s) {
            return SearchText.truncate(s == null || s.isEmpty() ? null : s, SearchText.MAX_INDEXED);
        }
    }

    static List<Token> tokens(Base b) {
        List<Token> out = new ArrayList<>(2);
        if (b instanceof Coding c) {
            coding(c, out);
        } else if (b instanceof CodeableConcept cc) {
            cc.getCoding().forEach(c -> coding(c, out));
            if (cc.hasText()) {
                // Text that repeats a coding's display adds nothing :text could not already find.
                Token text = Token.of(null, null, cc.getText());
                if (out.stream().noneMatch(t -> text.display().equals(t.display()))) {
                    out.add(text);
                }
            }
        } else if (b instanceof Identifier id) {
            if (id.hasValue()) {
                String text = id.getType().getText();
                if (id.getType().hasCoding()) {
                    for (Coding tc : id.getType().getCoding()) {
                        Token t = Token.of(id.getSystem(), id.getValue(), text);
                        out.add(new Token(t.system(), t.code(), t.display(), Token.cut(tc.getSystem()),
                                Token.cut(tc.getCode())));
                    }
                } else {
                    out.add(Token.of(id.getSystem(), id.getValue(), text));
                }
            }
        } else if (b instanceof ContactPoint cp) {
            if (cp.hasValue()) {
                out.add(Token.of(cp.hasSystem() ? cp.getSystem().toCode() : null, cp.getValue(), null));
            }
        } else if (b instanceof Enumeration<?> e) {
            if (e.getValueAsString() != null) {
                String system = null;
                try {
                    system = e.getSystem();
                } catch (RuntimeException ignored) {
                    // no system known for this code
                }
                out.add(Token.of(system, e.getValueAsString(), null));
            }
        } else if (b instanceof BooleanType bool) {
            if (bool.getValue() != null) {
                out.add(Token.of(null, bool.getValue().toString(), null));
            }
        } else if (b instanceof IdType id) {
            if (id.getIdPart() != null) {
                out.add(Token.of(null, id.getIdPart(), null));
            }
        } else if (b instanceof Quantity q) {
            if (q.hasCode()) {
                out.add(Token.of(q.getSystem(), q.getCode(), q.getUnit()));
            }
        } else if (b instanceof Reference r) {
            if (r.hasIdentifier() && r.getIdentifier().hasValue()) {
                out.addAll(tokens(r.getIdentifier()));
            }
        } else if (b.isPrimitive() && b.primitiveValue() != null) {
            out.add(Token.of(null, b.primitiveValue(), null));
        }
        return out;
    }

    private static void coding(Coding c, List<Token> out) {
        if (c.hasCode() || c.hasDisplay()) {
            out.add(Token.of(c.getSystem(), c.getCode(), c.getDisplay()));
        }
    }

    // ---- date --------------------------------------------------------------------------------

    static List<DateRange> dates(Base b) {
        try {
            if (b instanceof BaseDateTimeType d) {
                String text = d.getValueAsString();
                return text == null ? List.of() : List.of(DateRange.parse(text));
            }
            if (b instanceof Period p) {
                DateRange r = DateRange.period(p.getStartElement().getValueAsString(), p.getEndElement().getValueAsString());
                return r == null ? List.of() : List.of(r);
            }
            if (b instanceof Timing t) {
                List<DateRange> out = new ArrayList<>();
                for (DateTimeType event : t.getEvent()) {
                    out.addAll(dates(event));
                }
                if (t.hasRepeat() && t.getRepeat().hasBoundsPeriod()) {
                    out.addAll(dates(t.getRepeat().getBoundsPeriod()));
                }
                return out;
            }
            if (b instanceof StringType s && s.getValue() != null) {
                return List.of(DateRange.parse(s.getValue()));
            }
        } catch (IllegalArgumentException e) {
            // a value the parser could not read is simply not searchable
        }
        return List.of();
    }

    // ---- number and quantity -----------------------------------------------------------------

    static BigDecimal number(Base b) {
        if (b instanceof Quantity q) {
            return q.getValue() == null ? null : DecimalPrecision.indexed(q.getValue());
        }
        if (b instanceof PrimitiveType<?> p && p.getValueAsString() != null) {
            try {
                return DecimalPrecision.indexed(new BigDecimal(p.getValueAsString()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A quantity row: numbers as text, ends of ranges possibly {@code Infinity}. */
    record QuantityValue(String value, String lo, String hi, String system, String code, String unit) {
        static QuantityValue of(BigDecimal written, String system, String code, String unit) {
            BigDecimal v = DecimalPrecision.indexed(written);
            return new QuantityValue(v.toPlainString(), DecimalPrecision.lo(v).toPlainString(),
                    DecimalPrecision.hi(v).toPlainString(), Token.cut(system), Token.cut(code), unit);
        }
    }

    static List<QuantityValue> quantities(Base b) {
        if (b instanceof Quantity q) {
            return q.hasValue() ? List.of(QuantityValue.of(q.getValue(), q.getSystem(), q.getCode(), q.getUnit()))
                    : List.of();
        }
        if (b instanceof Money m) {
            return m.hasValue() ? List.of(QuantityValue.of(m.getValue(), CURRENCY_SYSTEM, m.getCurrency(),
                    m.getCurrency())) : List.of();
        }
        if (b instanceof Range r) {
            Quantity low = r.hasLow() && r.getLow().hasValue() ? r.getLow() : null;
            Quantity high = r.hasHigh() && r.getHigh().hasValue() ? r.getHigh() : null;
            if (low == null && high == null) {
                return List.of();
            }
            Quantity any = low != null ? low : high;
            return List.of(new QuantityValue(DecimalPrecision.indexed(any.getValue()).toPlainString(),
                    low == null ? "-Infinity" : DecimalPrecision.indexed(low.getValue()).toPlainString(),
                    high == null ? "Infinity" : DecimalPrecision.indexed(high.getValue()).toPlainString(),
                    Token.cut(any.getSystem()), Token.cut(any.getCode()), any.getUnit()));
        }
        return List.of();
    }

    // ---- reference ---------------------------------------------------------------------------

    ReferenceTarget reference(Base b) {
        if (b instanceof Reference r) {
            return r.hasReference() ? serverBase.resolve(r.getReference()) : null;
        }
        if (b instanceof Resource res) {
            return res.getIdPart() == null ? null : ReferenceTarget.local(res.fhirType(), res.getIdPart());
        }
        if (b.isPrimitive() && b.primitiveValue() != null) {
            ReferenceTarget t = serverBase.resolve(b.primitiveValue());
            // A canonical is matched by its URL even when it is written relative.
            return t != null ? t : ReferenceTarget.external(b.primitiveValue());
        }
        return null;
    }

    // ---- composite ---------------------------------------------------------------------------

    private List<String> composites(SearchParameterDefinition def, Resource resource, Base focus) {
        List<String> rows = List.of("");
        for (Component component : def.components()) {
            List<String> parts = componentValues(component, component.path().select(resource, focus));
            if (parts.isEmpty()) {
                return List.of();
            }
            List<String> next = new ArrayList<>(rows.size() * parts.size());
            for (String prefix : rows) {
                for (String part : parts) {
                    if (next.size() < MAX_COMPOSITE_ROWS) {
                        next.add(prefix.isEmpty() ? part : prefix + "," + part);
                    }
                }
            }
            rows = next;
        }
        List<String> out = new ArrayList<>(rows.size());
        for (String r : rows) {
            out.add("[" + r + "]");
        }
        return out;
    }

    private List<String> componentValues(Component component, List<Base> values) {
        List<String> out = new ArrayList<>();
        for (Base b : values) {
            switch (component.type()) {
                case TOKEN -> tokens(b).stream().filter(t -> t.code() != null)
                        .forEach(t -> out.add(json("system", t.system(), "code", t.code())));
                case QUANTITY -> quantities(b).forEach(q -> out.add(json("value", q.value(), "lo", q.lo(), "hi", q.hi(),
                        "system", q.system(), "code", q.code(), "unit", q.unit())));
                case DATE -> dates(b).forEach(d -> out.add(json("lo", d.loText(), "hi", d.hiText())));
                case STRING -> strings(b).forEach(s -> {
                    String whole = SearchText.whole(s);
                    out.add(json("norm", SearchText.truncate(whole, SearchText.MAX_INDEXED), "exact", s,
                            "long", SearchText.beyondIndexed(whole)));
                });
                case NUMBER -> {
                    BigDecimal n = number(b);
                    if (n != null) {
                        out.add(json("value", n.toPlainString(), "lo", DecimalPrecision.lo(n).toPlainString(),
                                "hi", DecimalPrecision.hi(n).toPlainString()));
                    }
                }
                case REFERENCE -> {
                    ReferenceTarget t = reference(b);
                    if (t != null) {
                        out.add(json("type", t.type(), "id", t.id(), "url", t.url()));
                    }
                }
                case URI -> {
                    if (b.isPrimitive() && b.primitiveValue() != null) {
                        out.add(json("uri", b.primitiveValue()));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** A flat JSON object of string members, nulls left out. */
    static String json(String... keysAndValues) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String v = keysAndValues[i + 1];
            if (v == null) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(keysAndValues[i]).append("\":");
            quote(sb, v);
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
