package org.charnwood.fhir.search;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The text entries of {@code fhir_resource.security}: a copy of a resource's {@code meta.security} codings,
 * kept on the resource row so that the access filter hides labelled resources with an array overlap test on the
 * row itself. The same codings are in the {@code _security} token rows, which serve the search parameter; testing
 * them from every search statement cost a second join for PostgreSQL to plan on every call, where this costs a
 * column test.
 *
 * <p>Each coding gives two entries: {@code system US code} for a label that names its system, and
 * {@code RS code} for a label that matches the code in any system (US and RS are the ASCII unit and record
 * separators, which no FHIR uri or code can hold, so no two different codings share an entry). A coding without
 * a system has the empty system. The migration that added the column filled it for the rows written before it,
 * by the same rule in SQL.
 */
public final class SecurityLabels {

    static final char UNIT = '\u001f';
    static final char ANY_SYSTEM = '\u001e';
    /** Separates a resource's entries when they travel as one text value in a batch statement. */
    static final char GROUP = '\u001d';

    private SecurityLabels() {
    }

    /** The entries a stored coding contributes; none when it has no code (no label can match it). */
    static void addStored(Set<String> entries, String system, String code) {
        if (code == null) {
            return;
        }
        entries.add((system == null ? "" : system) + UNIT + code);
        entries.add(ANY_SYSTEM + code);
    }

    /** The entries whose presence hides a resource from a caller to whom {@code labels} are hidden. */
    static String[] hidden(Collection<AccessScope.Label> labels) {
        Set<String> entries = new LinkedHashSet<>();
        for (AccessScope.Label l : labels) {
            entries.add(l.system() == null || l.system().isEmpty() ? ANY_SYSTEM + l.code() : l.system() + UNIT + l.code());
        }
        return entries.toArray(String[]::new);
    }

    /**
     * SQL for the entries a {@code _security} token row aliased {@code t} contributes, as a text array: the same
     * rule as {@link #addStored}, for statements that test labels on the token rows rather than on the resource row.
     */
    static String entriesOfTokenRow(String t) {
        return "array[coalesce(" + t + ".system, '') || chr(" + (int) UNIT + ") || " + t + ".code, chr("
                + (int) ANY_SYSTEM + ") || " + t + ".code]";
    }

    /** A resource's entries joined into one text value, or null when it has none. */
    static String joined(Set<String> entries) {
        return entries == null || entries.isEmpty() ? null : String.join(String.valueOf(GROUP), entries);
    }
}
