package org.charnwood.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyStatsTests {

    @Test
    void reportsNearestRankPercentilesInMilliseconds() {
        LatencyStats stats = new LatencyStats();
        for (int ms = 100; ms >= 1; ms--) {
            stats.record(ms * 1_000_000L);
        }

        Percentiles p = stats.percentiles();

        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50.0);
        assertThat(p.p95()).isEqualTo(95.0);
        assertThat(p.p99()).isEqualTo(99.0);
        assertThat(p.max()).isEqualTo(100.0);
    }

    @Test
    void growsPastItsFirstCapacityAndMergesAnotherSet() {
        LatencyStats a = new LatencyStats();
        LatencyStats b = new LatencyStats();
        for (int i = 0; i < 5_000; i++) {
            a.record(1_000_000L);
            b.record(3_000_000L);
        }

        a.addAll(b);

        assertThat(a.count()).isEqualTo(10_000);
        assertThat(a.percentiles().p50()).isEqualTo(1.0);
        assertThat(a.percentiles().p99()).isEqualTo(3.0);
    }

    @Test
    void saysSoWhenThereAreNoSamples() {
        assertThat(new LatencyStats().percentiles().describe()).isEqualTo("no samples");
    }
}
