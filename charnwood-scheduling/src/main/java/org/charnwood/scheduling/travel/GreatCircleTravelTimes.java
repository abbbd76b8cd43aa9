package org.charnwood.scheduling.travel;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * Travel estimated without a road network: the great-circle distance stretched by a road factor (roads wind; 1.3 is
 * typical for English counties), driven at the mean of the speeds of the two ends' area types, plus a fixed
 * allowance for parking and reaching the door. Ignores the departure time: no rush hour.
 */
public final class GreatCircleTravelTimes implements TravelTimes {

    public static final double DEFAULT_ROAD_FACTOR = 1.3;
    public static final Duration DEFAULT_STOP_ALLOWANCE = Duration.ofMinutes(2);

    private final AreaLookup areas;
    /** A matrix asks about each place hundreds of times; the lookup may be slow (a spatial query). */
    private final java.util.Map<GeoPoint, AreaType> areaCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final double roadFactor;
    private final Duration stopAllowance;

    public GreatCircleTravelTimes(AreaLookup areas, double roadFactor, Duration stopAllowance) {
        if (roadFactor < 1) {
            throw new IllegalArgumentException("a road is never shorter than the straight line: " + roadFactor);
        }
        this.areas = areas;
        this.roadFactor = roadFactor;
        this.stopAllowance = stopAllowance;
    }

    /** Leicestershire towns, road factor 1.3, two minutes at each stop. */
    public static GreatCircleTravelTimes leicestershire() {
        return new GreatCircleTravelTimes(TownCentres.leicestershire(), DEFAULT_ROAD_FACTOR, DEFAULT_STOP_ALLOWANCE);
    }

    @Override
    public Leg leg(GeoPoint from, GeoPoint to, LocalDateTime departure) {
        double straight = from.metresTo(to);
        if (straight < 1) {
            return Leg.NONE;
        }
        double road = straight * roadFactor;
        double speed = (area(from).metresPerSecond() + area(to).metresPerSecond()) / 2;
        long seconds = Math.round(road / speed) + stopAllowance.toSeconds();
        return new Leg(Duration.ofSeconds(seconds), road);
    }

    private AreaType area(GeoPoint point) {
        AreaType known = areaCache.get(point);
        if (known == null) {
            known = areas.areaAt(point);
            if (areaCache.size() < 100_000) {
                areaCache.put(point, known);
            }
        }
        return known;
    }
}
