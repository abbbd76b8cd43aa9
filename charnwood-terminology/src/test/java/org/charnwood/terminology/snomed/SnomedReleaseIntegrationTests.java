package org.charnwood.terminology.snomed;

import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.ConceptGraph;
import org.charnwood.terminology.testing.TerminologyTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Navigation, subsumption and lookup on the synthetic sample, checked by hand against its files. */
class SnomedReleaseIntegrationTests {

    static final long ROOT = 138875005L;
    static final long CLINICAL_FINDING = 404684003L;
    static final long DISEASE = 10069999999100L;
    static final long HEART_DISORDER = 10079999999108L;
    static final long LUNG_DISORDER = 10089999999105L;
    static final long HEART_ALPHA = 10109999999103L;
    static final long CARDIOPULMONARY = 10189999999109L;
    static final long HEART_ORGAN = 10039999999106L;
    static final long LUNG_ORGAN = 10049999999101L;
    static final long FINDING_SITE = 363698007L;
    static final long PROBLEM_LIST = 10319999999104L;
    static final long HEART_DELTA_INACTIVE = 10289999999102L;
    static final long DUPLICATE_LUNG_INACTIVE = 10299999999100L;
    static final long AMBIGUOUS_GLAND_INACTIVE = 10309999999101L;

    static SnomedRelease release;

    @BeforeAll
    static void loadSample() {
        TerminologyTestDatabase db = TerminologyTestDatabase.get();
        db.reset();
        new SnomedImporter(db.dataSource(), ImportListener.NONE).load(List.of(TerminologyTestDatabase.syntheticSample()));
        release = new SnomedReleaseReader(db.dataSource()).read();
    }

    private static int i(long id) {
        return release.index(id);
    }

    private static long[] ids(BitSet set) {
        return set.stream().mapToLong(release::conceptId).sorted().toArray();
    }

    @Test
    void numbersConceptsDenselyInIdOrder() {
        assertThat(release.size()).isEqualTo(48);
        assertThat(release.conceptId(i(HEART_ALPHA))).isEqualTo(HEART_ALPHA);
        assertThat(release.index(Sctid.of(777, 9999999, Sctid.Partition.CONCEPT))).isEqualTo(-1);
        assertThat(release.conceptId(0)).isEqualTo(71388002L);
    }

    @Test
    void givesAConceptWithTwoParentsBothParents() {
        assertThat(Arrays.stream(release.parents(i(CARDIOPULMONARY))).mapToLong(release::conceptId).sorted())
                .containsExactly(HEART_DISORDER, LUNG_DISORDER);
        assertThat(Arrays.stream(release.children(i(LUNG_DISORDER))).mapToLong(release::conceptId).sorted())
                .containsExactly(10139999999105L, 10149999999100L, CARDIOPULMONARY);
    }

    @Test
    void expandsDescendantsOfClinicalFinding() {
        BitSet descendants = new BitSet();
        release.addDescendants(i(CLINICAL_FINDING), descendants);
        assertThat(descendants.cardinality()).isEqualTo(18);
        assertThat(descendants.get(i(CLINICAL_FINDING))).isFalse();

        BitSet disease = new BitSet();
        release.addDescendants(i(DISEASE), disease);
        assertThat(ids(disease)).hasSize(14).contains(HEART_ALPHA, CARDIOPULMONARY, 10209999999108L);
    }

    @Test
    void collectsAncestorsThroughBothParents() {
        BitSet ancestors = new BitSet();
        release.addAncestors(i(CARDIOPULMONARY), ancestors);
        assertThat(ids(ancestors)).containsExactly(ROOT, CLINICAL_FINDING, DISEASE, HEART_DISORDER, LUNG_DISORDER);
    }

    @Test
    void decidesSubsumption() {
        assertThat(release.subsumes(i(ROOT), i(HEART_ALPHA))).isTrue();
        assertThat(release.subsumes(i(LUNG_DISORDER), i(CARDIOPULMONARY))).isTrue();
        assertThat(release.subsumes(i(HEART_ALPHA), i(HEART_DISORDER))).isFalse();
        assertThat(release.subsumes(i(HEART_ALPHA), i(HEART_ALPHA))).isTrue();

        assertThat(release.subsumption(HEART_DISORDER, HEART_ALPHA)).isEqualTo(Subsumption.SUBSUMES);
        assertThat(release.subsumption(HEART_ALPHA, DISEASE)).isEqualTo(Subsumption.SUBSUMED_BY);
        assertThat(release.subsumption(HEART_DISORDER, LUNG_DISORDER)).isEqualTo(Subsumption.NOT_SUBSUMED);
        assertThat(release.subsumption(DISEASE, DISEASE)).isEqualTo(Subsumption.EQUIVALENT);
        assertThat(Subsumption.SUBSUMED_BY.code()).isEqualTo("subsumed-by");
    }

