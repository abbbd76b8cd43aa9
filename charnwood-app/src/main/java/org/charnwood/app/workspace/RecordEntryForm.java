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
