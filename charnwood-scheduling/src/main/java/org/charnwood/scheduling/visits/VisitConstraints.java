package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;

/**
 * The rules of a district-nursing day. Hard rules must hold; the medium level counts visits left out (weighted by
 * priority); soft rules are measured in seconds of travel or their equivalent, so a weight reads as "worth this much
 * driving". Breaks and "one visit at a time per nurse" need no rule: a route is a sequence and its times never run
 * across the break (see {@link Visit#getStart()}).
 */
public class VisitConstraints implements ConstraintProvider {

    public static final String SKILL_MATCH = "Skill match";
    public static final String BAND = "Minimum band";
    public static final String TIME_WINDOW = "Time window";
    public static final String WORKING_HOURS = "Working hours";
    public static final String MAX_VISITS = "Maximum visits";
    public static final String MAX_WORKING_TIME = "Maximum working time";
    public static final String PATIENT_OVERLAP = "Patient visits overlap";
    public static final String UNASSIGNED = "Unassigned visit";
    public static final String TRAVEL = "Travel time";
    public static final String CONTINUITY = "Continuity of carer";
    public static final String GENDER_PREFERENCE = "Preferred carer gender";
    public static final String FAIR_WORKLOAD = "Fair workload";
    public static final String LATENESS = "Lateness by priority";
    public static final String DISRUPTION = "Disruption to the previous plan";

    /** A stranger at the door is worth 5 minutes of driving to avoid. */
    static final int CONTINUITY_WEIGHT = 5 * 60;
    /** Sending a nurse of the gender the patient asked not to have is worth 30 minutes of driving to avoid. */
    static final int GENDER_WEIGHT = 30 * 60;
    /** Per visit squared per carer: levels visit counts without outweighing much travel. */
    static final int FAIRNESS_WEIGHT = 30;
    /**
     * Moving a visit to another nurse when replanning costs an hour of driving: patients and nurses have been told
     * who is coming, so only a real gain (e.g. fitting an urgent visit in) justifies it.
     */
    static final int DISRUPTION_WEIGHT = 60 * 60;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
                skillMatch(factory),
                minimumBand(factory),
                timeWindow(factory),
                workingHours(factory),
                maximumVisits(factory),
                maximumWorkingTime(factory),
                patientVisitsOverlap(factory),
                unassignedVisit(factory),
                travelTime(factory),
                continuityOfCarer(factory),
                preferredCarerGender(factory),
                fairWorkload(factory),
                latenessByPriority(factory),
                disruption(factory)
        };
    }

    Constraint skillMatch(ConstraintFactory factory) {
        return factory.forEach(Visit.class)
                .filter(v -> v.isAssigned() && v.missingSkillCount() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Visit::missingSkillCount)
                .asConstraint(SKILL_MATCH);
    }

    Constraint minimumBand(ConstraintFactory factory) {
        return factory.forEach(Visit.class)
                .filter(v -> v.isAssigned() && v.getCarer().getBand() < v.getMinimumBand())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, v -> v.getMinimumBand() - v.getCarer().getBand())
                .asConstraint(BAND);
    }

    /** In minutes past the latest start. */
    Constraint timeWindow(ConstraintFactory factory) {
        return factory.forEach(Visit.class)
                .filter(v -> v.isAssigned() && v.secondsLate() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, v -> (v.secondsLate() + 59) / 60)
                .asConstraint(TIME_WINDOW);
    }

    /** In minutes back at base after the shift ends. */
    Constraint workingHours(ConstraintFactory factory) {
        return factory.forEach(Carer.class)
                .filter(c -> c.overtimeMinutes() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Carer::overtimeMinutes)
                .asConstraint(WORKING_HOURS);
    }

    Constraint maximumVisits(ConstraintFactory factory) {
        return factory.forEach(Carer.class)
                .filter(c -> c.getVisits().size() > c.getMaxVisits())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, c -> c.getVisits().size() - c.getMaxVisits())
                .asConstraint(MAX_VISITS);
    }

    /** In minutes over the limit. */
    Constraint maximumWorkingTime(ConstraintFactory factory) {
        return factory.forEach(Carer.class)
                .filter(c -> c.workSeconds() > c.getMaxWorkSeconds())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD,
                        c -> (c.workSeconds() - c.getMaxWorkSeconds() + 59) / 60)
                .asConstraint(MAX_WORKING_TIME);
    }

    /** A patient is not seen by two nurses at once (double-handed care is one visit with two skills). */
    Constraint patientVisitsOverlap(ConstraintFactory factory) {
        return factory.forEachUniquePair(Visit.class, Joiners.equal(Visit::getPatientId))
                .filter((a, b) -> a.isAssigned() && b.isAssigned() && a.overlaps(b))
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Visit::overlapMinutes)
                .asConstraint(PATIENT_OVERLAP);
    }

    Constraint unassignedVisit(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(Visit.class)
                .filter(v -> v.getCarer() == null)
                .penalizeLong(HardMediumSoftLongScore.ONE_MEDIUM, v -> v.getPriority().unassignedWeight())
                .asConstraint(UNASSIGNED);
    }

    /** In seconds, from base round every visit and back. */
    Constraint travelTime(ConstraintFactory factory) {
        return factory.forEach(Carer.class)
                .filter(c -> !c.getVisits().isEmpty())
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, Carer::travelSeconds)
                .asConstraint(TRAVEL);
    }

    Constraint continuityOfCarer(ConstraintFactory factory) {
        return factory.forEach(Visit.class)
                .filter(v -> v.isAssigned() && !v.getPreviousCarers().isEmpty()
                        && !v.getPreviousCarers().contains(v.getCarer().getId()))
                .penalize(HardMediumSoftLongScore.ofSoft(CONTINUITY_WEIGHT))
                .asConstraint(CONTINUITY);
    }

    Constraint preferredCarerGender(ConstraintFactory factory) {
        return factory.forEach(Visit.class)
                .filter(v -> v.isAssigned() && v.getPreferredGender() != null
                        && v.getPreferredGender() != v.getCarer().getGender())
                .penalize(HardMediumSoftLongScore.ofSoft(GENDER_WEIGHT))
                .asConstraint(GENDER_PREFERENCE);
    }

    /** The square of each carer's visit count: spreading visits evenly lowers the sum. */
    Constraint fairWorkload(ConstraintFactory factory) {
        return factory.forEach(Carer.class)
                .filter(c -> !c.getVisits().isEmpty())
                .penalizeLong(HardMediumSoftLongScore.ofSoft(FAIRNESS_WEIGHT),
                        c -> (long) c.getVisits().size() * c.getVisits().size())
                .asConstraint(FAIR_WORKLOAD);
    }

    /** Each minute an urgent or high-priority visit waits after its window opens. */
    Constraint latenessByPriority(ConstraintFactory factory) {
        return factory.forEach(Visit.class)
                .filter(v -> v.isAssigned() && v.getPriority().latenessWeightPerMinute() > 0
                        && v.minutesAfterWindowStart() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT,
                        v -> (long) v.minutesAfterWindowStart() * v.getPriority().latenessWeightPerMinute())
                .asConstraint(LATENESS);
    }

    /** A visit now with a different nurse than in the plan being revised. */
    Constraint disruption(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(Visit.class)
                .filter(v -> v.getPreviousPlanCarer() != null
                        && (v.getCarer() == null || !v.getPreviousPlanCarer().equals(v.getCarer().getId())))
                .penalize(HardMediumSoftLongScore.ofSoft(DISRUPTION_WEIGHT))
                .asConstraint(DISRUPTION);
    }
}
