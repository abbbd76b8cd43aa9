package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.travel.GeoPoint;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Set;

/**
 * A nurse or healthcare assistant on duty, as a FHIR Practitioner and PractitionerRole give them.
 *
 * @param band          Agenda for Change band (3 healthcare assistant … 7 district nursing sister)
 * @param base          where the day starts and ends (the team base)
 * @param breakStart    start of the unpaid break, or null for none; no visit runs across it
 * @param breakLength   length of the break
 * @param maxVisits     most visits in the day
 * @param maxWorking    most visiting plus travelling time in the day
 */
public record StaffMember(String id, String name, Set<String> skills, int band, Gender gender, GeoPoint base,
                          LocalTime shiftStart, LocalTime shiftEnd, LocalTime breakStart, Duration breakLength,
                          int maxVisits, Duration maxWorking) {

    public StaffMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(base, "base");
        skills = skills == null ? Set.of() : Set.copyOf(skills);
        breakLength = breakLength == null ? Duration.ZERO : breakLength;
        if (!shiftEnd.isAfter(shiftStart)) {
            throw new IllegalArgumentException("staff " + id + " shift ends before it starts");
        }
    }
}
