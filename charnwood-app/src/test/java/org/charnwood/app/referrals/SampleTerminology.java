package org.charnwood.app.referrals;

import org.charnwood.terminology.snomed.DemoCodes;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.charnwood.terminology.snomed.TerminologyRelease;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The sample terminology the application serves (the synthetic RF2 snapshot's concepts and IS-A relationships,
 * plus the demo code list without hierarchy), built in memory from the same files, for unit tests of ECL criteria.
 */
final class SampleTerminology {

    private static final String FOLDER = "terminology/snomed-sample/SnomedCT_CharnwoodSyntheticRF2_ZZ9999999_20250101"
            + "/Snapshot/Terminology/";
    private static final long IS_A = 116680003L;
    private static SnomedRelease release;

    private SampleTerminology() {
    }

    static synchronized SnomedRelease release() {
        if (release == null) {
            SnomedRelease.Builder builder = new SnomedRelease.Builder(new TerminologyRelease(1, "sample", 20250101, false));
            Set<Long> concepts = new HashSet<>();
            rows(FOLDER + "sct2_Concept_Snapshot_ZZ9999999_20250101.txt", r -> {
                concepts.add(Long.parseLong(r[0]));
                builder.concept(Long.parseLong(r[0]), "1".equals(r[2]), Long.parseLong(r[3]), 20250101, false);
            });
            DemoCodes.load().stream().filter(c -> concepts.add(c.conceptId()))
                    .forEach(c -> builder.concept(c.conceptId(), true, 900000000000207008L, 20250101, false));
            rows(FOLDER + "sct2_Relationship_Snapshot_ZZ9999999_20250101.txt", r -> {
                if ("1".equals(r[2]) && Long.parseLong(r[7]) == IS_A) {
                    builder.relationship(Long.parseLong(r[4]), Long.parseLong(r[5]), IS_A, Integer.parseInt(r[6]));
                }
            });
            release = builder.build();
        }
        return release;
    }

    private static void rows(String resource, java.util.function.Consumer<String[]> row) {
        InputStream in = SampleTerminology.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is not on the class path");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    row.accept(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
