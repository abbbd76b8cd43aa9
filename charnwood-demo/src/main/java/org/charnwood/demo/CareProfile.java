package org.charnwood.demo;

import java.util.List;

import static org.charnwood.demo.ClinicalCodes.*;

/**
 * The kinds of patient a community and mental-health trust sees, with the services each tends to use and the
 * conditions each tends to have. A patient's profile decides their age, their episodes of care and their
 * problem list; weights give a caseload mix close to a real trust's (older people with long-term conditions
 * dominate community services, working-age adults mental health).
 */
enum CareProfile {
    FRAIL_OLDER_ADULT(70, 99, 0.6, 26, TrustService.DISTRICT_NURSING,
            List.of(new Chance<>(TrustService.COMMUNITY_THERAPY, 0.45),
                    new Chance<>(TrustService.URGENT_COMMUNITY_RESPONSE, 0.30),
                    new Chance<>(TrustService.INTERMEDIATE_CARE, 0.25),
                    new Chance<>(TrustService.COMMUNITY_INPATIENTS, 0.15),
                    new Chance<>(TrustService.MEMORY_ASSESSMENT, 0.08)),
            List.of(PRESSURE_ULCER, HEART_FAILURE, COPD, DEMENTIA, STROKE),
            List.of(new Chance<>(HYPERTENSION, 0.6), new Chance<>(TYPE_2_DIABETES, 0.3),
                    new Chance<>(ATRIAL_FIBRILLATION, 0.25), new Chance<>(CKD_STAGE_3, 0.25),
                    new Chance<>(OSTEOARTHRITIS_KNEE, 0.35), new Chance<>(OSTEOPOROSIS, 0.2),
                    new Chance<>(OEDEMA, 0.2), new Chance<>(CHRONIC_PAIN, 0.2), new Chance<>(CELLULITIS, 0.1),
                    new Chance<>(CYSTITIS, 0.12), new Chance<>(PNEUMONIA, 0.08), new Chance<>(PARKINSONS, 0.05),
                    new Chance<>(ANAEMIA, 0.1), new Chance<>(SOCIAL_ISOLATION, 0.15))),
    LONG_TERM_CONDITION(45, 90, 0.5, 14, null,
            List.of(new Chance<>(TrustService.DISTRICT_NURSING, 0.2),
                    new Chance<>(TrustService.COMMUNITY_THERAPY, 0.2),
                    new Chance<>(TrustService.URGENT_COMMUNITY_RESPONSE, 0.12)),
            List.of(HEART_FAILURE, CHRONIC_CONGESTIVE_HEART_FAILURE, COPD, COPD, ASTHMA),
            List.of(new Chance<>(HYPERTENSION, 0.5), new Chance<>(TYPE_2_DIABETES, 0.3),
                    new Chance<>(ISCHAEMIC_HEART_DISEASE, 0.25), new Chance<>(ATRIAL_FIBRILLATION, 0.2),
                    new Chance<>(OBESITY, 0.25), new Chance<>(DYSPNOEA, 0.3), new Chance<>(CKD_STAGE_3, 0.15),
                    new Chance<>(ANXIETY_DISORDER, 0.1))),
    CHILD_PHYSICAL_HEALTH(0, 17, 0.5, 5, TrustService.CHILDRENS_COMMUNITY_NURSING,
            List.of(new Chance<>(TrustService.NEURODEVELOPMENTAL, 0.1)),
            List.of(ASTHMA, EPILEPSY, CEREBRAL_PALSY),
            List.of(new Chance<>(ASTHMA, 0.15), new Chance<>(EPILEPSY, 0.1))),
    CHILD_NEURODEVELOPMENTAL(3, 16, 0.3, 6, TrustService.NEURODEVELOPMENTAL,
            List.of(new Chance<>(TrustService.CAMHS, 0.2)),
            List.of(AUTISM, ADHD, AUTISM),
            List.of(new Chance<>(ADHD, 0.25), new Chance<>(ANXIETY_DISORDER, 0.2),
                    new Chance<>(SLEEP_DISORDER, 0.15))),
    YOUNG_PERSON_MENTAL_HEALTH(11, 17, 0.6, 6, TrustService.CAMHS, List.of(),
            List.of(ANXIETY_DISORDER, DEPRESSIVE_DISORDER, EATING_DISORDER, ANOREXIA_NERVOSA),
            List.of(new Chance<>(ADHD, 0.1), new Chance<>(AUTISM, 0.1), new Chance<>(SLEEP_DISORDER, 0.1))),
    LEARNING_DISABILITY(18, 70, 0.45, 4, TrustService.LEARNING_DISABILITY,
            List.of(new Chance<>(TrustService.DISTRICT_NURSING, 0.1),
                    new Chance<>(TrustService.COMMUNITY_MENTAL_HEALTH, 0.1)),
            List.of(INTELLECTUAL_DISABILITY),
            List.of(new Chance<>(DOWN_SYNDROME, 0.2), new Chance<>(EPILEPSY, 0.25), new Chance<>(AUTISM, 0.3),
                    new Chance<>(OBESITY, 0.2), new Chance<>(ANXIETY_DISORDER, 0.15))),
    COMMON_MENTAL_HEALTH(18, 75, 0.62, 16, TrustService.TALKING_THERAPIES,
            List.of(new Chance<>(TrustService.COMMUNITY_MENTAL_HEALTH, 0.08)),
            List.of(ANXIETY_DISORDER, DEPRESSIVE_DISORDER, PANIC, PTSD, MAJOR_DEPRESSION),
            List.of(new Chance<>(SLEEP_DISORDER, 0.2), new Chance<>(STRESS, 0.3), new Chance<>(CHRONIC_PAIN, 0.1),
                    new Chance<>(ALCOHOLISM, 0.05))),
    SEVERE_MENTAL_ILLNESS(18, 75, 0.45, 12, TrustService.COMMUNITY_MENTAL_HEALTH,
            List.of(new Chance<>(TrustService.CRISIS, 0.35),
                    new Chance<>(TrustService.MENTAL_HEALTH_INPATIENTS, 0.15)),
            List.of(SCHIZOPHRENIA, BIPOLAR, PSYCHOTIC_DISORDER, MAJOR_DEPRESSION),
            List.of(new Chance<>(ANXIETY_DISORDER, 0.2), new Chance<>(ALCOHOLISM, 0.12),
                    new Chance<>(OBESITY, 0.2), new Chance<>(TYPE_2_DIABETES, 0.1),
                    new Chance<>(SOCIAL_ISOLATION, 0.2))),
    MEMORY(65, 95, 0.6, 9, TrustService.MEMORY_ASSESSMENT,
            List.of(new Chance<>(TrustService.DISTRICT_NURSING, 0.2),
                    new Chance<>(TrustService.COMMUNITY_THERAPY, 0.1)),
            List.of(DEMENTIA, ALZHEIMERS, ALZHEIMERS),
            List.of(new Chance<>(HYPERTENSION, 0.5), new Chance<>(DEPRESSIVE_DISORDER, 0.15),
                    new Chance<>(TYPE_2_DIABETES, 0.2), new Chance<>(STROKE, 0.1)));

