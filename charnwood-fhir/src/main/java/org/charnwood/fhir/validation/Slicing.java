package org.charnwood.fhir.validation;

import java.util.List;

/**
 * How a profile divides the values of a repeating (or choice) element into slices: the
 * discriminators that decide which slice a value belongs to, whether values outside every slice are
 * allowed, and the slices themselves with the value each discriminator must find.
 */
final class Slicing {

    enum Kind { VALUE, PATTERN, TYPE, EXISTS }

    /**
     * One discriminator.
     *
     * @param path property names to follow from the sliced value; empty for {@code $this}
     */
    record Discriminator(Kind kind, List<String> path) {
    }

    /**
     * One slice.
     *
     * @param rules  what the slice requires of its values, with its own min and max
     * @param values per discriminator: an {@link ExpectedValue} (value and pattern), a type name
     *               (type) or a Boolean (exists)
     */
    record Slice(String name, ProfileElement rules, Object[] values) {
    }

    final Discriminator[] discriminators;
    final boolean closed;
    final boolean ordered;
    /**
     * For a complex extension's sub-extensions: a sub-extension whose relative url names no slice
     * is not defined by the extension, whatever the slicing rules say.
     */
    final boolean relativeUrlsClosed;
    final Slice[] slices;

    Slicing(Discriminator[] discriminators, boolean closed, boolean ordered, boolean relativeUrlsClosed, Slice[] slices) {
        this.discriminators = discriminators;
        this.closed = closed;
        this.ordered = ordered;
        this.relativeUrlsClosed = relativeUrlsClosed;
        this.slices = slices;
    }
}
