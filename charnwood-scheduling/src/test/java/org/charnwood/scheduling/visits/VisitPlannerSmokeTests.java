package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.generator.DistrictNursingDays;
import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.junit.jupiter.api.Test;

import java.time.Duration;

class VisitPlannerSmokeTests {
    @Test
    void smoke() {
        VisitPlanner planner = new VisitPlanner(GreatCircleTravelTimes.leicestershire());
        VisitProblem problem = DistrictNursingDays.locality(1);
        long t = System.nanoTime();
        DayPlan plan = planner.plan(problem, new SolveLimits(Duration.ofSeconds(10), null, 100));
        System.out.println("took " + (System.nanoTime() - t) / 1_000_000 + " ms " + plan.score().score() + " " + plan.timeline());
        System.out.println("assigned " + plan.assignedCount() + " travel " + plan.totalTravel() + " km " + plan.totalTravelMetres() / 1000);
        plan.unassigned().forEach(System.out::println);
        plan.score().costs().forEach(c -> System.out.println(c.constraint() + " " + c.hard() + "/" + c.medium() + "/" + c.soft() + " x" + c.matchCount() + " " + c.examples()));
    }
}