    @Test
    void refusesSubsumptionOfAnUnknownCode() {
        assertThatThrownBy(() -> release.subsumption(ROOT, Sctid.of(777, 9999999, Sctid.Partition.CONCEPT)))
                .isInstanceOf(FhirException.class).hasMessageContaining("is not in release");
    }

    @Test
    void givesAttributesBothWaysWithTheirGroups() {
        assertThat(release.attributes(i(CARDIOPULMONARY))).containsExactlyInAnyOrder(
                new ConceptGraph.Relationship(i(FINDING_SITE), i(HEART_ORGAN), 1),
                new ConceptGraph.Relationship(i(FINDING_SITE), i(LUNG_ORGAN), 2));
        assertThat(release.attributesPointingAt(i(HEART_ORGAN))).containsExactlyInAnyOrder(
                new ConceptGraph.Relationship(i(FINDING_SITE), i(HEART_DISORDER), 1),
                new ConceptGraph.Relationship(i(FINDING_SITE), i(CARDIOPULMONARY), 1));
        assertThat(release.attributes(i(HEART_ALPHA))).isEmpty();
    }

    @Test
    void givesRefsetMembersAsAFreshBitSet() {
        BitSet members = release.refsetMembers(PROBLEM_LIST);
        assertThat(members.cardinality()).isEqualTo(16);
        assertThat(members.get(i(CARDIOPULMONARY))).isTrue();
        members.clear();
        assertThat(release.refsetMembers(PROBLEM_LIST).cardinality()).isEqualTo(16);
        assertThat(release.refsetMembers(HEART_ALPHA)).isNull();
    }

    @Test
    void inactiveConceptsHaveNoHierarchyButAreReplaced() {
        int inactive = i(HEART_DELTA_INACTIVE);
        assertThat(release.active(inactive)).isFalse();
        assertThat(release.parents(inactive)).isEmpty();
        assertThat(release.associations(HEART_DELTA_INACTIVE))
                .containsExactly(new HistoricalAssociation(SnomedIds.REPLACED_BY, "REPLACED BY", HEART_ALPHA));
        assertThat(release.replacements(DUPLICATE_LUNG_INACTIVE)).containsExactly(LUNG_DISORDER);
        assertThat(release.associations(DUPLICATE_LUNG_INACTIVE)).extracting(HistoricalAssociation::kind)
                .containsExactly("SAME AS");
        assertThat(release.replacements(AMBIGUOUS_GLAND_INACTIVE))
                .containsExactlyInAnyOrder(10169999999104L, 10159999999102L);
        assertThat(release.replacements(HEART_ALPHA)).isEmpty();
    }

    @Test
    void looksUpAConceptWithItsNamesAndNeighbours() {
        Concept concept = release.concept(HEART_ALPHA).orElseThrow();
        assertThat(concept.active()).isTrue();
        assertThat(concept.moduleId()).isEqualTo(10019999999102L);
        assertThat(concept.effectiveTime()).isEqualTo(20250101);
        assertThat(concept.fullySpecifiedName()).isEqualTo("Synthetic heart-like organ disorder type alpha (disorder)");
        assertThat(concept.preferredTerm()).isEqualTo("Synthetic heart-like organ disorder type alpha");
        assertThat(concept.parents()).containsExactly(HEART_DISORDER);
        assertThat(concept.children()).isEmpty();
        assertThat(concept.designations()).hasSize(3)
                .anySatisfy(d -> {
                    assertThat(d.term()).isEqualTo("Test heart-like organ disorder type alpha");
                    assertThat(d.type()).isEqualTo(Designation.Type.SYNONYM);
                    assertThat(d.gbEnglish()).isEqualTo(Designation.Acceptability.ACCEPTABLE);
                    assertThat(d.usEnglish()).isNull();
                    assertThat(d.languageCode()).isEqualTo("en");
                })
                .anySatisfy(d -> {
                    assertThat(d.type()).isEqualTo(Designation.Type.FULLY_SPECIFIED_NAME);
                    assertThat(d.gbEnglish()).isEqualTo(Designation.Acceptability.PREFERRED);
                });
        assertThat(release.concept(CARDIOPULMONARY).orElseThrow().sufficientlyDefined()).isTrue();
        assertThat(release.concept(Sctid.of(777, 9999999, Sctid.Partition.CONCEPT))).isEmpty();
    }
}
