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

    static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }
}
