package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed[x] or pattern[x] value of a profile, taken apart once into what an instance must hold:
 * a primitive's text, or for a complex value its populated properties. A fixed value must be
 * matched exactly; a pattern only needs to be contained (every listed item present, more allowed).
 */
final class ExpectedValue {
    private static final String[] NO_NAMES = new String[0];

    /** The primitive value as text; null for a complex value. */
    final String primitive;
    final boolean exact;
    private final String[] names;
    private final int[] hashes;
    private final ExpectedValue[][] values;

    private ExpectedValue(String primitive, boolean exact, String[] names, int[] hashes, ExpectedValue[][] values) {
        this.primitive = primitive;
        this.exact = exact;
        this.names = names;
        this.hashes = hashes;
        this.values = values;
    }

    static ExpectedValue fixed(Base value) {
        return of(value, true);
    }

    static ExpectedValue pattern(Base value) {
        return of(value, false);
    }

    static ExpectedValue text(String text) {
        return new ExpectedValue(text, true, NO_NAMES, new int[0], new ExpectedValue[0][]);
    }

    private static ExpectedValue of(Base value, boolean exact) {
        if (value.isPrimitive()) {
            return new ExpectedValue(value.primitiveValue(), exact, NO_NAMES, new int[0], new ExpectedValue[0][]);
        }
        List<String> names = new ArrayList<>();
        List<ExpectedValue[]> values = new ArrayList<>();
        for (Property property : value.children()) {
            if (!property.hasValues()) {
                continue;
            }
            String name = property.getName();
            if (name.endsWith("[x]")) {
                name = name.substring(0, name.length() - 3);
            }
            List<Base> items = property.getValues();
            ExpectedValue[] compiled = new ExpectedValue[items.size()];
            for (int i = 0; i < compiled.length; i++) {
                compiled[i] = of(items.get(i), exact);
            }
            names.add(name);
            values.add(compiled);
        }
        int[] hashes = new int[names.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = names.get(i).hashCode();
        }
        return new ExpectedValue(null, exact, names.toArray(NO_NAMES), hashes, values.toArray(new ExpectedValue[0][]));
    }

    /** The part of this value found by following {@code path} (one item at each step), or null. */
    ExpectedValue at(List<String> path) {
        ExpectedValue current = this;
        for (String step : path) {
            ExpectedValue next = null;
            for (int i = 0; i < current.names.length; i++) {
                if (current.names[i].equals(step) && current.values[i].length == 1) {
                    next = current.values[i][0];
                }
            }
            if (next == null) {
                return null;
            }
            current = next;
        }
        return current;
    }

    boolean matches(Base instance) {
        if (instance == null) {
            return false;
        }
        if (primitive != null) {
            return instance.isPrimitive() && primitive.equals(instance.primitiveValue());
        }
        for (int i = 0; i < names.length; i++) {
            Base[] actual;
            try {
                actual = instance.getProperty(hashes[i], names[i], false);
            } catch (RuntimeException e) {
                return false;
            }
            if (actual == null) {
                actual = new Base[0];
            }
            ExpectedValue[] expected = values[i];
            if (exact) {
                if (actual.length != expected.length) {
                    return false;
                }
                for (int j = 0; j < expected.length; j++) {
                    if (!expected[j].matches(actual[j])) {
                        return false;
                    }
                }
            } else {
                for (ExpectedValue item : expected) {
                    if (!matchesAny(item, actual)) {
                        return false;
                    }
                }
            }
        }
        return !exact || onlyExpectedProperties(instance);
    }

    private static boolean matchesAny(ExpectedValue expected, Base[] actual) {
        for (Base candidate : actual) {
            if (expected.matches(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** A fixed complex value allows nothing beside what it lists, apart from ids and extensions. */
    private boolean onlyExpectedProperties(Base instance) {
        for (Property property : instance.children()) {
            if (!property.hasValues() || "id".equals(property.getName()) || "extension".equals(property.getName())) {
                continue;
            }
            String name = property.getName().endsWith("[x]")
                    ? property.getName().substring(0, property.getName().length() - 3) : property.getName();
            boolean listed = false;
            for (String expected : names) {
                listed |= expected.equals(name);
            }
            if (!listed) {
                return false;
            }
        }
        return true;
    }

    /** For messages: the primitive text, or a compact rendering of the complex value. */
    String describe() {
        if (primitive != null) {
            return primitive;
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(names[i]).append(": ");
            ExpectedValue[] items = values[i];
            if (items.length == 1) {
                sb.append(items[0].describe());
            } else {
                sb.append('[');
                for (int j = 0; j < items.length; j++) {
                    sb.append(j > 0 ? ", " : "").append(items[j].describe());
                }
                sb.append(']');
            }
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString() {
        return (exact ? "fixed " : "pattern ") + describe();
    }
}
