package org.charnwood.terminology.snomed;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The RF2 snapshot files the loader reads, each recognised by its file-name pattern (the same pattern matches the
 * International, UK clinical, UK drug and monolith file names) and checked against its exact column header.
 */
public enum Rf2Kind {
    CONCEPT("sct2_Concept_\\w*Snapshot", true,
            "id", "effectiveTime", "active", "moduleId", "definitionStatusId"),
    DESCRIPTION("sct2_Description_\\w*Snapshot", true,
            "id", "effectiveTime", "active", "moduleId", "conceptId", "languageCode", "typeId", "term",
            "caseSignificanceId"),
    RELATIONSHIP("sct2_Relationship_\\w*Snapshot", true,
            "id", "effectiveTime", "active", "moduleId", "sourceId", "destinationId", "relationshipGroup", "typeId",
            "characteristicTypeId", "modifierId"),
    CONCRETE_VALUE("sct2_RelationshipConcreteValues_\\w*Snapshot", false,
            "id", "effectiveTime", "active", "moduleId", "sourceId", "value", "relationshipGroup", "typeId",
            "characteristicTypeId", "modifierId"),
    LANGUAGE("der2_cRefset_Language\\w*Snapshot", true,
            "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId", "acceptabilityId"),
    SIMPLE_REFSET("der2_Refset_Simple\\w*Snapshot", false,
            "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId"),
    ASSOCIATION("der2_cRefset_Association\\w*Snapshot", false,
            "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId", "targetComponentId"),
    SIMPLE_MAP("der2_sRefset_SimpleMap\\w*Snapshot", false,
            "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId", "mapTarget"),
    COMPLEX_MAP("der2_iisssc\\w*Refset_ComplexMap\\w*Snapshot", false,
            "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId", "mapGroup",
            "mapPriority", "mapRule", "mapAdvice", "mapTarget", "correlationId"),
    EXTENDED_MAP("der2_iissscc\\w*Refset_ExtendedMap\\w*Snapshot", false,
            "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId", "mapGroup",
            "mapPriority", "mapRule", "mapAdvice", "mapTarget", "correlationId", "mapCategoryId");

    private final Pattern name;
    private final boolean required;
    private final List<String> columns;

    Rf2Kind(String namePattern, boolean required, String... columns) {
        this.name = Pattern.compile("^" + namePattern + "[-_].*\\.txt$");
        this.required = required;
        this.columns = List.of(columns);
    }

    /** Whether a release without a file of this kind is refused (a release must have concepts, terms and a hierarchy). */
    public boolean required() {
        return required;
    }

    public List<String> columns() {
        return columns;
    }

    /** The kind of an RF2 file from its name (without folders), or null for a file the loader does not read. */
    public static Rf2Kind of(String fileName) {
        for (Rf2Kind kind : values()) {
            if (kind.name.matcher(fileName).matches()) {
                return kind;
            }
        }
        return null;
    }

    String pattern() {
        return name.pattern();
    }
}
