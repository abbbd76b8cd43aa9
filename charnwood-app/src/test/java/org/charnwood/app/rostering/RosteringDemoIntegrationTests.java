package org.charnwood.app.rostering;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.demo.BundleWriter;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo profile's rostering on the demo trust: two bank staff on the register and a published four-week roster
 * of the community hospital ward team, whose vacancies the demo bank nurse sees in the shift app.
 */
class RosteringDemoIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;
    @Autowired
    StaffRecords register;
    @Autowired
    Rosters rosters;
    @Autowired
    JdbcTemplate template;
    @Autowired
    Clock appClock;

    @Test
    void theDemoTrustGetsBankStaffAndAPublishedWardRosterWithVacancies() {
        new RosteringFixture(http, jdbc, tokens, port).clean();
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(), ReturnPreference.MINIMAL);

        new RosteringDemo(repository, register, rosters, template, appClock).load();

        assertThat(jdbc.queryForObject("select count(*) from rostering.staff_member where bank", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from rostering.roster where status = 'PUBLISHED' and days = 28",
                Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift where status = 'ROSTERED'",
                Integer.class)).isPositive();
        String shifts = new RosteringFixture(http, jdbc, tokens, port)
                .phone(TestTokens.Caller.staff("Practitioner/" + RosteringDemo.BANK_NURSE, AccessRole.REGISTERED_NURSE))
                .get("/shifts").body();
        assertThat(shifts).contains("Bank shifts you can book", "Community Hospital Ward Team");
    }
}
