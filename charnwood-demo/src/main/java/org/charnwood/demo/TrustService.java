package org.charnwood.demo;

/**
 * The clinical services the trust runs, each published as a HealthcareService with the stable id
 * {@code HealthcareService/<slug>}. The specialty is the UK Core practice-setting (main specialty) code that
 * commissioners would see the service's activity under.
 */
public enum TrustService {
    DISTRICT_NURSING("district-nursing", "District Nursing", Division.COMMUNITY_HEALTH, "950", "Nursing"),
    COMMUNITY_THERAPY("community-therapy", "Community Therapy (Physiotherapy and Occupational Therapy)",
            Division.COMMUNITY_HEALTH, "960", "Allied Health Professional"),
    URGENT_COMMUNITY_RESPONSE("urgent-community-response", "Urgent Community Response (2-hour)",
            Division.COMMUNITY_HEALTH, "950", "Nursing"),
    INTERMEDIATE_CARE("intermediate-care", "Intermediate Care and Reablement", Division.COMMUNITY_HEALTH,
            "314", "Rehabilitation Medicine"),
    HEART_FAILURE("heart-failure", "Community Heart Failure Service", Division.COMMUNITY_HEALTH, "320",
            "Cardiology"),
    RESPIRATORY("respiratory", "Community Respiratory Service", Division.COMMUNITY_HEALTH, "340",
            "Respiratory Medicine"),
    COMMUNITY_INPATIENTS("community-inpatients", "Community Hospital Inpatient Wards", Division.COMMUNITY_HEALTH,
            "430", "Geriatric Medicine"),
    CHILDRENS_COMMUNITY_NURSING("childrens-community-nursing", "Children's Community Nursing",
            Division.FAMILIES_YOUNG_PEOPLE_LEARNING_DISABILITY, "420", "Paediatrics"),
    CAMHS("camhs", "Child and Adolescent Mental Health Services (CAMHS)",
            Division.FAMILIES_YOUNG_PEOPLE_LEARNING_DISABILITY, "711", "Child and Adolescent Psychiatry"),
    NEURODEVELOPMENTAL("neurodevelopmental-assessment", "Neurodevelopmental Assessment Service",
            Division.FAMILIES_YOUNG_PEOPLE_LEARNING_DISABILITY, "420", "Paediatrics"),
    LEARNING_DISABILITY("learning-disability", "Community Learning Disability Service",
            Division.FAMILIES_YOUNG_PEOPLE_LEARNING_DISABILITY, "700", "Learning Disability"),
    COMMUNITY_MENTAL_HEALTH("community-mental-health", "Community Mental Health Teams", Division.MENTAL_HEALTH,
            "710", "Adult Mental Illness"),
    MEMORY_ASSESSMENT("memory-assessment", "Memory Assessment Service", Division.MENTAL_HEALTH, "715",
            "Old Age Psychiatry"),
    TALKING_THERAPIES("talking-therapies", "NHS Talking Therapies", Division.MENTAL_HEALTH, "713",
            "Medical Psychotherapy"),
    CRISIS("crisis-resolution", "Crisis Resolution and Home Treatment", Division.MENTAL_HEALTH, "710",
            "Adult Mental Illness"),
    MENTAL_HEALTH_INPATIENTS("mental-health-inpatients", "Mental Health Inpatient Wards", Division.MENTAL_HEALTH,
            "710", "Adult Mental Illness");

    private final String slug;
    private final String label;
    private final Division division;
    private final String specialtyCode;
    private final String specialtyDisplay;

    TrustService(String slug, String label, Division division, String specialtyCode, String specialtyDisplay) {
        this.slug = slug;
        this.label = label;
        this.division = division;
        this.specialtyCode = specialtyCode;
        this.specialtyDisplay = specialtyDisplay;
    }

    public String slug() {
        return slug;
    }

    public String label() {
        return label;
    }

    public Division division() {
        return division;
    }

    /** Stable logical id of the service's HealthcareService. */
    public String healthcareServiceId() {
        return slug;
    }

    public Code specialty() {
        return new Code(UkCore.CS_PRACTICE_SETTING, specialtyCode, specialtyDisplay);
    }

    /** Services whose patients are admitted to a bed rather than seen at home or in clinic. */
    public boolean inpatient() {
        return this == COMMUNITY_INPATIENTS || this == MENTAL_HEALTH_INPATIENTS;
    }

    public boolean mentalHealth() {
        return division == Division.MENTAL_HEALTH || this == CAMHS;
    }
}
