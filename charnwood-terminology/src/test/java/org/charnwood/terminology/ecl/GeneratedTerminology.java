package org.charnwood.terminology.ecl;

import java.util.SplittableRandom;

/**
 * A release-sized terminology made up on the spot: a clinical-finding subtree of the requested size (each concept
 * under a random earlier one, one in ten with a second parent, each with a finding site in group 1) beside a body
 * structure hierarchy. Seeded, so every run builds the same graph.
 */
final class GeneratedTerminology {

    static final long ROOT = 138875005L;
    static final long FINDING = 404684003L;
    static final long BODY_STRUCTURE = 123037004L;
    static final long FINDING_SITE = 363698007L;
    static final int BODY_STRUCTURES = 2_000;
    private static final long FINDING_BASE = 1_000_000_000L;
    private static final long BODY_BASE = 2_000_000_000L;

    private GeneratedTerminology() {
    }

    static TestConceptGraph graph(int findings) {
        SplittableRandom random = new SplittableRandom(20250101L);
        TestConceptGraph.Builder builder = TestConceptGraph.builder()
                .concept(ROOT)
                .concept(FINDING, ROOT)
                .concept(BODY_STRUCTURE, ROOT)
                .concept(FINDING_SITE, ROOT);
        for (int b = 0; b < BODY_STRUCTURES; b++) {
            builder.concept(BODY_BASE + b, b == 0 ? BODY_STRUCTURE : BODY_BASE + random.nextInt(b));
        }
        for (int f = 0; f < findings; f++) {
            long id = FINDING_BASE + f;
            if (f == 0) {
                builder.concept(id, FINDING);
            } else {
                long parent = FINDING_BASE + random.nextInt(f);
                if (f > 10 && random.nextInt(10) == 0) {
                    long second = FINDING_BASE + random.nextInt(f);
                    builder.concept(id, second == parent ? new long[] {parent} : new long[] {parent, second});
                } else {
                    builder.concept(id, parent);
                }
            }
            builder.attribute(id, FINDING_SITE, BODY_BASE + random.nextInt(BODY_STRUCTURES), 1);
        }
        return builder.build();
    }
}
