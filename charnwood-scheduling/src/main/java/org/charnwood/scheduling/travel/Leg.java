package org.charnwood.scheduling.travel;

import java.time.Duration;

/** One journey by road: how long it takes and how far it is. */
public record Leg(Duration duration, double metres) {

    public static final Leg NONE = new Leg(Duration.ZERO, 0);
}
