package org.charnwood.scheduling.roster;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;
import ai.timefold.solver.core.api.score.stream.common.SequenceChain;

/**
 * The rules of a ward roster. Hard: skill mix, one shift a day, 11 hours' rest, at most {@value #MAX_CONSECUTIVE_NIGHTS}
 * nights in a row, leave, no more than contracted hours (extra hours go to the bank, not to overtime). Medium: each
 * vacant place (a senior place counts double). Soft: hours short of contract, requests, fair shares of nights and
 * weekends.
 */
public class RosterConstraints implements ConstraintProvider {

    public static final String SENIOR_COVER = "Band 6+ registered nurse on the shift";
    public static final String ONE_SHIFT_PER_DAY = "One shift per day";
    public static final String MINIMUM_REST = "Minimum rest between shifts";
    public static final String CONSECUTIVE_NIGHTS = "Consecutive nights";
    public static final String ANNUAL_LEAVE = "Annual leave";
    public static final String CONTRACTED_HOURS_EXCEEDED = "Contracted hours exceeded";
    public static final String VACANT_SHIFT = "Vacant shift";
    public static final String HOURS_SHORT = "Hours short of contract";
    public static final String REQUEST_NOT_MET = "Shift request not met";
    public static final String AVOID_REQUEST_BROKEN = "Avoid request broken";
    public static final String FAIR_NIGHTS = "Fair share of nights";
    public static final String FAIR_WEEKENDS = "Fair share of weekends";

    static final int MINIMUM_REST_MINUTES = 11 * 60;
    static final int MAX_CONSECUTIVE_NIGHTS = 4;
    static final int REQUEST_WEIGHT = 100;
    static final int AVOID_WEIGHT = 200;
    static final int FAIRNESS_WEIGHT = 20;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
                seniorCover(factory),
                oneShiftPerDay(factory),
                minimumRest(factory),
                consecutiveNights(factory),
                annualLeave(factory),
                contractedHoursExceeded(factory),
                vacantShift(factory),
                hoursShortOfContract(factory),
                requestNotMet(factory),
                avoidRequestBroken(factory),
                fairNights(factory),
                fairWeekends(factory)
        };
    }

    Constraint seniorCover(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .filter(s -> s.isSeniorRequired() && !s.getNurse().isSenior())
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(SENIOR_COVER);
    }

    Constraint oneShiftPerDay(ConstraintFactory factory) {
        return factory.forEachUniquePair(ShiftSlot.class,
                        Joiners.equal(ShiftSlot::getNurse), Joiners.equal(ShiftSlot::getDay))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(ONE_SHIFT_PER_DAY);
    }

    /** Shifts on neighbouring days with under 11 hours between them, in hours short (rounded up). */
    Constraint minimumRest(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .join(ShiftSlot.class, Joiners.equal(ShiftSlot::getNurse),
                        Joiners.lessThan(ShiftSlot::getDay))
                .filter((a, b) -> b.getDay() - a.getDay() <= 1 && a.restMinutesBefore(b) < MINIMUM_REST_MINUTES)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD,
                        (a, b) -> (MINIMUM_REST_MINUTES - a.restMinutesBefore(b) + 59) / 60)
                .asConstraint(MINIMUM_REST);
    }

    Constraint consecutiveNights(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .filter(ShiftSlot::isNight)
                .groupBy(ShiftSlot::getNurse, ConstraintCollectors.toConsecutiveSequences(ShiftSlot::getDay))
                .flattenLast(SequenceChain::getConsecutiveSequences)
                .filter((nurse, run) -> run.getCount() > MAX_CONSECUTIVE_NIGHTS)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD,
                        (nurse, run) -> run.getCount() - MAX_CONSECUTIVE_NIGHTS)
                .asConstraint(CONSECUTIVE_NIGHTS);
    }

    Constraint annualLeave(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .filter(s -> s.getNurse().onLeave(s.getDate()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(ANNUAL_LEAVE);
    }

    /** In hours over contract (rounded up) across the period. */
    Constraint contractedHoursExceeded(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .groupBy(ShiftSlot::getNurse, ConstraintCollectors.sum(s -> s.getKind().paidMinutes()))
                .filter((nurse, minutes) -> minutes > nurse.getContractedMinutes())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD,
                        (nurse, minutes) -> (minutes - nurse.getContractedMinutes() + 59) / 60)
                .asConstraint(CONTRACTED_HOURS_EXCEEDED);
    }

    Constraint vacantShift(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(ShiftSlot.class)
                .filter(s -> s.getNurse() == null)
                .penalizeLong(HardMediumSoftLongScore.ONE_MEDIUM, s -> s.isSeniorRequired() ? 2 : 1)
                .asConstraint(VACANT_SHIFT);
    }

    /** Hours short of contract (rounded down), counting people given no shift at all. */
    Constraint hoursShortOfContract(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .groupBy(ShiftSlot::getNurse, ConstraintCollectors.sum(s -> s.getKind().paidMinutes()))
                .complement(Nurse.class, nurse -> 0)
                .filter((nurse, minutes) -> minutes < nurse.getContractedMinutes())
                .penalizeLong(HardMediumSoftLongScore.ofSoft(10),
                        (nurse, minutes) -> (nurse.getContractedMinutes() - minutes) / 60)
                .asConstraint(HOURS_SHORT);
    }

    Constraint requestNotMet(ConstraintFactory factory) {
        return factory.forEach(ShiftRequest.class)
                .filter(ShiftRequest::wanted)
                .ifNotExists(ShiftSlot.class,
                        Joiners.equal(ShiftRequest::staffId, s -> s.getNurse().getId()),
                        Joiners.equal(ShiftRequest::date, ShiftSlot::getDate),
                        Joiners.filtering((request, slot) -> request.matches(slot.getDate(), slot.getKind())))
                .penalize(HardMediumSoftLongScore.ofSoft(REQUEST_WEIGHT))
                .asConstraint(REQUEST_NOT_MET);
    }

    Constraint avoidRequestBroken(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .join(ShiftRequest.class,
                        Joiners.equal(s -> s.getNurse().getId(), ShiftRequest::staffId),
                        Joiners.equal(ShiftSlot::getDate, ShiftRequest::date))
                .filter((slot, request) -> !request.wanted() && request.matches(slot.getDate(), slot.getKind()))
                .penalize(HardMediumSoftLongScore.ofSoft(AVOID_WEIGHT))
                .asConstraint(AVOID_REQUEST_BROKEN);
    }

    /** The square of each person's nights: the sum is least when nights are shared evenly. */
    Constraint fairNights(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .filter(ShiftSlot::isNight)
                .groupBy(ShiftSlot::getNurse, ConstraintCollectors.count())
                .penalizeLong(HardMediumSoftLongScore.ofSoft(FAIRNESS_WEIGHT), (nurse, n) -> (long) n * n)
                .asConstraint(FAIR_NIGHTS);
    }

    Constraint fairWeekends(ConstraintFactory factory) {
        return factory.forEach(ShiftSlot.class)
                .filter(ShiftSlot::isWeekend)
                .groupBy(ShiftSlot::getNurse, ConstraintCollectors.count())
                .penalizeLong(HardMediumSoftLongScore.ofSoft(FAIRNESS_WEIGHT), (nurse, n) -> (long) n * n)
                .asConstraint(FAIR_WEEKENDS);
    }
}
