package org.charnwood.demo;

/**
 * The jobs of the trust's clinical staff. Each carries the national RBAC access role its holder would be given
 * (NHS England SDS job-role code) and, where SNOMED CT has a plain occupation concept for it, that code; roles
 * with no clean occupation concept (healthcare assistant, support worker, psychological wellbeing
 * practitioner) carry only the RBAC code and their title as text.
 */
public enum StaffRole {
    DISTRICT_NURSE("District Nurse", "224535009", "Registered nurse", "R8001", "Nurse Access Role", false),
    COMMUNITY_STAFF_NURSE("Community Staff Nurse", "224535009", "Registered nurse", "R8001", "Nurse Access Role", false),
    HEALTHCARE_ASSISTANT("Healthcare Assistant", null, null, "R8008", "Admin/Clinical Support Access Role", false),
    WARD_NURSE("Ward Sister", "224535009", "Registered nurse", "R8002", "Nurse Manager Access Role", false),
    ADVANCED_CLINICAL_PRACTITIONER("Advanced Clinical Practitioner", "224535009", "Registered nurse", "R8000",
            "Clinical Practitioner Access Role", true),
    SPECIALIST_NURSE("Clinical Nurse Specialist", "224535009", "Registered nurse", "R8001", "Nurse Access Role", false),
    CHILDRENS_NURSE("Children's Community Nurse", "224535009", "Registered nurse", "R8001", "Nurse Access Role", false),
    LEARNING_DISABILITY_NURSE("Learning Disability Nurse", "224535009", "Registered nurse", "R8001",
            "Nurse Access Role", false),
    COMMUNITY_PSYCHIATRIC_NURSE("Community Psychiatric Nurse", "224535009", "Registered nurse", "R8001",
            "Nurse Access Role", false),
    PHYSIOTHERAPIST("Physiotherapist", "36682004", "Physiotherapist", "R8003", "Health Professional Access Role", false),
    OCCUPATIONAL_THERAPIST("Occupational Therapist", "80546007", "Occupational therapist", "R8003",
            "Health Professional Access Role", false),
    SPEECH_AND_LANGUAGE_THERAPIST("Speech and Language Therapist", "159026005", "Speech and language therapist",
            "R8003", "Health Professional Access Role", false),
    CLINICAL_PSYCHOLOGIST("Clinical Psychologist", "59944000", "Psychologist", "R8003",
            "Health Professional Access Role", false),
    PSYCHOLOGICAL_WELLBEING_PRACTITIONER("Psychological Wellbeing Practitioner", null, null, "R8003",
            "Health Professional Access Role", false),
    CONSULTANT_PSYCHIATRIST("Consultant Psychiatrist", "80584001", "Psychiatrist", "R8000",
            "Clinical Practitioner Access Role", true),
    CONSULTANT_PAEDIATRICIAN("Consultant Community Paediatrician", "82296001", "Paediatrician", "R8000",
            "Clinical Practitioner Access Role", true),
    SOCIAL_WORKER("Approved Mental Health Professional", "106328005", "Social worker", "R8014",
            "Social Worker Access Role", false),
    SUPPORT_WORKER("Support Worker", null, null, "R8008", "Admin/Clinical Support Access Role", false);

    private final String title;
    private final String snomedCode;
    private final String snomedDisplay;
    private final String jobRoleCode;
    private final String jobRoleDisplay;
    private final boolean prescriber;

    StaffRole(String title, String snomedCode, String snomedDisplay, String jobRoleCode, String jobRoleDisplay,
              boolean prescriber) {
        this.title = title;
        this.snomedCode = snomedCode;
        this.snomedDisplay = snomedDisplay;
        this.jobRoleCode = jobRoleCode;
        this.jobRoleDisplay = jobRoleDisplay;
        this.prescriber = prescriber;
    }

    public String title() {
        return title;
    }

    /** The SNOMED CT occupation, or null where there is no plain one. */
    public Code occupation() {
        return snomedCode == null ? null : Code.snomed(snomedCode, snomedDisplay);
    }

    public Code jobRole() {
        return new Code(UkCore.SDS_JOB_ROLE_SYSTEM, jobRoleCode, jobRoleDisplay);
    }

    /** Whether generated MedicationRequests may name this role as requester. */
    public boolean prescriber() {
        return prescriber;
    }

    /** Registered professionals carry a professional title in their name ("Dr" for doctors only). */
    boolean doctor() {
        return this == CONSULTANT_PSYCHIATRIST || this == CONSULTANT_PAEDIATRICIAN;
    }
}
