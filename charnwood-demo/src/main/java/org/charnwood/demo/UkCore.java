package org.charnwood.demo;

/**
 * Canonical URLs from HL7 UK Core 2.0.2 ({@code fhir.r4.ukcore.stu2}) that the generated resources use.
 * Only profiles that exist in that release are claimed; EpisodeOfCare, CarePlan and CareTeam have none there.
 */
public final class UkCore {
    private static final String SD = "https://fhir.hl7.org.uk/StructureDefinition/";
    private static final String CS = "https://fhir.hl7.org.uk/CodeSystem/";

    public static final String PATIENT = SD + "UKCore-Patient";
    public static final String ORGANIZATION = SD + "UKCore-Organization";
    public static final String LOCATION = SD + "UKCore-Location";
    public static final String HEALTHCARE_SERVICE = SD + "UKCore-HealthcareService";
    public static final String PRACTITIONER = SD + "UKCore-Practitioner";
    public static final String PRACTITIONER_ROLE = SD + "UKCore-PractitionerRole";
    public static final String ENCOUNTER = SD + "UKCore-Encounter";
    public static final String CONDITION = SD + "UKCore-Condition";
    public static final String OBSERVATION = SD + "UKCore-Observation";
    public static final String ALLERGY_INTOLERANCE = SD + "UKCore-AllergyIntolerance";
    public static final String MEDICATION_REQUEST = SD + "UKCore-MedicationRequest";
    public static final String APPOINTMENT = SD + "UKCore-Appointment";
    public static final String SERVICE_REQUEST = SD + "UKCore-ServiceRequest";

    public static final String EXT_NHS_NUMBER_VERIFICATION = SD + "Extension-UKCore-NHSNumberVerificationStatus";
    public static final String EXT_ETHNIC_CATEGORY = SD + "Extension-UKCore-EthnicCategory";
    public static final String EXT_DELIVERY_CHANNEL = SD + "Extension-UKCore-DeliveryChannel";
    public static final String EXT_ADMISSION_METHOD = SD + "Extension-UKCore-AdmissionMethod";
    public static final String EXT_DISCHARGE_METHOD = SD + "Extension-UKCore-DischargeMethod";

    public static final String CS_NHS_NUMBER_VERIFICATION = CS + "UKCore-NHSNumberVerificationStatusEngland";
    public static final String CS_ETHNIC_CATEGORY = CS + "UKCore-EthnicCategoryEngland";
    public static final String CS_PRACTICE_SETTING = CS + "UKCore-PracticeSettingCode";
    public static final String CS_DELIVERY_CHANNEL = CS + "UKCore-DeliveryChannel";
    public static final String CS_ADMISSION_METHOD = CS + "UKCore-AdmissionMethodEngland";
    public static final String CS_DISCHARGE_METHOD = CS + "UKCore-DischargeMethodEngland";
    public static final String CS_DISCHARGE_DESTINATION = CS + "UKCore-DischargeDestinationEngland";

    /** Base R4 vital-signs profiles, claimed beside UKCore-Observation because the observations meet them too. */
    public static final String VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String ODS_ORGANIZATION_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String ODS_SITE_SYSTEM = "https://fhir.nhs.uk/Id/ods-site-code";
    /** NHS England's national job-role (RBAC) codes, as its implementation guide names them for PractitionerRole.code. */
    public static final String SDS_JOB_ROLE_SYSTEM = "https://fhir.nhs.uk/CodeSystem/England-SDS-JobRoleCode";

    private UkCore() {
    }
}
