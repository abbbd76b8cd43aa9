package org.charnwood.terminology.ecl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;

import org.charnwood.terminology.ConceptGraph;

/** Checks a constraint both ways: the expanded set, and the single-concept test for every concept of the graph. */
final class EclAssertions {

    private EclAssertions() {
    }

    static void assertEcl(ConceptGraph graph, String ecl, long... expectedIds) {
        EclExpression expression = Ecl.parse(ecl);
        Set<Long> expected = new TreeSet<>();
        for (long id : expectedIds) {
            expected.add(id);
        }
        BitSet result = expression.evaluate(graph, EclBudget.standard());
        assertThat(ids(graph, result)).as("evaluate %s", ecl).isEqualTo(expected);
        for (int concept = 0; concept < graph.size(); concept++) {
            assertThat(expression.matches(graph, concept, EclBudget.standard()))
                    .as("matches %s for %s", ecl, graph.conceptId(concept))
                    .isEqualTo(expected.contains(graph.conceptId(concept)));
        }
        // The normal form means the same as the text it came from.
        assertThat(ids(graph, Ecl.parse(expression.toString()).evaluate(graph))).as("normal form of %s", ecl)
                .isEqualTo(expected);
    }

    static Set<Long> ids(ConceptGraph graph, BitSet concepts) {
        Set<Long> ids = new TreeSet<>();
        concepts.stream().forEach(concept -> ids.add(graph.conceptId(concept)));
        return ids;
    }
}
