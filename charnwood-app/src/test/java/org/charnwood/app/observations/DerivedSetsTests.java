package org.charnwood.app.observations;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DerivedSetsTests {

    @Test
    void coversAnInputReadAtItsVersionOrALaterOne() {
        DerivedSets sets = new DerivedSets();
        sets.derived("Patient/p|2026-11-01T10:00:00Z", Map.of("o1", 2, "o2", 1));

        assertThat(sets.covers("Patient/p|2026-11-01T10:00:00Z", "o1", 1)).isTrue();
        assertThat(sets.covers("Patient/p|2026-11-01T10:00:00Z", "o1", 2)).isTrue();
        assertThat(sets.covers("Patient/p|2026-11-01T10:00:00Z", "o2", 1)).isTrue();
    }

    @Test
    void doesNotCoverANewerVersionAnUnreadInputOrAnotherSet() {
        DerivedSets sets = new DerivedSets();
        sets.derived("Patient/p|2026-11-01T10:00:00Z", Map.of("o1", 1));

        assertThat(sets.covers("Patient/p|2026-11-01T10:00:00Z", "o1", 2)).isFalse();
        assertThat(sets.covers("Patient/p|2026-11-01T10:00:00Z", "o3", 1)).isFalse();
        assertThat(sets.covers("Patient/p|2026-11-01T11:00:00Z", "o1", 1)).isFalse();
    }
}
