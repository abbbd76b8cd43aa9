package org.charnwood.scheduling.travel;

import java.time.LocalDateTime;

/**
 * Road travel between two places leaving at a given time. The default is {@link GreatCircleTravelTimes}; a
 * road-network engine (GraphHopper on an OpenStreetMap extract, OSRM, a commercial routing service) plugs in here,
 * see docs/scheduling.md. Implementations must be safe to call from several threads.
 */
public interface TravelTimes {

    Leg leg(GeoPoint from, GeoPoint to, LocalDateTime departure);
}
