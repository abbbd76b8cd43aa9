package org.charnwood.terminology.ecl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

/**
 * Prints how fast constraints expand over a clinical-finding-sized subtree. Timings depend on the machine and on
 * whatever else it is doing, so nothing here asserts a speed; the figures go to docs/terminology-ecl.md.
 */
class EclExpansionRateTests {

    private static final int FINDINGS = 150_000;

    @Test
    void printsTheExpansionRateOfLargeConstraints() {
        TestConceptGraph graph = GeneratedTerminology.graph(FINDINGS);
        EclExpression descendants = Ecl.parse("<< 404684003 |Clinical finding|");
        EclExpression refined = Ecl.parse("<< 404684003 : 363698007 = << 2000000001");
        EclExpression minus = Ecl.parse("<< 404684003 MINUS << 1000000001");

        int size = rate("<< 404684003", descendants, graph);
        assertThat(size).isEqualTo(FINDINGS + 1);
        rate("refined by finding site", refined, graph);
        rate("minus a subtree", minus, graph);

        EclExpression binding = Ecl.parse("<< 404684003 : 363698007 = << 123037004");
        int concept = graph.index(1_000_000_000L + FINDINGS - 1);
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            binding.matches(graph, concept);
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            assertThat(binding.matches(graph, concept)).isTrue();
        }
        double micros = (System.nanoTime() - start) / 1_000.0 / rounds;
        System.out.printf("ECL matches (binding check, refined, one concept): %.1f us per test%n", micros);
    }

    private static int rate(String label, EclExpression expression, TestConceptGraph graph) {
        BitSet result = null;
        for (int i = 0; i < 5; i++) {
            result = expression.evaluate(graph, EclBudget.unlimited());
        }
        int rounds = 20;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            result = expression.evaluate(graph, EclBudget.unlimited());
        }
        double seconds = (System.nanoTime() - start) / 1e9 / rounds;
        System.out.printf("ECL %s: %d codes in %.2f ms = %.1f million codes/s%n", label, result.cardinality(),
                seconds * 1e3, result.cardinality() / seconds / 1e6);
        return result.cardinality();
    }
}
