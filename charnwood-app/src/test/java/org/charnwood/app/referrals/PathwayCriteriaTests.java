package org.charnwood.app.referrals;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PathwayCriteriaTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private static PatientFacts facts(LocalDate born, String postcode, Set<String> practices, Long... codes) {
        return new PatientFacts(born, postcode, practices, Set.of(codes), TODAY);
    }

    private static PathwayRule accept(PathwayRule.Test test) {
        return new PathwayRule(PathwayRule.Kind.ACCEPT, test, "rule", null);
    }

    @Test
    void eclMatchesACodeBelowTheFocusConceptInTheSampleHierarchy() {
        PathwayRule.Ecl heartLike = new PathwayRule.Ecl("<< 10079999999108 |Synthetic heart-like organ disorder|");
        var sample = SampleTerminology.release();
        assertThat(PathwayCriteria.holds(heartLike, facts(null, null, Set.of(), 10109999999103L), sample)).isTrue();
        assertThat(PathwayCriteria.holds(heartLike, facts(null, null, Set.of(), 10189999999109L), sample))
                .as("the cardiopulmonary disorder has the heart-like disorder as one of two parents").isTrue();
        assertThat(PathwayCriteria.holds(heartLike, facts(null, null, Set.of(), 10089999999105L), sample))
                .as("a lung-like disorder is not below it").isFalse();
    }

    @Test
    void theShippedHeartFailurePathwayAcceptsEitherDemoHeartFailureCode() {
        Pathway heartFailure = ShippedPathways.get("heart-failure");
        var sample = SampleTerminology.release();
        PatientFacts chronic = facts(LocalDate.of(1950, 1, 1), "LE1 1AA", Set.of("C82001"), 88805009L);
        PatientFacts copd = facts(LocalDate.of(1950, 1, 1), "LE1 1AA", Set.of("C82001"), 13645005L);

        assertThat(PathwayCriteria.failures(heartFailure, chronic, sample)).isEmpty();
        assertThat(PathwayCriteria.failures(heartFailure, copd, sample)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("heart failure"));
    }

    @Test
    void anExclusionInTheRecordRefusesTheMemoryServiceAndNamesWhereToGo() {
        Pathway memory = ShippedPathways.get("memory-assessment");
        var failures = PathwayCriteria.failures(memory, facts(LocalDate.of(1940, 1, 1), "LE1 1AA", Set.of("C82001"),
                26929004L), SampleTerminology.release());
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.rule().kind()).isEqualTo(PathwayRule.Kind.EXCLUDE);
            assertThat(f.rule().redirect()).endsWith("/community-mental-health");
        });
    }

    @Test
    void ageBoundsAreInclusiveAndCountWholeYears() {
        PathwayRule.AgeRange children = new PathwayRule.AgeRange(0, 17);
        assertThat(PathwayCriteria.holds(children, facts(TODAY.minusYears(18).plusDays(1), null, Set.of()), null)).isTrue();
        assertThat(PathwayCriteria.holds(children, facts(TODAY.minusYears(18), null, Set.of()), null)).isFalse();
        assertThat(PathwayCriteria.holds(new PathwayRule.AgeRange(18, null), facts(TODAY.minusYears(18), null, Set.of()),
                null)).isTrue();
    }

    @Test
    void postcodeAreaLettersCoverEveryDistrictButADistrictIsExact() {
        assertThat(PathwayCriteria.inArea("le15 6rb", "LE")).isTrue();
        assertThat(PathwayCriteria.inArea("L1 8JQ", "LE")).as("Liverpool is not Leicester").isFalse();
        assertThat(PathwayCriteria.inArea("LE1 3AB", "LE1")).isTrue();
        assertThat(PathwayCriteria.inArea("LE15 6RB", "LE1")).isFalse();
        assertThat(PathwayCriteria.inArea("PE96RB", "PE9")).isTrue();
        assertThat(PathwayCriteria.inArea("PE1 1AA", "PE9")).isFalse();
        assertThat(PathwayCriteria.inArea("LE1 3AB", "LE1 3")).isTrue();
    }

    @Test
    void registeredPracticeMatchesOnTheOdsCodePrefix() {
        PathwayRule.RegisteredPractice llr = new PathwayRule.RegisteredPractice(List.of("C82"));
        assertThat(PathwayCriteria.holds(llr, facts(null, null, Set.of("C82901")), null)).isTrue();
        assertThat(PathwayCriteria.holds(llr, facts(null, null, Set.of("M85001")), null)).isFalse();
        assertThat(PathwayCriteria.holds(llr, facts(null, null, Set.of()), null)).isNull();
    }

    @Test
    void missingInformationFailsAnAcceptRuleAsUncheckedButNeverExcludes() {
        Pathway pathway = new Pathway("t", "1", "HealthcareService/t", "Test", false, List.of("routine"),
                List.of(accept(new PathwayRule.AgeRange(18, null)), accept(new PathwayRule.Ecl("<< 84114007")),
                        new PathwayRule(PathwayRule.Kind.EXCLUDE, new PathwayRule.PostcodeArea(List.of("B")), "Not B", null)),
                List.of(), null, null);

        var failures = PathwayCriteria.failures(pathway, facts(null, null, Set.of()), null);

        assertThat(failures).hasSize(2).allSatisfy(f -> {
            assertThat(f.unchecked()).isTrue();
            assertThat(f.message()).contains("cannot be checked");
        });
    }
}
