package org.charnwood.scheduling.travel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GreatCircleTravelTimesTests {

    private static final GeoPoint LEICESTER = new GeoPoint(52.6369, -1.1398);
    private static final GeoPoint LOUGHBOROUGH = new GeoPoint(52.7721, -1.2062);
    private static final GeoPoint WYMESWOLD = new GeoPoint(52.8050, -1.1110);
    private static final LocalDateTime TEN = LocalDateTime.of(2026, 11, 26, 10, 0);

    @Test
    void measuresTheGreatCircleBetweenLeicesterAndLoughborough() {
        assertThat(LEICESTER.metresTo(LOUGHBOROUGH)).isCloseTo(15_650, within(300.0));
    }

    @Test
    void stretchesTheDistanceByTheRoadFactorAndAddsTheStopAllowance() {
        GreatCircleTravelTimes travel = new GreatCircleTravelTimes(p -> AreaType.RURAL, 1.3, Duration.ofMinutes(2));
        Leg leg = travel.leg(LEICESTER, LOUGHBOROUGH, TEN);
        assertThat(leg.metres()).isCloseTo(LEICESTER.metresTo(LOUGHBOROUGH) * 1.3, within(1.0));
        long driving = Math.round(leg.metres() / AreaType.RURAL.metresPerSecond());
        assertThat(leg.duration()).isEqualTo(Duration.ofSeconds(driving + 120));
    }

    @Test
    void drivesSlowerInTownThanInTheCountry() {
        TownCentres towns = TownCentres.leicestershire();
        assertThat(towns.areaAt(LEICESTER)).isEqualTo(AreaType.URBAN);
        assertThat(towns.areaAt(WYMESWOLD)).isEqualTo(AreaType.RURAL);
        GreatCircleTravelTimes travel = new GreatCircleTravelTimes(towns, 1.3, Duration.ZERO);
        GeoPoint nearLeicester = new GeoPoint(52.6450, -1.1300);
        GeoPoint nearWymeswold = new GeoPoint(52.8131, -1.1010);
        double townSpeed = travel.leg(LEICESTER, nearLeicester, TEN).metres()
                / travel.leg(LEICESTER, nearLeicester, TEN).duration().toSeconds();
        double countrySpeed = travel.leg(WYMESWOLD, nearWymeswold, TEN).metres()
                / travel.leg(WYMESWOLD, nearWymeswold, TEN).duration().toSeconds();
        assertThat(countrySpeed).isGreaterThan(townSpeed);
    }

    @Test
    void precomputesEveryPairOnce() {
        TravelMatrix matrix = TravelMatrix.of(List.of(LEICESTER, LOUGHBOROUGH, WYMESWOLD),
                GreatCircleTravelTimes.leicestershire(), TEN);
        assertThat(matrix.size()).isEqualTo(3);
        assertThat(matrix.seconds(0, 0)).isZero();
        assertThat(matrix.seconds(0, 1)).isPositive();
        assertThat(matrix.metres(1, 2)).isEqualTo(matrix.metres(2, 1));
    }
}
