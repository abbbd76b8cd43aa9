package org.charnwood.app.workspace;

import org.charnwood.app.terminology.ImplicitValueSets;
import org.charnwood.app.terminology.ServedTerminology;
import org.charnwood.app.terminology.TerminologySearch;
import org.charnwood.app.terminology.TerminologyServer;
import org.charnwood.app.web.FormErrors;
import org.charnwood.terminology.ecl.EclExpression;
import org.charnwood.terminology.snomed.SearchHit;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;

/**
 * Turns what was typed into a SNOMED CT coded answer inside an ECL constraint, on the server, so the coded fields
 * of the forms work without scripts: a code chosen (from the typeahead, or from the matches shown last time) is
 * checked against the constraint; a term alone is searched, and one clear match is taken, several are offered
 * to choose from, none is an error.
 */
@Component
class SnomedAnswers {

    /** A concept offered to choose from. */
    record Match(String code, String display) {
    }

    /**
     * The outcome for one field: the coding when resolved, else the matches to choose from (maybe none); the
     * problem, if any, is in the form's errors.
     */
    record Answer(Coding coding, List<Match> matches) {
        static final Answer NONE = new Answer(null, List.of());

        boolean resolved() {
            return coding != null;
        }
    }

    private static final int MATCHES_SHOWN = 8;

    private final TerminologySearch search;
    private final TerminologyServer server;

    SnomedAnswers(TerminologySearch search, TerminologyServer server) {
        this.search = search;
        this.server = server;
    }

    /**
     * Resolves a field.
     *
     * @param field    the field's id, for the error summary
     * @param noun     what is asked for, in lower case ("reason for the contact")
     * @param term     the text typed
     * @param code     the concept the term stands for, when the typeahead chose one or an earlier submission
     *                 resolved it (a SNOMED CT id); ignored when the term has been changed since
     * @param choice   the concept chosen from the matches the page offered; wins over the term
     * @param required whether an empty answer is an error
     */
    Answer resolve(String field, String noun, String term, String code, String choice, String ecl, boolean required,
                   FormErrors errors) {
        SnomedRelease release = server.current().requireSnomed();
        if (choice != null && !choice.isBlank()) {
            Coding chosen = chosen(choice.trim(), ecl, release);
            if (chosen != null) {
                return new Answer(chosen, List.of());
            }
        }
        if (code != null && !code.isBlank()) {
            Coding chosen = chosen(code.trim(), ecl, release);
            if (chosen != null && (term == null || term.isBlank()
                    || chosen.getDisplay().equalsIgnoreCase(term.trim()))) {
                return new Answer(chosen, List.of());
            }
        }
        if (term == null || term.isBlank()) {
            if (required) {
                errors.add(field, "Enter the " + noun);
            }
            return Answer.NONE;
        }
        String typed = term.trim();
        List<SearchHit> hits = search.search(typed, ecl, MATCHES_SHOWN, false);
        if (hits.isEmpty()) {
            errors.add(field, "No " + noun + " matches \"" + typed + "\": try a different or shorter term");
            return Answer.NONE;
        }
        // One hit, or a hit whose term is exactly what was typed, is taken without asking again.
        String lower = typed.toLowerCase(Locale.ROOT);
        for (SearchHit hit : hits) {
            if (hits.size() == 1 || hit.term().toLowerCase(Locale.ROOT).equals(lower)
                    || hit.preferredTerm().toLowerCase(Locale.ROOT).equals(lower)) {
                return new Answer(coding(hit.conceptId(), hit.preferredTerm()), List.of());
            }
        }
        errors.add(field, "Choose the " + noun + " from the matches for \"" + typed + "\"");
        return new Answer(null, hits.stream().map(h -> new Match(Long.toString(h.conceptId()), h.preferredTerm()))
                .distinct().toList());
    }

    /** The coding for an id, when it is an active concept of the served release inside the constraint. */
    private static Coding chosen(String code, String ecl, SnomedRelease release) {
        long id;
        try {
            id = Long.parseLong(code);
        } catch (NumberFormatException e) {
            return null;
        }
        int index = release.index(id);
        if (index < 0 || !release.active(index)) {
            return null;
        }
        EclExpression constraint = ImplicitValueSets.parse(ecl);
        if (!ImplicitValueSets.matches(constraint, release, id)) {
            return null;
        }
        return coding(id, release.preferredTerm(index));
    }

    private static Coding coding(long id, String display) {
        return new Coding(ServedTerminology.SNOMED_SYSTEM, Long.toString(id), display);
    }
}
