package org.charnwood.fhir.validation;

import java.util.Arrays;

/**
 * The FHIRPath of the element being visited, kept as a stack of segments and only turned into text
 * when an issue is reported: building strings for every element of every resource would cost more
 * than the checks themselves.
 */
final class ElementPath {
    private String[] names = new String[32];
    private int[] indexes = new int[32];
    private String[] choiceTypes = new String[32];
    private int depth;

    void push(String name, int index, String choiceType) {
        if (depth == names.length) {
            names = Arrays.copyOf(names, depth * 2);
            indexes = Arrays.copyOf(indexes, depth * 2);
            choiceTypes = Arrays.copyOf(choiceTypes, depth * 2);
        }
        names[depth] = name;
        indexes[depth] = index;
        choiceTypes[depth] = choiceType;
        depth++;
    }

    void pop() {
        depth--;
    }

    int depth() {
        return depth;
    }

    /** Drops segments back to a depth saved earlier, so an exception mid-walk cannot leave the stack skewed. */
    void truncate(int toDepth) {
        depth = toDepth;
    }

    /** For example {@code Patient.name[0].given[1]} or {@code Observation.value.ofType(Quantity)}. */
    String render() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(names[i]);
            if (choiceTypes[i] != null) {
                sb.append(".ofType(").append(choiceTypes[i]).append(')');
            }
            if (indexes[i] >= 0) {
                sb.append('[').append(indexes[i]).append(']');
            }
        }
        return sb.toString();
    }

    /** The path without indexes or types, for example {@code Patient.telecom.system}: where an extension may be used. */
    String renderPlain() {
        StringBuilder sb = new StringBuilder(48);
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(names[i]);
        }
        return sb.toString();
    }

    /** The path with one more segment, for issues about a child that is absent. */
    String renderChild(String child) {
        return depth == 0 ? child : render() + "." + child;
    }
}