    private final int minAge;
    private final int maxAge;
    private final double femaleShare;
    private final int weight;
    private final TrustService mainService;
    private final List<Chance<TrustService>> otherServices;
    private final List<Code> mainConditions;
    private final List<Chance<Code>> otherConditions;

    CareProfile(int minAge, int maxAge, double femaleShare, int weight, TrustService mainService,
                List<Chance<TrustService>> otherServices, List<Code> mainConditions,
                List<Chance<Code>> otherConditions) {
        this.minAge = minAge;
        this.maxAge = maxAge;
        this.femaleShare = femaleShare;
        this.weight = weight;
        this.mainService = mainService;
        this.otherServices = otherServices;
        this.mainConditions = mainConditions;
        this.otherConditions = otherConditions;
    }

    int minAge() {
        return minAge;
    }

    int maxAge() {
        return maxAge;
    }

    double femaleShare() {
        return femaleShare;
    }

    int weight() {
        return weight;
    }

    /** The service that brought the patient to the trust; for long-term conditions it follows the condition. */
    TrustService mainService(Code mainCondition) {
        if (mainService != null) {
            return mainService;
        }
        return mainCondition == COPD || mainCondition == ASTHMA ? TrustService.RESPIRATORY : TrustService.HEART_FAILURE;
    }

    List<Chance<TrustService>> otherServices() {
        return otherServices;
    }

    List<Code> mainConditions() {
        return mainConditions;
    }

    List<Chance<Code>> otherConditions() {
        return otherConditions;
    }

    boolean child() {
        return maxAge < 18;
    }

    /** Something that happens to a patient with the given probability. */
    record Chance<T>(T what, double probability) {
    }
}
