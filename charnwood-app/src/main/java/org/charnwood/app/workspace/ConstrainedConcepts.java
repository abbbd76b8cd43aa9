package org.charnwood.app.workspace;

import org.charnwood.app.terminology.ImplicitValueSets;
import org.charnwood.app.terminology.ServedTerminology;
import org.charnwood.app.terminology.TerminologySearch;
import org.charnwood.app.terminology.TerminologyServer;
import org.charnwood.terminology.snomed.SearchHit;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Turns what was entered in a {@link CodedField} into a concept, always checking the code against the field's
 * constraint on the server (a code from the browser is a claim, not a fact). A chosen code is checked; typed text
 * is looked up: one match is taken, several are offered to choose from, none is an error.
 *
 * <p>A partial release (the bundled sample with the demo code list merged in) holds concepts the loader could
 * not place in the hierarchy, so no constraint can say whether they belong. As the write-time binding only warns
 * about what it cannot judge there, such unplaced concepts are allowed in every field on a partial release; a
 * full release judges every code by the constraint alone.
 */
@Component
class ConstrainedConcepts {

    /** The root concept: everything placed in the hierarchy descends from it. */
    private static final String UNPLACED = "(* MINUS << 138875005)";
    private static final int CHOICES = 10;

    /** What an entry came to. */
    sealed interface Resolution {
    }

    /** A concept within the constraint. */
    record Chosen(ConceptChoice concept) implements Resolution {
    }

    /** Several concepts match the text: the person chooses one. */
    record Choices(List<ConceptChoice> concepts) implements Resolution {
    }

    /** Nothing usable: the message says why, for the error summary and the field. */
    record Refused(String message) implements Resolution {
    }

    private final TerminologyServer server;
    private final TerminologySearch search;

    ConstrainedConcepts(TerminologyServer server, TerminologySearch search) {
        this.server = server;
        this.search = search;
    }

    /** The constraint the field applies with the release served now (what the typeahead is given). */
    String constraint(CodedField field) {
        ServedTerminology served = server.current();
        return served.snomedComplete() ? field.ecl() : "(" + field.ecl() + ") OR " + UNPLACED;
    }

    /**
     * Resolves an entry; {@code required} false lets an empty entry through as an empty Optional.
     */
    Optional<Resolution> resolve(CodedField field, String term, String code, String choice, boolean required) {
        SnomedRelease release = server.current().requireSnomed();
        if (choice != null && !choice.isBlank()) {
            return Optional.of(byCode(field, choice.trim(), release));
        }
        boolean noCode = code == null || code.isBlank();
        boolean noTerm = term == null || term.isBlank();
        if (noCode && noTerm) {
            return required ? Optional.of(new Refused("Enter the " + field.noun())) : Optional.empty();
        }
        // The code filled in by the typeahead (or kept from the stored entry) stands for the text shown with it;
        // text typed over it without a new choice is looked up afresh.
        if (!noCode && (noTerm || sameTerm(term, code.trim(), release))) {
            return Optional.of(byCode(field, code.trim(), release));
        }
        String text = term.trim();
        if (text.length() > 200) {
            return Optional.of(new Refused("The " + field.noun() + " must be 200 characters or fewer"));
        }
        List<ConceptChoice> matches = search.search(text, constraint(field), CHOICES, false).stream()
                .map(hit -> choice(hit)).distinct().toList();
        if (matches.size() == 1) {
            return Optional.of(new Chosen(matches.get(0)));
        }
        if (matches.size() > 1) {
            return Optional.of(new Choices(matches));
        }
        boolean elsewhere = !search.search(text, null, 1, false).isEmpty();
        return Optional.of(new Refused(elsewhere
                ? "‘" + text + "’ is not " + field.range() + ": enter a " + field.noun() + " instead"
                : "No " + field.noun() + " matches ‘" + text + "’: check the spelling or try other words"));
    }

    /**
     * Resolves a form's entry: the concept, or null with the reason added to {@code errors} under the term field
     * and, when several match, the candidates put in the form's choices for the page to list.
     */
    ConceptChoice entry(CodedField field, String term, String code, String choice, boolean required,
                        RecordEntryForm form, org.charnwood.app.web.FormErrors errors) {
        Optional<Resolution> resolution = resolve(field, term, code, choice, required);
        if (resolution.isEmpty()) {
            return null;
        }
        return switch (resolution.get()) {
            case Chosen chosen -> chosen.concept();
            case Choices choices -> {
                form.getChoices().put(field.name(), choices.concepts());
                errors.add(field.termField(), "More than one " + field.noun() + " matches ‘" + term.trim()
                        + "’: choose one from the list");
                yield null;
            }
            case Refused refused -> {
                errors.add(field.termField(), refused.message());
                yield null;
            }
        };
    }

    private Resolution byCode(CodedField field, String code, SnomedRelease release) {
        if (!code.matches("\\d{6,18}")) {
            return new Refused("Choose a " + field.noun() + " from the list");
        }
        long id = Long.parseLong(code);
        int index = release.index(id);
        if (index < 0 || !release.active(index)) {
            return new Refused("Choose a " + field.noun() + " from the list: the code " + code
                    + " is not a current SNOMED CT concept");
        }
        boolean within = ImplicitValueSets.matches(ImplicitValueSets.parse(constraint(field)), release, id);
        if (!within) {
            return new Refused("‘" + release.preferredTerm(index) + "’ is not " + field.range()
                    + ": choose a " + field.noun() + " from the list");
        }
        return new Chosen(new ConceptChoice(code, release.preferredTerm(index)));
    }

    private static boolean sameTerm(String term, String code, SnomedRelease release) {
        if (!code.matches("\\d{6,18}")) {
            return false;
        }
        int index = release.index(Long.parseLong(code));
        return index >= 0 && term.trim().equalsIgnoreCase(release.preferredTerm(index));
    }

    private static ConceptChoice choice(SearchHit hit) {
        return new ConceptChoice(Long.toString(hit.conceptId()), hit.preferredTerm());
    }
}
