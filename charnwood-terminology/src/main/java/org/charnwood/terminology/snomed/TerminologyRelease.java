package org.charnwood.terminology.snomed;

/**
 * Which release is served: its database id, label (release folder names), release date (YYYYMMDD) and whether
 * it is a complete edition. A partial release (the demo code list) knows displays for some codes but cannot say
 * that any other code does not exist, so binding checks against it should only warn.
 */
public record TerminologyRelease(int releaseId, String label, int effectiveTime, boolean complete) {

    public boolean isComplete() {
        return complete;
    }
}
