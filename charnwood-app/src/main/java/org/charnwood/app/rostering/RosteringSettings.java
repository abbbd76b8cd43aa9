package org.charnwood.app.rostering;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The {@code charnwood.rostering.*} settings.
 *
 * @param searchTime           how long the planner searches when the manager does not say
 * @param maxSearchTime        the most a manager may ask for, so one request cannot hold a core for long
 * @param unimprovedTime       stop early after this long without a better roster
 * @param cancelNotice         bank staff may cancel a booking only this long or more before it starts
 * @param minimumRest          the least time between the end of one shift and the start of the next
 * @param maxConsecutiveNights the most nights in a row a booking may make
 * @param demand               people needed per shift when the roster is planned
 * @param moves                when set, the planner searches this many moves instead of for a time (tests set it,
 *                             so the roster they check does not depend on how busy the machine is)
 */
@ConfigurationProperties("charnwood.rostering")
public record RosteringSettings(@DefaultValue("20s") Duration searchTime, @DefaultValue("120s") Duration maxSearchTime,
                                @DefaultValue("5s") Duration unimprovedTime,
                                @DefaultValue("48h") Duration cancelNotice, @DefaultValue("11h") Duration minimumRest,
                                @DefaultValue("4") int maxConsecutiveNights, @DefaultValue Demand demand,
                                Long moves) {

    /**
     * Headcounts per shift on weekdays and at weekends, and how many of each must be band 6+ registered nurses.
     * The defaults suit a small community hospital ward team; a bigger ward sets its own.
     */
    public record Demand(@DefaultValue("3") int earlyWeekday, @DefaultValue("2") int earlyWeekend,
                         @DefaultValue("3") int lateWeekday, @DefaultValue("2") int lateWeekend,
                         @DefaultValue("2") int night, @DefaultValue("1") int seniorsPerShift) {
    }
}
