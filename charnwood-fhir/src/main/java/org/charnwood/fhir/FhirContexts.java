package org.charnwood.fhir;

import ca.uhn.fhir.context.FhirContext;

/** The one R4 {@link FhirContext}: building it scans every model class, so it is shared. */
public final class FhirContexts {
    private static final FhirContext R4 = create();

    private FhirContexts() {
    }

    private static FhirContext create() {
        FhirContext ctx = FhirContext.forR4Cached();
        // Store and return exactly what was sent: HAPI would otherwise move referenced resources
        // without ids into "contained" when encoding, and give bundle entries their fullUrl as id.
        ctx.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        ctx.getParserOptions().setOverrideResourceIdWithBundleEntryFullUrl(false);
        // HAPI would also drop "/_history/n" from every reference it encodes; a version-specific reference (as
        // Provenance.target usually is) means that version, so it is kept as sent.
        ctx.getParserOptions().setStripVersionsFromReferences(false);
        return ctx;
    }

    public static FhirContext r4() {
        return R4;
    }
}
