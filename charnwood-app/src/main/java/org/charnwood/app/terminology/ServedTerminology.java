package org.charnwood.app.terminology;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.dmd.DmdProducts;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The releases served at one moment, swapped as a whole after a reload so a request never sees SNOMED CT from
 * one load and dm+d from another.
 *
 * @param snomed         the SNOMED CT release in memory, or null when none is loaded
 * @param snomedComplete whether a code missing from {@code snomed} is really not SNOMED CT (false for the
 *                       sample plus demo code list, which holds only a few codes)
 * @param dmd            the dm+d products ({@link DmdProducts#empty()} when none is loaded)
 * @param dmdComplete    whether a code missing from {@code dmd} is really not a dm+d product (false for the sample)
 */
public record ServedTerminology(SnomedRelease snomed, boolean snomedComplete, DmdProducts dmd, boolean dmdComplete) {

    public static final String SNOMED_SYSTEM = "http://snomed.info/sct";
    public static final String DMD_SYSTEM = "https://dmd.nhs.uk";

    /** The SNOMED CT release, or 503 when none is loaded. */
    public SnomedRelease requireSnomed() {
        if (snomed == null) {
            throw FhirException.of(503, ErrorCode.TERMINOLOGY_NOT_LOADED, IssueType.NOTFOUND,
                    "no SNOMED CT release is loaded: see ./charnwood terminology load");
        }
        return snomed;
    }

    /** The dm+d products, or 503 when none is loaded. */
    public DmdProducts requireDmd() {
        if (dmd == null || dmd.release() == null) {
            throw FhirException.of(503, ErrorCode.DMD_NO_SERVING_RELEASE, IssueType.NOTFOUND,
                    "no dm+d release is loaded: see ./charnwood terminology load");
        }
        return dmd;
    }
}
