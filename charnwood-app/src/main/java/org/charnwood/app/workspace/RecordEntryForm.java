package org.charnwood.app.workspace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every record entry form carries besides its fields: the version of the resource it was opened at (empty
 * for a new one), and for each coded field whose text matched several concepts, the concepts to choose from.
 */
abstract class RecordEntryForm {

    private String version;
    private final Map<String, List<ConceptChoice>> choices = new HashMap<>();

    public String getVersion() { return version; }
    public void setVersion(String v) { version = v; }

    public Map<String, List<ConceptChoice>> getChoices() {
        return choices;
    }

    static final String SNOMED = "http://snomed.info/sct";

    /**
     * The entry as it is stored now, label and value by line (blank ones left out), for the page that says
     * someone else changed it since the form was opened: shown beside what the person typed, which is kept.
     */
    abstract List<String[]> storedNow();

    /** Label and value pairs as lines, leaving out those with nothing in them. */
    static List<String[]> lines(String... labelsAndValues) {
        List<String[]> lines = new java.util.ArrayList<>();
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            String value = labelsAndValues[i + 1];
            if (value != null && !value.isBlank()) {
                lines.add(new String[]{labelsAndValues[i], value});
            }
        }
        return lines;
    }

    /** A date held as the date input's day, month and year, as the pages show dates; null when there is none. */
    static String shownDate(String day, String month, String year) {
        try {
            return day == null || month == null || year == null ? null : Text.date(java.time.LocalDate.of(
                    Integer.parseInt(year.trim()), Integer.parseInt(month.trim()), Integer.parseInt(day.trim())));
        } catch (RuntimeException e) {
            return String.join("/", day, month, year);
        }
    }

    static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    static boolean known(String value, List<String[]> options) {
        return value != null && options.stream().anyMatch(o -> o[0].equals(value));
    }

    static String label(String value, List<String[]> options) {
        return options.stream().filter(o -> o[0].equals(value)).map(o -> o[1]).findFirst().orElse(value);
    }

    static org.hl7.fhir.r4.model.Coding snomed(org.hl7.fhir.r4.model.CodeableConcept concept) {
        return concept.getCoding().stream().filter(c -> SNOMED.equals(c.getSystem())).findFirst().orElse(null);
    }

    /** A coded field's SNOMED CT code as the form holds it; null when the concept has none. */
    static String snomedCode(org.hl7.fhir.r4.model.CodeableConcept concept) {
        org.hl7.fhir.r4.model.Coding code = snomed(concept);
        return code == null ? null : code.getCode();
    }

    /** The term a coded field shows: its SNOMED CT coding's display, else the concept's text. */
    static String shownTerm(org.hl7.fhir.r4.model.CodeableConcept concept) {
        org.hl7.fhir.r4.model.Coding code = snomed(concept);
        return code != null && code.hasDisplay() ? code.getDisplay() : Text.concept(concept);
    }

    static java.time.LocalDate local(java.util.Date date) {
        return date.toInstant().atZone(Text.UK).toLocalDate();
    }

    /** The day, month and year of a date, as the date input shows them. */
    static String[] parts(java.util.Date date) {
        java.time.LocalDate d = local(date);
        return new String[]{Integer.toString(d.getDayOfMonth()), Integer.toString(d.getMonthValue()),
                Integer.toString(d.getYear())};
    }
}
