package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.travel.GeoPoint;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A visit to plan, as a FHIR ServiceRequest or EpisodeOfCare with the patient's home Location gives it.
 *
 * @param earliestStart          the visit may not start before this
 * @param latestStart            the visit must start by this (hard); for a two-hour urgent response, referral + 2 h
 * @param requiredSkills         skills the visiting nurse must have, e.g. {@code syringe-driver}
 * @param minimumBand            the lowest Agenda for Change band that may do it (0 for any)
 * @param preferredCarerGender   the patient's wish, or null
 * @param previousCarerIds       staff who visited before, for continuity of carer
 * @param status                 planned, in progress or completed
 * @param plannedStaffId         whom it is planned with today, when replanning (null otherwise)
 */
public record VisitRequest(String id, String patientId, GeoPoint location, Duration duration,
                           LocalTime earliestStart, LocalTime latestStart, Priority priority,
                           Set<String> requiredSkills, int minimumBand, Gender preferredCarerGender,
                           List<String> previousCarerIds, VisitStatus status, String plannedStaffId) {

    public VisitRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(earliestStart, "earliestStart");
        Objects.requireNonNull(latestStart, "latestStart");
        priority = priority == null ? Priority.ROUTINE : priority;
        requiredSkills = requiredSkills == null ? Set.of() : Set.copyOf(requiredSkills);
        previousCarerIds = previousCarerIds == null ? List.of() : List.copyOf(previousCarerIds);
        status = status == null ? VisitStatus.PLANNED : status;
        if (latestStart.isBefore(earliestStart)) {
            throw new IllegalArgumentException("visit " + id + " must start by " + latestStart
                    + " but may not start before " + earliestStart);
        }
    }

    /** A routine planned visit with no preferences or history. */
    public static VisitRequest routine(String id, String patientId, GeoPoint location, Duration duration,
                                       LocalTime earliestStart, LocalTime latestStart, Set<String> skills) {
        return new VisitRequest(id, patientId, location, duration, earliestStart, latestStart, Priority.ROUTINE,
                skills, 0, null, List.of(), VisitStatus.PLANNED, null);
    }

    public VisitRequest withStatus(VisitStatus newStatus, String staffId) {
        return new VisitRequest(id, patientId, location, duration, earliestStart, latestStart, priority,
                requiredSkills, minimumBand, preferredCarerGender, previousCarerIds, newStatus, staffId);
    }
}
