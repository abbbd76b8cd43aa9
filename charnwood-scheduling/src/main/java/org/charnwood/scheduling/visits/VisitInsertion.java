package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.travel.TravelMatrix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a new visit goes in a day under way: every position of every route after its pinned visits, and, when the
 * visit is more urgent than an outstanding one, every position with one such visit taken out of that route to make
 * room. Routes are simulated here with the same timing rules as {@link Visit#getStart()} rather than scored by the
 * solver: a day of 1,000 visits has about 10,000 positions and, with one visit taken out, about 100,000, far more
 * than the solver's incremental score could try within the two seconds an urgent referral allows. The caller applies
 * the best option, scores it exactly and falls back to the next if it breaks a hard rule after all.
 */
final class VisitInsertion {

    private VisitInsertion() {
    }

    /**
     * One way to place the visit.
     *
     * @param bumped  the outstanding visit taken out of the route to make room, or null
     * @param medium  the medium-level cost: the bumped visit's unassigned weight, 0 when nothing is bumped
     * @param soft    the soft cost added to the route, in the units of {@link VisitConstraints}
     */
    record Option(Carer carer, int position, Visit bumped, long medium, long soft) {
    }

    /** Route figures: hard penalty in the constraints' units, and soft cost. */
    private record Cost(long hard, long soft, int startOfInserted) {
    }

    /**
     * Options that break no hard rule the route did not already break, best first (least bumped, then cheapest).
     *
     * @param mayBump whether a lower-priority outstanding visit may be taken out to make room
     */
    static List<Option> options(VisitPlan plan, Visit visit, boolean mayBump) {
        List<Option> options = new ArrayList<>();
        long weight = visit.getPriority().unassignedWeight();
        List<Visit> samePatient = plan.getVisits().stream()
                .filter(v -> v != visit && v.isAssigned() && v.getPatientId().equals(visit.getPatientId()))
                .toList();
        for (Carer carer : plan.getCarers()) {
            if (!carer.getSkills().containsAll(visit.getRequiredSkills()) || carer.getBand() < visit.getMinimumBand()) {
                continue;
            }
            List<Visit> route = carer.getVisits();
            Cost now = cost(carer, route, -1, null, -1);
            for (int p = carer.getPinnedCount(); p <= route.size(); p++) {
                Cost with = cost(carer, route, -1, visit, p);
                if (with.hard() <= now.hard() && !patientBusy(samePatient, visit, with.startOfInserted())) {
                    options.add(new Option(carer, p, null, 0, with.soft() - now.soft()));
                }
            }
            if (!mayBump) {
                continue;
            }
            for (int q = carer.getPinnedCount(); q < route.size(); q++) {
                Visit out = route.get(q);
                if (out.getPriority().unassignedWeight() >= weight) {
                    continue;
                }
                long disruption = out.getPreviousPlanCarer() == null ? 0 : VisitConstraints.DISRUPTION_WEIGHT;
                for (int p = carer.getPinnedCount(); p < route.size(); p++) {
                    Cost with = cost(carer, route, q, visit, p);
                    if (with.hard() <= now.hard() && !patientBusy(samePatient, visit, with.startOfInserted())) {
                        options.add(new Option(carer, p, out, out.getPriority().unassignedWeight(),
                                with.soft() - now.soft() + disruption));
                    }
                }
            }
        }
        options.sort(Comparator.comparingLong(Option::medium).thenComparingLong(Option::soft));
        return options;
    }

    /** Whether another planned visit to the same patient overlaps a start at {@code start}. */
    private static boolean patientBusy(List<Visit> samePatient, Visit visit, int start) {
        int end = start + visit.getDurationSeconds();
        for (Visit other : samePatient) {
            if (start < other.getEnd() && other.getStart() < end) {
                return true;
            }
        }
        return false;
    }

    /**
     * The route with the visit at {@code skip} taken out (or none, -1) and {@code inserted} placed at {@code at} of
     * what remains (or none), costed as {@link VisitConstraints} would: hard rules of the route and its visits, and
     * travel, lateness, continuity, gender preference, fair workload and disruption.
     */
    private static Cost cost(Carer carer, List<Visit> route, int skip, Visit inserted, int at) {
        TravelMatrix matrix = carer.matrix();
        long hard = 0;
        long soft = 0;
        int place = carer.getBase();
        int clock = carer.getShiftStart();
        int count = 0;
        long travel = 0;
        long work = 0;
        int insertedStart = -1;
        int size = route.size() - (skip >= 0 ? 1 : 0) + (inserted != null ? 1 : 0);
        int source = 0;
        for (int i = 0; i < size; i++) {
            Visit visit;
            if (inserted != null && i == at) {
                visit = inserted;
            } else {
                if (source == skip) {
                    source++;
                }
                visit = route.get(source++);
            }
            int leg = matrix.seconds(place, visit.getPlace());
            int start = Math.max(clock + leg, visit.getWindowStart());
            if (!visit.isFixed()) {
                start = Math.max(start, carer.getNotBefore());
            }
            if (carer.hasBreak() && start < carer.getBreakEnd()
                    && start + visit.getDurationSeconds() > carer.getBreakStart()) {
                start = carer.getBreakEnd();
            }
            if (visit == inserted) {
                insertedStart = start;
            }
            travel += leg;
            work += leg + visit.getDurationSeconds();
            count++;
            if (start > visit.getWindowEnd()) {
                hard += (start - visit.getWindowEnd() + 59) / 60;
            }
            for (String skill : visit.getRequiredSkills()) {
                if (!carer.getSkills().contains(skill)) {
                    hard++;
                }
            }
            hard += Math.max(0, visit.getMinimumBand() - carer.getBand());
            soft += (long) (Math.max(0, start - visit.getWindowStart()) / 60)
                    * visit.getPriority().latenessWeightPerMinute();
            if (!visit.getPreviousCarers().isEmpty() && !visit.getPreviousCarers().contains(carer.getId())) {
                soft += VisitConstraints.CONTINUITY_WEIGHT;
            }
            if (visit.getPreferredGender() != null && visit.getPreferredGender() != carer.getGender()) {
                soft += VisitConstraints.GENDER_WEIGHT;
            }
            if (visit.getPreviousPlanCarer() != null && !visit.getPreviousPlanCarer().equals(carer.getId())) {
                soft += VisitConstraints.DISRUPTION_WEIGHT;
            }
            clock = start + visit.getDurationSeconds();
            place = visit.getPlace();
        }
        if (count > 0) {
            int home = matrix.seconds(place, carer.getBase());
            travel += home;
            work += home;
            hard += Math.max(0, (clock + home - carer.getShiftEnd() + 59) / 60);
            hard += Math.max(0, count - carer.getMaxVisits());
            hard += Math.max(0, (work - carer.getMaxWorkSeconds() + 59) / 60);
        }
        soft += travel + (long) VisitConstraints.FAIRNESS_WEIGHT * count * count;
        return new Cost(hard, soft, insertedStart);
    }
}
