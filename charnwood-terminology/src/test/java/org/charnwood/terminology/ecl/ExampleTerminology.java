package org.charnwood.terminology.ecl;

/**
 * A hand-made terminology small enough to work every expected result out on paper:
 *
 * <pre>
 * ROOT
 * +- FINDING
 * |  +- DISEASE
 * |  |  +- HEART_DISEASE        {FINDING_SITE = HEART}
 * |  |  |  +- INFARCTION        {FINDING_SITE = HEART, MORPHOLOGY = INFARCT}
 * |  |  |  +- CARDIOPULMONARY   {FINDING_SITE = HEART, MORPHOLOGY = INFARCT} {PRIMARY_SITE = LUNG, MORPHOLOGY = INFLAMMATION}
 * |  |  +- LUNG_DISEASE          PRIMARY_SITE = LUNG, MORPHOLOGY = INFLAMMATION (both ungrouped)
 * |  |     +- CARDIOPULMONARY   (second parent)
 * |  +- FEVER
 * +- BODY_STRUCTURE: HEART, LUNG
 * +- MORPHOLOGY_ROOT: INFARCT, INFLAMMATION
 * +- PRODUCT
 * |  +- TABLET_500              {STRENGTH = #500, DOSE_FORM = "tablet"} SCORED = true
 * |  +- CAPSULE_12_5            {STRENGTH = #12.5, DOSE_FORM = "capsule"}
 * +- ATTRIBUTE: FINDING_SITE (+- PRIMARY_SITE), MORPHOLOGY, STRENGTH, DOSE_FORM, SCORED, IS_A
 * +- REFSET: PROBLEM_LIST {INFARCTION, FEVER, RETIRED}, HEART_LIST {HEART, INFARCTION}
 * RETIRED (inactive)
 * </pre>
 *
 * Braces are relationship groups 1 and 2 in order; everything else is ungrouped (group 0).
 */
final class ExampleTerminology {

    static final long ROOT = 100001;
    static final long FINDING = 100002;
    static final long DISEASE = 100003;
    static final long HEART_DISEASE = 100004;
    static final long INFARCTION = 100005;
    static final long CARDIOPULMONARY = 100006;
    static final long LUNG_DISEASE = 100007;
    static final long FEVER = 100008;
    static final long RETIRED = 100009;
    static final long BODY_STRUCTURE = 100020;
    static final long HEART = 100021;
    static final long LUNG = 100022;
    static final long MORPHOLOGY_ROOT = 100030;
    static final long INFARCT = 100031;
    static final long INFLAMMATION = 100032;
    static final long PRODUCT = 100040;
    static final long TABLET_500 = 100041;
    static final long CAPSULE_12_5 = 100042;
    static final long ATTRIBUTE = 100050;
    static final long FINDING_SITE = 100051;
    static final long MORPHOLOGY = 100052;
    static final long STRENGTH = 100053;
    static final long DOSE_FORM = 100054;
    static final long PRIMARY_SITE = 100055;
    static final long SCORED = 100056;
    static final long IS_A = 116680003;
    static final long REFSET = 100060;
    static final long PROBLEM_LIST = 100061;
    static final long HEART_LIST = 100062;

    private ExampleTerminology() {
    }

    static TestConceptGraph graph() {
        return TestConceptGraph.builder()
                .concept(ROOT)
                .concept(FINDING, ROOT)
                .concept(DISEASE, FINDING)
                .concept(HEART_DISEASE, DISEASE)
                .concept(INFARCTION, HEART_DISEASE)
                .concept(LUNG_DISEASE, DISEASE)
                .concept(CARDIOPULMONARY, HEART_DISEASE, LUNG_DISEASE)
                .concept(FEVER, FINDING)
                .inactiveConcept(RETIRED)
                .concept(BODY_STRUCTURE, ROOT)
                .concept(HEART, BODY_STRUCTURE)
                .concept(LUNG, BODY_STRUCTURE)
                .concept(MORPHOLOGY_ROOT, ROOT)
                .concept(INFARCT, MORPHOLOGY_ROOT)
                .concept(INFLAMMATION, MORPHOLOGY_ROOT)
                .concept(PRODUCT, ROOT)
                .concept(TABLET_500, PRODUCT)
                .concept(CAPSULE_12_5, PRODUCT)
                .concept(ATTRIBUTE, ROOT)
                .concept(FINDING_SITE, ATTRIBUTE)
                .concept(PRIMARY_SITE, FINDING_SITE)
                .concept(MORPHOLOGY, ATTRIBUTE)
                .concept(STRENGTH, ATTRIBUTE)
                .concept(DOSE_FORM, ATTRIBUTE)
                .concept(SCORED, ATTRIBUTE)
                .concept(IS_A, ATTRIBUTE)
                .concept(REFSET, ROOT)
                .concept(PROBLEM_LIST, REFSET)
                .concept(HEART_LIST, REFSET)
                .attribute(HEART_DISEASE, FINDING_SITE, HEART, 1)
                .attribute(INFARCTION, FINDING_SITE, HEART, 1)
                .attribute(INFARCTION, MORPHOLOGY, INFARCT, 1)
                .attribute(CARDIOPULMONARY, FINDING_SITE, HEART, 1)
                .attribute(CARDIOPULMONARY, MORPHOLOGY, INFARCT, 1)
                .attribute(CARDIOPULMONARY, PRIMARY_SITE, LUNG, 2)
                .attribute(CARDIOPULMONARY, MORPHOLOGY, INFLAMMATION, 2)
                .attribute(LUNG_DISEASE, PRIMARY_SITE, LUNG, 0)
                .attribute(LUNG_DISEASE, MORPHOLOGY, INFLAMMATION, 0)
                .concreteValue(TABLET_500, STRENGTH, 500, 1)
                .concreteValue(TABLET_500, DOSE_FORM, "tablet", 1)
                .concreteValue(TABLET_500, SCORED, Boolean.TRUE, 0)
                .concreteValue(CAPSULE_12_5, STRENGTH, new java.math.BigDecimal("12.5"), 1)
                .concreteValue(CAPSULE_12_5, DOSE_FORM, "capsule", 1)
                .refset(PROBLEM_LIST, INFARCTION, FEVER, RETIRED)
                .refset(HEART_LIST, HEART, INFARCTION)
                .build();
    }
}
