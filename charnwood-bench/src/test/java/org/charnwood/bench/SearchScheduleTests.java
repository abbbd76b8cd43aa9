package org.charnwood.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchScheduleTests {

    @Test
    void readsItsOptionsWithTheDefaultsOfAFullRun() {
        SearchSchedule schedule = SearchSchedule.from(Options.parse("search", "--duration", "30"), 1);

        assertThat(schedule).isEqualTo(new SearchSchedule(Duration.ofSeconds(10), Duration.ofSeconds(30), 4, 1));
        assertThat(schedule.describe()).isEqualTo("10 s warm-up (not counted), then 30 s at concurrency 4");
    }

    @Test
    void aRateMakesTheTimedPartOpenLoop() {
        SearchSchedule schedule = SearchSchedule.from(Options.parse("search", "--duration", "30", "--rate", "140"), 1);

        assertThat(schedule.rate()).isEqualTo(140);
        assertThat(schedule.describe()).isEqualTo("10 s warm-up (not counted), then 30 s open-loop at 140 searches/s "
                + "(latency from each search's due time)");
    }

    @Test
    void refusesARunThatCannotMeasureAnything() {
        assertThatThrownBy(() -> SearchSchedule.from(Options.parse("search", "--rate", "-1"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchSchedule.from(Options.parse("search", "--duration", "0"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchSchedule.from(Options.parse("search", "--concurrency", "0"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
