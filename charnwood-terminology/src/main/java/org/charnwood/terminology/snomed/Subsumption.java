package org.charnwood.terminology.snomed;

/** How two concepts relate in the |is a| hierarchy: the outcomes of FHIR's CodeSystem $subsumes. */
public enum Subsumption {
    EQUIVALENT("equivalent"),
    SUBSUMES("subsumes"),
    SUBSUMED_BY("subsumed-by"),
    NOT_SUBSUMED("not-subsumed");

    private final String code;

    Subsumption(String code) {
        this.code = code;
    }

    /** The FHIR concept-subsumption-outcome code. */
    public String code() {
        return code;
    }
}
