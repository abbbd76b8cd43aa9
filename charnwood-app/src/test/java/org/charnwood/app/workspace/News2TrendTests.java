package org.charnwood.app.workspace;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class News2TrendTests {

    private static News2Point point(int total, String risk) {
        return new News2Point(Instant.EPOCH, "1 Jan 1970, 01:00", total, risk);
    }

    @Test
    void plotsScoresLeftToRightWithHigherScoresHigherUp() {
        News2Trend trend = News2Trend.of(List.of(point(0, "low"), point(5, "medium"), point(20, "high")), 100, 120, 10);
        assertThat(trend.polyline()).isEqualTo("10.0,110.0 50.0,85.0 90.0,10.0");
        assertThat(trend.mediumY()).isEqualTo(85.0);
        assertThat(trend.highY()).isEqualTo(75.0);
        assertThat(trend.description()).contains("3 NEWS2 scores").contains("latest 20 (High clinical risk)");
    }

    @Test
    void aSingleScoreSitsInTheMiddleAndNoScoresSaySo() {
        assertThat(News2Trend.of(List.of(point(2, "low")), 100, 120, 10).polyline()).isEqualTo("50.0,100.0");
        assertThat(News2Trend.of(List.of(), 100, 120, 10).description()).isEqualTo("No NEWS2 scores recorded.");
    }

    @Test
    void formatsNhsNumbersThreeThreeFour() {
        assertThat(Text.nhsNumber("9990000018")).isEqualTo("999 000 0018");
        assertThat(Text.nhsNumber("12345")).isEqualTo("12345");
    }
}
