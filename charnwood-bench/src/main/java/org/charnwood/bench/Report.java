package org.charnwood.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one phase measured: named figures (a markdown table) and notes on how they were obtained, which a reader
 * needs to judge them as much as the figures themselves.
 */
record Report(String title, List<Figure> figures, List<String> notes) {

    Report {
        figures = List.copyOf(figures);
        notes = List.copyOf(notes);
    }

    record Figure(String name, String value) {
    }

    static Builder titled(String title) {
        return new Builder(title);
    }

    String markdown() {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n| Figure | Value |\n|---|---|\n");
        for (Figure f : figures) {
            out.append("| ").append(f.name()).append(" | ").append(f.value()).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    /** {@code met} or {@code MISSED} against a target, written so a reader sees misses at a glance. */
    static String verdict(boolean met) {
        return met ? "met" : "**MISSED**";
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static final class Builder {
        private final String title;
        private final List<Figure> figures = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        Builder figure(String name, String value) {
            figures.add(new Figure(name, value));
            return this;
        }

        Builder figure(String name, double value, int decimals) {
            return figure(name, number(value, decimals));
        }

        Builder latency(String name, Percentiles p) {
            return figure(name, p.describe());
        }

        Builder note(String note) {
            notes.add(note);
            return this;
        }

        Report build() {
            return new Report(title, figures, notes);
        }
    }
}
