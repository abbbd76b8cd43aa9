package org.charnwood.app.security.policy;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.search.AccessScope.Label;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code meta.security} labels the policy acts on. Confidentiality is HL7 v3 Confidentiality ({@code R}
 * restricted, {@code V} very restricted). Sealed sensitive categories are the HL7 v3 ActCode information
 * sensitivity policy codes (InformationSensitivityPolicy: sexual health, substance use, HIV, mental health,
 * genetic information...); gender reassignment and safeguarding have no ActCode, so they are Charnwood codes.
 * Information not yet released to the patient is labelled with the v3 ActCode obligation {@code NOPAT} or the
 * Charnwood code {@code withheld-from-patient}.
 *
 * <p>Each HL7 code system is recognised under every name it has been published with (its terminology.hl7.org
 * URI, its OID and the older hl7.org/fhir/v3 URI), since a label under another of its names is the same label.
 * A write carrying a label in one of these systems, or a system-less label, that this class does not know is
 * refused ({@link #requireKnown}): stored, it would look protected and protect nothing.
 */
public final class SecurityLabels {

    public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String CHARNWOOD = "https://charnwood.nhs.example/fhir/CodeSystem/access-label";

    /** The names of HL7 v3 Confidentiality. */
    static final List<String> CONFIDENTIALITY_SYSTEMS = List.of(CONFIDENTIALITY, "urn:oid:2.16.840.1.113883.5.25",
            "http://hl7.org/fhir/v3/Confidentiality");
    /** The names of HL7 v3 ActCode. */
    static final List<String> ACT_CODE_SYSTEMS = List.of(ACT_CODE, "urn:oid:2.16.840.1.113883.5.4",
            "http://hl7.org/fhir/v3/ActCode");

    /** Restricted, under each name of its system. */
    public static final Set<Label> RESTRICTED = inEach(CONFIDENTIALITY_SYSTEMS, Set.of("R"));
    /** Very restricted, under each name of its system. */
    public static final Set<Label> VERY_RESTRICTED = inEach(CONFIDENTIALITY_SYSTEMS, Set.of("V"));

    /**
     * The v3 ActCode information sensitivity policy codes the trust seals: behavioural and mental health
     * ({@code BH}, {@code PSY}, {@code PSYTHPN}), substance use ({@code ETH}, {@code SUD}, {@code OUD},
     * {@code DRGIS}), sexual and reproductive health ({@code SEX}, {@code STD}, {@code PREGIS}), abuse
     * ({@code SDV}, {@code MST}), {@code HIV}, genetic information ({@code GDIS}), sickle cell ({@code SCA}),
     * specially protected and taboo information ({@code SPI}, {@code TBOO}). All hide alike: the trust has one
     * sealed category, opened by the roles that may see restricted information.
     */
    static final Set<String> SENSITIVITY_CODES = Set.of("BH", "PSY", "PSYTHPN", "ETH", "SUD", "OUD", "DRGIS", "SEX",
            "STD", "PREGIS", "SDV", "MST", "HIV", "GDIS", "SCA", "SPI", "TBOO");

    /** Sealed categories: hidden from anyone whose role does not permit restricted information. */
    public static final Set<Label> SENSITIVE_CATEGORIES = union(inEach(ACT_CODE_SYSTEMS, SENSITIVITY_CODES),
            Set.of(new Label(CHARNWOOD, "gender-reassignment"), new Label(CHARNWOOD, "safeguarding")));

    /** Not (yet) released to the patient or those acting for them. */
    public static final Set<Label> WITHHELD_FROM_PATIENT = union(inEach(ACT_CODE_SYSTEMS, Set.of("NOPAT")),
            Set.of(new Label(CHARNWOOD, "withheld-from-patient")));

    /** Confidentiality codes that hide nothing: unrestricted, low, moderate and normal. */
    private static final Set<String> OPEN_CONFIDENTIALITY = Set.of("U", "L", "M", "N");

    private SecurityLabels() {
    }

    /**
     * Refuses (422) a resource carrying a {@code meta.security} coding without a system, or with a code this policy
     * does not know from HL7 v3 Confidentiality, v3 ActCode or the Charnwood access labels. Other systems (such as
     * v3 ObservationValue integrity or handling codes) are not confidentiality or sensitivity labels and pass.
     */
    public static void requireKnown(Resource content) {
        if (content == null || !content.hasMeta()) {
            return;
        }
        for (Coding label : content.getMeta().getSecurity()) {
            String system = label.getSystem();
            String code = label.getCode();
            if (system == null || system.isBlank() || code == null) {
                throw unknown("A security label (meta.security) must have both a system and a code, so the record "
                        + "is protected as it says; this one has " + (code == null ? "no code" : "no system"));
            }
            boolean known;
            if (CONFIDENTIALITY_SYSTEMS.contains(system)) {
                known = OPEN_CONFIDENTIALITY.contains(code) || "R".equals(code) || "V".equals(code);
            } else if (ACT_CODE_SYSTEMS.contains(system) || CHARNWOOD.equals(system)) {
                Label l = new Label(system, code);
                known = SENSITIVE_CATEGORIES.contains(l) || WITHHELD_FROM_PATIENT.contains(l);
            } else {
                continue;
            }
            if (!known) {
                throw unknown("The security label " + system + "#" + code + " is not one this record system "
                        + "enforces, so it would protect nothing. Use confidentiality R or V, one of the sensitivity "
                        + "codes " + new java.util.TreeSet<>(SENSITIVITY_CODES) + " of v3 ActCode, NOPAT, or the "
                        + "Charnwood codes gender-reassignment, safeguarding or withheld-from-patient");
            }
        }
    }

    private static FhirException unknown(String message) {
        return FhirException.unprocessable(ErrorCode.INVALID_RESOURCE, message, "meta.security");
    }

    private static Set<Label> inEach(List<String> systems, Set<String> codes) {
        Set<Label> labels = new HashSet<>();
        for (String system : systems) {
            for (String code : codes) {
                labels.add(new Label(system, code));
            }
        }
        return Set.copyOf(labels);
    }

    private static Set<Label> union(Set<Label> a, Set<Label> b) {
        Set<Label> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
