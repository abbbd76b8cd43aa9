package org.charnwood.demo;

/**
 * The SNOMED CT, LOINC and HL7 codes the generated records use. Every SNOMED CT code here is a real,
 * long-standing International or UK concept; the vital-sign and NEWS2 codes follow UK Core's value sets.
 * Displays are preferred terms without the semantic tag.
 */
final class ClinicalCodes {
    private ClinicalCodes() {
    }

    // Conditions (clinical findings and disorders).
    static final Code TYPE_2_DIABETES = Code.snomed("44054006", "Type 2 diabetes mellitus");
    static final Code HYPERTENSION = Code.snomed("38341003", "Hypertension");
    static final Code HEART_FAILURE = Code.snomed("84114007", "Heart failure");
    static final Code CHRONIC_CONGESTIVE_HEART_FAILURE = Code.snomed("88805009", "Chronic congestive heart failure");
    static final Code COPD = Code.snomed("13645005", "Chronic obstructive lung disease");
    static final Code ASTHMA = Code.snomed("195967001", "Asthma");
    static final Code ATRIAL_FIBRILLATION = Code.snomed("49436004", "Atrial fibrillation");
    static final Code ISCHAEMIC_HEART_DISEASE = Code.snomed("414545008", "Ischemic heart disease");
    static final Code CKD_STAGE_3 = Code.snomed("433144002", "Chronic kidney disease stage 3");
    static final Code STROKE = Code.snomed("230690007", "Cerebrovascular accident");
    static final Code OSTEOARTHRITIS_KNEE = Code.snomed("239873007", "Osteoarthritis of knee");
    static final Code OSTEOPOROSIS = Code.snomed("64859006", "Osteoporosis");
    static final Code PARKINSONS = Code.snomed("49049000", "Parkinson's disease");
    static final Code PRESSURE_ULCER = Code.snomed("399912005", "Pressure ulcer");
    static final Code CELLULITIS = Code.snomed("128045006", "Cellulitis");
    static final Code PNEUMONIA = Code.snomed("233604007", "Pneumonia");
    static final Code CYSTITIS = Code.snomed("307426000", "Acute infective cystitis");
    static final Code OEDEMA = Code.snomed("267038008", "Edema");
    static final Code DYSPNOEA = Code.snomed("267036007", "Dyspnea");
    static final Code CHRONIC_PAIN = Code.snomed("82423001", "Chronic pain");
    static final Code ANAEMIA = Code.snomed("271737000", "Anemia");
    static final Code OBESITY = Code.snomed("414916001", "Obesity");
    static final Code EPILEPSY = Code.snomed("84757009", "Epilepsy");
    static final Code CEREBRAL_PALSY = Code.snomed("128188000", "Cerebral palsy");
    static final Code DEMENTIA = Code.snomed("52448006", "Dementia");
    static final Code ALZHEIMERS = Code.snomed("26929004", "Alzheimer's disease");
    static final Code DEPRESSIVE_DISORDER = Code.snomed("35489007", "Depressive disorder");
    static final Code MAJOR_DEPRESSION = Code.snomed("370143000", "Major depressive disorder");
    static final Code ANXIETY_DISORDER = Code.snomed("197480006", "Anxiety disorder");
    static final Code PANIC = Code.snomed("80583007", "Severe anxiety (panic)");
    static final Code PTSD = Code.snomed("47505003", "Posttraumatic stress disorder");
    static final Code SCHIZOPHRENIA = Code.snomed("58214004", "Schizophrenia");
    static final Code BIPOLAR = Code.snomed("13746004", "Bipolar disorder");
    static final Code PSYCHOTIC_DISORDER = Code.snomed("69322001", "Psychotic disorder");
    static final Code EATING_DISORDER = Code.snomed("72366004", "Eating disorder");
    static final Code ANOREXIA_NERVOSA = Code.snomed("56882008", "Anorexia nervosa");
    static final Code ADHD = Code.snomed("406506008", "Attention deficit hyperactivity disorder");
    static final Code AUTISM = Code.snomed("35919005", "Autism spectrum disorder");
    static final Code INTELLECTUAL_DISABILITY = Code.snomed("110359009", "Intellectual disability");
    static final Code DOWN_SYNDROME = Code.snomed("41040004", "Complete trisomy 21 syndrome");
    static final Code ALCOHOLISM = Code.snomed("7200002", "Alcoholism");
    static final Code SLEEP_DISORDER = Code.snomed("39898005", "Sleep disorder");
    static final Code STRESS = Code.snomed("73595000", "Stress");
    static final Code SOCIAL_ISOLATION = Code.snomed("422650009", "Social isolation");

