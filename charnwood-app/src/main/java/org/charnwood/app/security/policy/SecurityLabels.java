package org.charnwood.app.security.policy;

import org.charnwood.fhir.search.AccessScope.Label;

import java.util.Set;

/**
 * The {@code meta.security} labels the policy acts on. Confidentiality is HL7 v3 Confidentiality ({@code R}
 * restricted, {@code V} very restricted). Sealed sensitive categories are HL7 v3 ActCode sensitivity codes
 * where one exists ({@code SEX}, {@code HIV}, {@code PSY}, {@code SDV}, {@code ETH}); gender reassignment and
 * safeguarding have no ActCode, so they are Charnwood codes. Information not yet released to the patient is
 * labelled with the v3 ActCode obligation {@code NOPAT} or the Charnwood code {@code withheld-from-patient}.
 */
public final class SecurityLabels {

    public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String CHARNWOOD = "https://charnwood.nhs.example/fhir/CodeSystem/access-label";

    public static final Label RESTRICTED = new Label(CONFIDENTIALITY, "R");
    public static final Label VERY_RESTRICTED = new Label(CONFIDENTIALITY, "V");

    /** Sealed categories: hidden from anyone whose role does not permit restricted information. */
    public static final Set<Label> SENSITIVE_CATEGORIES = Set.of(
            new Label(ACT_CODE, "SEX"), new Label(ACT_CODE, "HIV"), new Label(ACT_CODE, "PSY"),
            new Label(ACT_CODE, "SDV"), new Label(ACT_CODE, "ETH"),
            new Label(CHARNWOOD, "gender-reassignment"), new Label(CHARNWOOD, "safeguarding"));

    /** Not (yet) released to the patient or those acting for them. */
    public static final Set<Label> WITHHELD_FROM_PATIENT = Set.of(
            new Label(ACT_CODE, "NOPAT"), new Label(CHARNWOOD, "withheld-from-patient"));

    private SecurityLabels() {
    }
}
