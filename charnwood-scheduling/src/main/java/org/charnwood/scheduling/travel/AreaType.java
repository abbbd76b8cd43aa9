package org.charnwood.scheduling.travel;

/**
 * How built-up a place is, which sets the average door-to-door road speed there. The speeds are averages for a
 * district nurse's journey including junctions, parking and finding the house, not speed limits.
 */
public enum AreaType {
    URBAN(30),
    SUBURBAN(40),
    RURAL(60);

    private final double kilometresPerHour;

    AreaType(double kilometresPerHour) {
        this.kilometresPerHour = kilometresPerHour;
    }

    public double metresPerSecond() {
        return kilometresPerHour * 1000 / 3600;
    }
}
