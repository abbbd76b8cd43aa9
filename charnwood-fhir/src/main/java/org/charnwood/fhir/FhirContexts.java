package org.charnwood.fhir;

import ca.uhn.fhir.context.FhirContext;

/** The one R4 {@link FhirContext}: building it scans every model class, so it is shared. */
public final class FhirContexts {
    private static final FhirContext R4 = FhirContext.forR4Cached();

    private FhirContexts() {
    }

    public static FhirContext r4() {
        return R4;
    }
}