    // Encounter types and procedures.
    static final Code HOME_VISIT = Code.snomed("439708006", "Home visit");
    static final Code SEEN_IN_WARD = Code.snomed("185212007", "Seen in hospital ward");
    static final Code INITIAL_ASSESSMENT = Code.snomed("315639002", "Initial patient assessment");
    static final Code FOLLOW_UP = Code.snomed("390906007", "Follow-up encounter");
    static final Code ENCOUNTER_FOR_PROBLEM = Code.snomed("185347001", "Encounter for problem");
    static final Code HOSPITAL_ADMISSION = Code.snomed("32485007", "Hospital admission");
    static final Code WOUND_CARE = Code.snomed("225358003", "Wound care");
    static final Code DRESSING_CHANGE = Code.snomed("385949008", "Dressing change management");
    static final Code PHYSIOTHERAPY = Code.snomed("91251008", "Physical therapy procedure");
    static final Code OCCUPATIONAL_THERAPY = Code.snomed("84478008", "Occupational therapy");
    static final Code CBT = Code.snomed("228557008", "Cognitive and behavioral therapy");
    static final Code INITIAL_PSYCHIATRIC_INTERVIEW = Code.snomed("79094001",
            "Initial psychiatric interview with mental status evaluation");
    static final Code PSYCHIATRIC_FOLLOW_UP = Code.snomed("88848003", "Psychiatric follow-up");
    static final Code SUICIDE_RISK_ASSESSMENT = Code.snomed("225337009", "Suicide risk assessment");
    static final Code ANXIETY_ASSESSMENT = Code.snomed("710841007", "Assessment of anxiety");
    static final Code DEMENTIA_MANAGEMENT = Code.snomed("386257007", "Dementia management");
    static final Code NEEDS_ASSESSMENT = Code.snomed("710824005", "Assessment of health and social care needs");
    static final Code DIAGNOSTIC_ASSESSMENT = Code.snomed("165197003", "Diagnostic assessment");
    static final Code PRE_DISCHARGE_ASSESSMENT = Code.snomed("225386006", "Pre-discharge assessment");
    static final Code MEDICATION_RECONCILIATION = Code.snomed("430193006", "Medication reconciliation");
    static final Code VITAL_SIGNS_TAKEN = Code.snomed("61746007", "Taking patient vital signs");
    static final Code EXERCISE_THERAPY = Code.snomed("229065009", "Exercise therapy");
    static final Code HEART_FAILURE_EDUCATION = Code.snomed("423475008", "Heart failure education");
    static final Code ASTHMA_SELF_MANAGEMENT = Code.snomed("699728000", "Asthma self management");
    static final Code COPING_SUPPORT = Code.snomed("385724002", "Coping support management");
    static final Code MEMORY_SKILLS = Code.snomed("710125008", "Promotion of use of memory skills");
    static final Code PAIN_MANAGEMENT = Code.snomed("408957008", "Chronic pain control management");
    static final Code REFERRAL_FOR_FURTHER_CARE = Code.snomed("183444007", "Referral for further care");
    static final Code PATIENT_REFERRAL = Code.snomed("3457005", "Patient referral");

    // Care plan categories.
    static final Code CARE_PLAN = Code.snomed("734163000", "Care plan");
    static final Code MENTAL_HEALTH_CARE_PLAN = Code.snomed("718347000", "Mental health care plan");
    static final Code PSYCHIATRY_CARE_PLAN = Code.snomed("736254008", "Psychiatry care plan");
    static final Code PHYSIOTHERAPY_CARE_PLAN = Code.snomed("773513001", "Physiotherapy care plan");
    static final Code HEART_FAILURE_PLAN = Code.snomed("735984001", "Heart failure self management plan");
    static final Code INPATIENT_CARE_PLAN = Code.snomed("736353004", "Inpatient care plan");
    static final Code DISCHARGE_CARE_PLAN = Code.snomed("736372004", "Discharge care plan");

