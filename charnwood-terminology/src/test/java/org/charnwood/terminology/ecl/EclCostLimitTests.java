package org.charnwood.terminology.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class EclCostLimitTests {

    private final TestConceptGraph example = ExampleTerminology.graph();

    @Test
    void resultLargerThanTheBudgetStopsEvaluation() {
        EclCostExceededException error = catchThrowableOfType(EclCostExceededException.class,
                () -> Ecl.parse("< 100003").evaluate(example, EclBudget.standard().withMaxResultSize(3)));
        assertThat(error.limit()).isEqualTo(EclCostExceededException.Limit.RESULT_SIZE);
        assertThat(error.allowed()).isEqualTo(3);
        assertThat(error.reached()).isEqualTo(4);
        assertThat(error.getMessage()).isEqualTo("expression constraint matches 4 concepts, more than the 3 allowed");
    }

    @Test
    void resultOfExactlyTheBudgetIsAllowed() {
        assertThat(Ecl.parse("< 100003").evaluate(example, EclBudget.standard().withMaxResultSize(4)).cardinality())
                .isEqualTo(4);
    }

    @Test
    void largeIntermediateSetsCountAsWorkNotResult() {
        assertThat(Ecl.parse("* MINUS (* MINUS 100005)").evaluate(example, EclBudget.standard().withMaxResultSize(1))
                .cardinality()).isEqualTo(1);
    }

    @Test
    void workBeyondTheBudgetStopsEvaluation() {
        EclCostExceededException error = catchThrowableOfType(EclCostExceededException.class,
                () -> Ecl.parse("* : * = *").evaluate(example, EclBudget.standard().withMaxWorkUnits(20)));
        assertThat(error.limit()).isEqualTo(EclCostExceededException.Limit.WORK_UNITS);
        assertThat(error.allowed()).isEqualTo(20);
        assertThat(error.reached()).isGreaterThan(20);
    }

    @Test
    void timeBeyondTheBudgetStopsEvaluation() {
        TestConceptGraph large = GeneratedTerminology.graph(200_000);
        EclCostExceededException error = catchThrowableOfType(EclCostExceededException.class,
                () -> Ecl.parse("<< 404684003 : 363698007 = << 123037004")
                        .evaluate(large, EclBudget.unlimited().withMaxTime(Duration.ZERO)));
        assertThat(error.limit()).isEqualTo(EclCostExceededException.Limit.TIME);
        assertThat(error.getMessage()).startsWith("expression constraint took longer than the 0 ms allowed");
    }

    @Test
    void singleConceptTestHasABudgetToo() {
        int heart = example.index(ExampleTerminology.HEART);
        EclExpression expression = Ecl.parse("> (<< 100001 MINUS 100021)");
        assertThat(expression.matches(example, heart, EclBudget.standard())).isFalse();
        EclCostExceededException error = catchThrowableOfType(EclCostExceededException.class,
                () -> expression.matches(example, heart, EclBudget.standard().withMaxWorkUnits(5)));
        assertThat(error.limit()).isEqualTo(EclCostExceededException.Limit.WORK_UNITS);
    }

    @Test
    void unlimitedBudgetEvaluatesAnything() {
        assertThat(Ecl.parse("<< 100001").evaluate(example, EclBudget.unlimited()).cardinality())
                .isEqualTo(example.size() - 1);
    }

    @Test
    void budgetRefusesNegativeLimits() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> EclBudget.standard().withMaxResultSize(-1))).isNotNull();
    }
}
