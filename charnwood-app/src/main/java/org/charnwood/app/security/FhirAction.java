package org.charnwood.app.security;

/** The FHIR interactions the access policy tells apart, each with the SMART scope letter it needs. */
public enum FhirAction {
    READ('r'), VREAD('r'), SEARCH('s'), HISTORY('r'), EVERYTHING('r'),
    CREATE('c'), UPDATE('u'), PATCH('u'), DELETE('d'), IMPORT('c');

    private final char scopeLetter;

    FhirAction(char scopeLetter) {
        this.scopeLetter = scopeLetter;
    }

    /** The SMART v2 permission letter ({@code c r u d s}) the interaction needs. */
    public char scopeLetter() {
        return scopeLetter;
    }

    public boolean writes() {
        return this == CREATE || this == UPDATE || this == PATCH || this == DELETE || this == IMPORT;
    }
}