    // Allergies: substances, situations and reactions.
    static final Code NO_KNOWN_DRUG_ALLERGY = Code.snomed("409137002", "No known drug allergy");
    static final Code AMOXICILLIN = Code.snomed("372687004", "Amoxicillin");
    static final Code PEANUT = Code.snomed("762952008", "Peanut");
    static final Code LATEX = Code.snomed("111088007", "Latex");
    static final Code BEE_VENOM = Code.snomed("288328004", "Bee venom");
    static final Code GRASS_POLLEN = Code.snomed("256277009", "Grass pollen");
    static final Code HOUSE_DUST_MITE = Code.snomed("260147004", "House dust mite");
    static final Code EGGS = Code.snomed("102263004", "Eggs (edible)");
    static final Code WHEAL = Code.snomed("247472004", "Wheal");
    static final Code SKIN_ERUPTION = Code.snomed("271807003", "Eruption of skin");
    static final Code ANAPHYLAXIS = Code.snomed("39579001", "Anaphylaxis");
    static final Code ITCHING = Code.snomed("418290006", "Itching");
    static final Code SNEEZING = Code.snomed("76067001", "Sneezing");

    // Vital signs (LOINC as the base R4 vital-signs profiles require, SNOMED CT as UK Core's value sets).
    static final Code RESPIRATORY_RATE_LOINC = Code.loinc("9279-1", "Respiratory rate");
    static final Code RESPIRATORY_RATE = Code.snomed("86290005", "Respiratory rate");
    static final Code HEART_RATE_LOINC = Code.loinc("8867-4", "Heart rate");
    static final Code HEART_RATE = Code.snomed("364075005", "Heart rate");
    static final Code SPO2_LOINC = Code.loinc("2708-6", "Oxygen saturation in Arterial blood");
    static final Code SPO2_PULSE_OXIMETRY_LOINC = Code.loinc("59408-5",
            "Oxygen saturation in Arterial blood by Pulse oximetry");
    static final Code SPO2 = Code.snomed("103228002", "Hemoglobin saturation with oxygen");
    static final Code BP_PANEL_LOINC = Code.loinc("85354-9", "Blood pressure panel with all children optional");
    static final Code BLOOD_PRESSURE = Code.snomed("75367002", "Blood pressure");
    static final Code SYSTOLIC_LOINC = Code.loinc("8480-6", "Systolic blood pressure");
    static final Code SYSTOLIC = Code.snomed("271649006", "Systolic blood pressure");
    static final Code DIASTOLIC_LOINC = Code.loinc("8462-4", "Diastolic blood pressure");
    static final Code DIASTOLIC = Code.snomed("271650006", "Diastolic blood pressure");
    static final Code TEMPERATURE_LOINC = Code.loinc("8310-5", "Body temperature");
    static final Code TEMPERATURE = Code.snomed("386725007", "Body temperature");
    static final Code ACVPU = Code.snomed("1104441000000107",
            "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score");
    static final Code ALERT = Code.snomed("248234008", "Mentally alert");
    static final Code NEW_CONFUSION = Code.snomed("130987000", "Acute confusion");
    static final Code RESPONDS_TO_VOICE = Code.snomed("300202002", "Responds to voice");
    static final Code BREATHING_ROOM_AIR = Code.snomed("722742002", "Breathing room air");
    static final Code ON_OXYGEN = Code.snomed("371825009", "Patient on oxygen");
    static final Code NEWS2_TOTAL = Code.snomed("1104051000000101",
            "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score");
    static final Code BODY_WEIGHT_LOINC = Code.loinc("29463-7", "Body weight");
    static final Code BODY_WEIGHT = Code.snomed("27113001", "Body weight");

    static final Code VITAL_SIGNS_CATEGORY = new Code("http://terminology.hl7.org/CodeSystem/observation-category",
            "vital-signs", "Vital Signs");
    static final Code SURVEY_CATEGORY = new Code("http://terminology.hl7.org/CodeSystem/observation-category",
            "survey", "Survey");
    static final Code PROBLEM_LIST_ITEM = new Code("http://terminology.hl7.org/CodeSystem/condition-category",
            "problem-list-item", "Problem List Item");
    static final Code ORAL_ROUTE = Code.snomed("26643006", "Oral route");
}
