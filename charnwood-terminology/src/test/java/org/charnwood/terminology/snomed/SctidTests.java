package org.charnwood.terminology.snomed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SctidTests {

    @Test
    void acceptsRealIdentifiers() {
        assertThat(Sctid.valid("138875005")).isTrue();
        assertThat(Sctid.valid("900000000000508004")).isTrue();
        assertThat(Sctid.valid("10109999999103")).isTrue();
    }

    @Test
    void refusesAWrongCheckDigitOrShape() {
        assertThat(Sctid.valid("138875006")).isFalse();
        assertThat(Sctid.valid("013887500")).isFalse();
        assertThat(Sctid.valid("12a45678")).isFalse();
        assertThat(Sctid.valid("12345")).isFalse();
    }

    @Test
    void mintsValidIdsInTheRightPartition() {
        long concept = Sctid.of(1234, 0, Sctid.Partition.CONCEPT);
        long description = Sctid.of(1234, 9999999, Sctid.Partition.DESCRIPTION);
        assertThat(Sctid.valid(concept)).isTrue();
        assertThat(Sctid.partition(Long.toString(concept))).isEqualTo(Sctid.Partition.CONCEPT);
        assertThat(Sctid.valid(description)).isTrue();
        assertThat(Sctid.partition(Long.toString(description))).isEqualTo(Sctid.Partition.DESCRIPTION);
        assertThat(Long.toString(description)).contains("9999999");
    }

    @Test
    void everyDemoCodeIsAValidConceptId() {
        assertThat(DemoCodes.load()).isNotEmpty().allSatisfy(code -> {
            assertThat(Sctid.valid(code.conceptId())).as("%s", code).isTrue();
            assertThat(Sctid.partition(Long.toString(code.conceptId()))).isEqualTo(Sctid.Partition.CONCEPT);
        });
    }

    @Test
    void findsTheSmallestEditDistanceToAPrefix() {
        assertThat(TermSearch.prefixDistance("diab", "diabetes", 1)).isZero();
        assertThat(TermSearch.prefixDistance("diabetis", "diabetes", 2)).isEqualTo(1);
        assertThat(TermSearch.prefixDistance("dibaetes", "diabetes", 2)).isEqualTo(2);
        assertThat(TermSearch.prefixDistance("xyz", "diabetes", 1)).isGreaterThan(1);
    }
}
