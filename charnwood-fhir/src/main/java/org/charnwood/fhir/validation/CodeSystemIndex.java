package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The codes of one local, complete code system, for membership checks. */
final class CodeSystemIndex {
    final String url;
    private final boolean caseSensitive;
    /** The codes as the code system writes them, for expanding value sets. */
    private final Set<String> codes = new HashSet<>();
    /** The codes as compared: lower-cased when the code system is not case sensitive. */
    private final Set<String> comparable;

    private CodeSystemIndex(String url, boolean caseSensitive) {
        this.url = url;
        this.caseSensitive = caseSensitive;
        this.comparable = caseSensitive ? codes : new HashSet<>();
    }

    /** Null when the code system does not list all its codes (fragments, examples, supplements). */
    static CodeSystemIndex of(CodeSystem cs) {
        if (cs.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE || cs.getConcept().isEmpty()) {
            return null;
        }
        // A code system that does not say is treated as case sensitive, the FHIR default.
        boolean caseSensitive = !cs.hasCaseSensitive() || cs.getCaseSensitive();
        CodeSystemIndex index = new CodeSystemIndex(cs.getUrl(), caseSensitive);
        index.addAll(cs.getConcept());
        return index;
    }

    private void addAll(Iterable<ConceptDefinitionComponent> concepts) {
        for (ConceptDefinitionComponent concept : concepts) {
            if (concept.hasCode()) {
                codes.add(concept.getCode());
                if (!caseSensitive) {
                    comparable.add(normal(concept.getCode()));
                }
            }
            addAll(concept.getConcept());
        }
    }

    boolean contains(String code) {
        return code != null && comparable.contains(normal(code));
    }

    Set<String> codes() {
        return codes;
    }

    private String normal(String code) {
        return caseSensitive ? code : code.toLowerCase(Locale.ROOT);
    }
}
