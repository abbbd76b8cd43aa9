package org.charnwood.app.workspace;

import org.charnwood.app.scheduling.DistrictNursingScheduler;
import org.charnwood.app.scheduling.TeamDayFixture;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.Route;
import org.charnwood.scheduling.visits.SolveLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The district-nursing team day and the run sheet in a real browser, every page checked by axe-core: a district
 * nurse plans the day, waits for it on the "planning" page, reads the timeline, the visits left out and the score,
 * publishes it and opens one nurse's day; a nurse reads her run sheet on a phone-sized screen. The days planned
 * here are a few days ahead, so they never meet a plan another test class left in memory for today.
 */
class TeamDayBrowserIntegrationTests extends BrowserIntegrationTest {

    @Autowired
    FhirRepository repository;

    @Autowired
    DistrictNursingScheduler scheduler;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void signedOut() {
        browser().driver().manage().window().setSize(new Dimension(1280, 1024));
        browser().open("/signin/done");
        if (browser().present("form[action='/signout'] button")) {
            browser().click("form[action='/signout'] button");
        }
    }

    private LocalDate daysAhead(int days) {
        return clock.instant().atZone(java.time.ZoneId.of("Europe/London")).toLocalDate().plusDays(days);
    }

    private void signInAs(String path, String practitioner, AccessRole role) {
        browser().open(path).signIn(tokens.account(TestTokens.Caller.staff(practitioner, role)), TestTokens.PASSWORD);
        assertThat(browser().landedOn()).isEqualTo(path);
    }

    @Test
    void aDistrictNursePlansTheDayReadsTheTimelineAndScoreAndPublishesIt() {
        LocalDate day = daysAhead(2);
        TeamDayFixture.load(repository, day);
        relationships.forgetAll();
        String path = "/staff/teams/" + TeamDayFixture.TEAM + "/day?date=" + day;
        signInAs(path, TeamDayFixture.first(repository, "District Nurse").practitioner(), AccessRole.REGISTERED_NURSE);
        assertThat(browser().present("#no-plan")).isTrue();
        browser().assertAccessible();

        browser().click("#plan-day");
        if (browser().present("#planning")) {
            browser().assertAccessible();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (browser().present("#check-plan")) {
                browser().click("#check-plan");
            }
            return browser().present("#plan-summary");
        });
        assertThat(browser().text("#visits-planned")).isEqualTo("10 of 10");
        assertThat(browser().text("#plan-status")).contains("Draft");
        assertThat(browser().present("svg.app-timeline rect.app-timeline__visit")).isTrue();
        assertThat(browser().text("#score")).contains("Travel time");
        assertThat(browser().text("#unassigned")).contains("Every visit is in the plan");
        browser().assertAccessible();

        browser().click("#publish");
        assertThat(browser().text("#notice")).contains("Published: 10 visits booked");
        assertThat(browser().text("#plan-status")).isEqualTo("Published");
        browser().assertAccessible();

        String nurseDay = browser().find("#routes a").getAttribute("href");
        browser().open(nurseDay.substring(nurseDay.indexOf("/staff/")));
        assertThat(browser().text("#nurse-summary")).contains("published");
        browser().assertAccessible();
    }

    @Test
    void aNurseReadsHerRunSheetOnAPhone() {
        LocalDate day = daysAhead(3);
        TeamDayFixture.load(repository, day);
        relationships.forgetAll();
        DayPlan plan = scheduler.plan(TeamDayFixture.TEAM, day,
                SolveLimits.moves(5_000, 5));
        scheduler.publish(TeamDayFixture.TEAM, plan);
        Route route = plan.routes().stream().filter(r -> !r.visits().isEmpty()).findFirst().orElseThrow();
        String practitioner = TeamDayFixture.members(repository).stream()
                .filter(m -> m.roleId().equals(route.staffId())).findFirst().orElseThrow().practitioner();

        browser().driver().manage().window().setSize(new Dimension(360, 740));
        String path = "/staff/run-sheet?date=" + day;
        signInAs(path, practitioner, AccessRole.REGISTERED_NURSE);
        assertThat(browser().driver().findElements(org.openqa.selenium.By.cssSelector("#run-sheet > li")))
                .hasSize(route.visits().size());
        assertThat(browser().text("#run-sheet > li:first-child")).contains(route.visits().getFirst().start()
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString())
                .contains("Open the record");
        Long width = (Long) browser().driver().executeScript("return document.documentElement.scrollWidth;");
        assertThat(width).as("nothing wider than a 360-pixel screen").isLessThanOrEqualTo(360L);
        browser().assertAccessible();
    }
}
