package org.charnwood.terminology.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.terminology.ecl.EclAssertions.assertEcl;

import org.junit.jupiter.api.Test;

/** Constraints over the synthetic sample release (see src/test/resources/ecl-sample/PROVENANCE.md). */
class EclSampleReleaseTests {

    private static final long CLINICAL_FINDING = 404684003L;
    private static final long DISEASE = 10069999999100L;
    private static final long HEART_DISORDER = 10079999999108L;
    private static final long LUNG_DISORDER = 10089999999105L;
    private static final long GLAND_DISORDER = 10099999999107L;
    private static final long CARDIOPULMONARY = 10189999999109L;
    private static final long OBSERVATION = 10219999999105L;
    private static final long HEART_STRUCTURE = 10039999999106L;
    private static final long LUNG_STRUCTURE = 10049999999101L;
    private static final long GLAND_STRUCTURE = 10059999999103L;
    private static final long HEART_DELTA_INACTIVE = 10289999999102L;

    private final TestConceptGraph graph = TestRf2Reader.read("/ecl-sample",
            "sct2_Concept_Snapshot_ZZ9999999_20250101.txt",
            "sct2_Relationship_Snapshot_ZZ9999999_20250101.txt",
            "der2_Refset_SimpleSnapshot_ZZ9999999_20250101.txt");

    @Test
    void readsTheWholeSample() {
        assertThat(graph.size()).isEqualTo(48);
        assertThat(Ecl.parse("*").evaluate(graph).cardinality()).isEqualTo(45);
        assertThat(Ecl.parse("<< 138875005 |SNOMED CT Concept|").evaluate(graph).cardinality()).isEqualTo(45);
    }

    @Test
    void clinicalFindingHasEighteenDescendants() {
        assertEcl(graph, "< 404684003 |Clinical finding|",
                DISEASE, HEART_DISORDER, LUNG_DISORDER, GLAND_DISORDER,
                10109999999103L, 10119999999101L, 10129999999108L, 10139999999105L, 10149999999100L,
                10159999999102L, 10169999999104L, 10179999999107L, CARDIOPULMONARY, 10199999999106L,
                10209999999108L, OBSERVATION, 10229999999103L, 10239999999101L);
    }

    @Test
    void childrenOfClinicalFindingAreDiseaseAndObservation() {
        assertEcl(graph, "<! 404684003", DISEASE, OBSERVATION);
    }

    @Test
    void conceptWithTwoParentsHasBoth() {
        assertEcl(graph, ">! 10189999999109 |Synthetic cardiopulmonary-like disorder|", HEART_DISORDER,
                LUNG_DISORDER);
        assertEcl(graph, "> 10189999999109", HEART_DISORDER, LUNG_DISORDER, DISEASE, CLINICAL_FINDING, 138875005L);
    }

    @Test
    void inactiveConceptIsItselfButHasNoHierarchy() {
        assertEcl(graph, "10289999999102 |Synthetic heart-like organ disorder type delta|", HEART_DELTA_INACTIVE);
        assertEcl(graph, "<< 10289999999102");
    }

    @Test
    void everyDiseaseIsOnTheProblemList() {
        assertEcl(graph, "< 10069999999100 MINUS ^ 10319999999104");
        assertEcl(graph, "<< 404684003 MINUS ^ 10319999999104", CLINICAL_FINDING, DISEASE, OBSERVATION);
        assertThat(Ecl.parse("^ 10319999999104").evaluate(graph).cardinality()).isEqualTo(16);
    }

    @Test
    void findingSiteRefinementFindsTheHeartDisorders() {
        assertEcl(graph, "< 404684003 : 363698007 |Finding site| = 10039999999106 |heart-like organ structure|",
                HEART_DISORDER, CARDIOPULMONARY);
    }

    @Test
    void heartAndLungSitesAreInDifferentGroups() {
        assertEcl(graph, "< 404684003 : 363698007 = 10039999999106, 363698007 = 10049999999101", CARDIOPULMONARY);
        assertEcl(graph, "< 404684003 : { 363698007 = 10039999999106, 363698007 = 10049999999101 }");
        assertEcl(graph, "< 404684003 : [2..2] { 363698007 = * }", CARDIOPULMONARY);
    }

    @Test
    void findingSitesAreReachedByDotAndByReverse() {
        assertEcl(graph, "<< 404684003 . 363698007", HEART_STRUCTURE, LUNG_STRUCTURE, GLAND_STRUCTURE);
        assertEcl(graph, "< 123037004 |Body structure| : R 363698007 = *", HEART_STRUCTURE, LUNG_STRUCTURE,
                GLAND_STRUCTURE);
        assertEcl(graph, "* : [2..*] R 363698007 = *", HEART_STRUCTURE, LUNG_STRUCTURE);
    }

    @Test
    void disordersWithoutASiteAreFoundWithZeroCardinality() {
        assertEcl(graph, "<! 10069999999100 : [0..0] 363698007 = *");
        assertEcl(graph, "<! 10079999999108 : [0..0] 363698007 = *", 10109999999103L, 10119999999101L,
                10129999999108L);
    }
}
