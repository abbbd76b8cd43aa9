package org.charnwood.app.rostering;

import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.TrustService;
import org.charnwood.demo.TrustShape;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RedactedFailure;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The demo profile's rostering: two bank staff ({@code Practitioner/bank-001}, a band 6 staff nurse, and
 * {@code Practitioner/bank-002}, a band 3 healthcare assistant, signed in as {@code demo.bank} and
 * {@code demo.bankhca}) and a published four-week roster for the community hospital ward team from next Monday,
 * whose unfilled places are the vacant bank shifts. Runs once, after the demo data is loaded.
 */
@Component
@ConditionalOnProperty(name = "charnwood.demo.enabled", havingValue = "true")
class RosteringDemo {

    static final String BANK_NURSE = "bank-001";
    static final String BANK_HCA = "bank-002";
    private static final Logger log = LoggerFactory.getLogger(RosteringDemo.class);

    private final FhirRepository repository;
    private final StaffRecords register;
    private final Rosters rosters;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    RosteringDemo(FhirRepository repository, StaffRecords register, Rosters rosters, JdbcTemplate jdbc, Clock clock) {
        this.repository = repository;
        this.register = register;
        this.rosters = rosters;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void load() {
        Integer planned = jdbc.queryForObject("select count(*) from rostering.roster", Integer.class);
        if (planned != null && planned > 0) {
            return;
        }
        try {
            bankStaff(BANK_NURSE, "Priya", "Shah", "Bank Staff Nurse", new StaffGrade(6, true));
            bankStaff(BANK_HCA, "Tom", "Evans", "Bank Healthcare Assistant", new StaffGrade(3, false));
            TrustShape trust = BundleWriter.forStandardTrust().trust();
            String ward = trust.teams().stream().filter(t -> t.service() == TrustService.COMMUNITY_INPATIENTS)
                    .findFirst().orElseThrow().careTeamId();
            LocalDate monday = LocalDate.now(clock).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            long id = rosters.plan(ward, monday, 4, Duration.ofSeconds(5), "demo", clock.instant());
            int vacancies = rosters.publish(id, "demo", clock.instant());
            log.info("Demo roster published for {}: {} vacant shifts on the bank", ward, vacancies);
        } catch (RuntimeException e) {
            log.warn("Demo roster not loaded: {}", RedactedFailure.summary(e));
        }
    }

    private void bankStaff(String id, String given, String family, String title, StaffGrade grade) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(id);
        practitioner.setActive(true);
        practitioner.addName().setFamily(family).addGiven(given);
        PractitionerRole role = new PractitionerRole();
        role.setId(id + "-bank");
        role.setActive(true);
        role.setPractitioner(new Reference("Practitioner/" + id).setDisplay(given + " " + family));
        role.addCode(new CodeableConcept().setText(title));
        repository.inTransaction(session -> {
            session.update("Practitioner", id, practitioner, null);
            session.update("PractitionerRole", id + "-bank", role, null);
            return null;
        });
        register.save(id, given + " " + family, grade, 0, true);
    }
}
