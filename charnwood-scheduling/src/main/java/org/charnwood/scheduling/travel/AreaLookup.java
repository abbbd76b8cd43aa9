package org.charnwood.scheduling.travel;

/**
 * Which {@link AreaType} a place is in. {@link TownCentres} guesses from the distance to the nearest town; a lookup
 * on the ONS rural-urban classification of output areas can be supplied instead.
 */
@FunctionalInterface
public interface AreaLookup {

    AreaType areaAt(GeoPoint point);
}
