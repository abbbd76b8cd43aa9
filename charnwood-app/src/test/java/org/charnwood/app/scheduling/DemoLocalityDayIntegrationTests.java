package org.charnwood.app.scheduling;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.demo.BundleWriter;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.SolveLimits;
import org.charnwood.scheduling.visits.StaffMember;
import org.charnwood.scheduling.visits.VisitProblem;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo locality: a team of 25 of mixed bands and about 250 visits due today, added once however often the
 * application starts, which plans to a day that breaks no hard rule within a few seconds.
 */
class DemoLocalityDayIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;

    @Autowired
    DistrictNursingScheduler scheduler;

    @Test
    void theDemoLocalityHasTwentyFiveStaffAndAboutTwoHundredAndFiftyVisitsTodayThatPlanToAFeasibleDay() {
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(),
                ReturnPreference.MINIMAL);
        DemoLocalityDay demo = new DemoLocalityDay(repository, clock);
        demo.load();
        demo.load();
        LocalDate today = clock.instant().atZone(TeamDayReader.LONDON).toLocalDate();

        VisitProblem problem = scheduler.problem(DemoLocalityDay.TEAM, today);
        assertThat(problem.staff()).hasSize(25);
        assertThat(problem.staff()).extracting(StaffMember::band).contains(3, 5, 6);
        assertThat(problem.visits()).hasSize(DemoLocalityDay.VISITS);

        DayPlan plan = scheduler.plan(problem, new SolveLimits(Duration.ofSeconds(3), Duration.ofSeconds(3), 20));
        assertThat(plan.feasible()).as(plan.score().score()).isTrue();
        assertThat(plan.assignedCount()).as("visits planned").isGreaterThan(DemoLocalityDay.VISITS * 8 / 10);
    }
}
