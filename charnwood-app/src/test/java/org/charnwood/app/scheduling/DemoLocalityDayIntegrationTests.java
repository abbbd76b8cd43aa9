package org.charnwood.app.scheduling;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.NhsNumber;
import org.charnwood.demo.UkCore;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.SolveLimits;
import org.charnwood.scheduling.visits.StaffMember;
import org.charnwood.scheduling.visits.VisitProblem;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo locality: a team of 25 of mixed bands and about 250 visits due today, added once however often the
 * application starts, which plans to a day that breaks no hard rule within a few seconds.
 */
class DemoLocalityDayIntegrationTests extends CharnwoodIntegrationTest {

    /** The demo profile's seed. */
    private static final long SEED = 20261125L;
    private static final java.util.regex.Pattern POSTCODE =
            java.util.regex.Pattern.compile("[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}");

    @Autowired
    FhirRepository repository;

    @Autowired
    DistrictNursingScheduler scheduler;

    @Test
    void theDemoLocalityHasTwentyFiveStaffAndAboutTwoHundredAndFiftyVisitsTodayThatPlanToAFeasibleDay() {
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(),
                ReturnPreference.MINIMAL);
        // The day is read once, from a clock that stands still: the day whose visits are loaded is the day planned,
        // even when the test runs across midnight.
        java.time.Clock now = java.time.Clock.fixed(clock.instant(), clock.getZone());
        DemoLocalityDay demo = new DemoLocalityDay(repository, now, SEED);
        demo.load();
        demo.load();
        LocalDate today = now.instant().atZone(TeamDayReader.LONDON).toLocalDate();

        VisitProblem problem = scheduler.problem(DemoLocalityDay.TEAM, today);
        assertThat(problem.staff()).hasSize(25);
        assertThat(problem.staff()).extracting(StaffMember::band).contains(3, 5, 6);
        assertThat(problem.visits()).hasSize(DemoLocalityDay.VISITS);

        DayPlan plan = scheduler.plan(problem, SolveLimits.moves(20_000, 20));
        assertThat(plan.feasible()).as(plan.score().score()).isTrue();
        assertThat(plan.assignedCount()).as("visits planned").isGreaterThan(DemoLocalityDay.VISITS * 8 / 10);
    }

    @Test
    void theLocalitysPatientsAreUkCorePatientsWithNhsNumbersPracticesAndPostcodesThatCanExist() {
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(),
                ReturnPreference.MINIMAL);
        new DemoLocalityDay(repository, clock, SEED).load();
        String ids = java.util.stream.IntStream.rangeClosed(1, 200)
                .mapToObj(i -> String.format("dnl-patient-%03d", i)).collect(java.util.stream.Collectors.joining(","));

        FhirHttp.Response found = http.get("/fhir/Patient?_count=200&_id=" + ids);

        assertThat(found.status()).as(found.body()).isEqualTo(200);
        java.util.List<Patient> patients = found.bundle().getEntry().stream()
                .map(e -> (Patient) e.getResource()).toList();
        assertThat(patients).hasSize(200);
        // The generated population's numbers (the first 200 of the same seed): none may be repeated.
        java.util.Set<String> population = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            population.add(NhsNumber.testNumber(SEED, i).value());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> practices = new java.util.HashSet<>();
        for (Patient patient : patients) {
            String name = patient.getIdPart();
            assertThat(patient.getMeta().getProfile()).as(name).extracting(p -> p.getValue())
                    .contains(UkCore.PATIENT);
            String nhs = patient.getIdentifier().stream().filter(i -> UkCore.NHS_NUMBER_SYSTEM.equals(i.getSystem()))
                    .map(org.hl7.fhir.r4.model.Identifier::getValue).findFirst().orElse("");
            assertThat(NhsNumber.isValid(nhs)).as(name + " " + nhs).isTrue();
            assertThat(nhs).startsWith("999");
            assertThat(seen.add(nhs)).as("%s repeats %s", name, nhs).isTrue();
            assertThat(population).as(name).doesNotContain(nhs);
            assertThat(patient.getAddressFirstRep().getPostalCode()).as(name).matches(POSTCODE);
            assertThat(patient.getGeneralPractitioner()).as(name).hasSize(1);
            practices.add(patient.getGeneralPractitionerFirstRep().getReference());
        }
        for (String practice : practices) {
            FhirHttp.Response gp = http.get("/fhir/" + practice);
            assertThat(gp.status()).as(practice).isEqualTo(200);
            assertThat(gp.resource(org.hl7.fhir.r4.model.Organization.class).getAddressFirstRep().getDistrict())
                    .isEqualTo("Leicestershire");
        }
    }
}
