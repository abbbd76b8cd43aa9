package org.charnwood.scheduling.travel;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TravelMatrixTests {

    private static final LocalDateTime TEN = LocalDateTime.of(2026, 11, 26, 10, 0);

    @Test
    void asksOnlyForLegsToAndFromPlacesTheKnownMatrixLacks() {
        GreatCircleTravelTimes roads = GreatCircleTravelTimes.leicestershire();
        AtomicInteger asked = new AtomicInteger();
        TravelTimes counting = (from, to, departure) -> {
            asked.incrementAndGet();
            return roads.leg(from, to, departure);
        };
        GeoPoint loughborough = new GeoPoint(52.7721, -1.2062);
        GeoPoint quorn = new GeoPoint(52.7446, -1.1716);
        GeoPoint shepshed = new GeoPoint(52.7647, -1.2937);
        TravelMatrix morning = TravelMatrix.of(List.of(loughborough, quorn), counting, TEN);
        asked.set(0);

        TravelMatrix replan = TravelMatrix.of(List.of(quorn, loughborough, shepshed), counting, TEN, morning);

        assertThat(asked.get()).isEqualTo(4); // to and from Shepshed only
        assertThat(replan.seconds(0, 1)).isEqualTo(morning.seconds(1, 0));
        assertThat(replan.seconds(1, 2)).isEqualTo(roads.leg(loughborough, shepshed, TEN).duration().toSeconds());
    }

    @Test
    void asksAgainForADifferentDeparture() {
        AtomicInteger asked = new AtomicInteger();
        TravelTimes counting = (from, to, departure) -> {
            asked.incrementAndGet();
            return GreatCircleTravelTimes.leicestershire().leg(from, to, departure);
        };
        List<GeoPoint> places = List.of(new GeoPoint(52.77, -1.20), new GeoPoint(52.74, -1.17));
        TravelMatrix morning = TravelMatrix.of(places, counting, TEN);
        asked.set(0);

        TravelMatrix.of(places, counting, TEN.plusDays(1), morning);

        assertThat(asked.get()).isEqualTo(2);
    }
}
