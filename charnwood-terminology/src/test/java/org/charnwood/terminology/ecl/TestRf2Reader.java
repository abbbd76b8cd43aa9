package org.charnwood.terminology.ecl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Just enough of an RF2 snapshot reader to load the small sample release into a {@link TestConceptGraph}: active
 * concepts, active inferred relationships (|is a| into the hierarchy, the rest as attributes) and active simple
 * refset members. It trusts its input; importing real releases is the production importer's job.
 */
final class TestRf2Reader {

    private static final String IS_A = "116680003";
    private static final String INFERRED = "900000000000011006";

    private TestRf2Reader() {
    }

    static TestConceptGraph read(String folder, String concepts, String relationships, String simpleRefset) {
        TestConceptGraph.Builder builder = TestConceptGraph.builder();
        rows(folder + "/" + concepts, row -> {
            long id = Long.parseLong(row[0]);
            if (row[2].equals("1")) {
                builder.concept(id);
            } else {
                builder.inactiveConcept(id);
            }
        });
        rows(folder + "/" + relationships, row -> {
            if (!row[2].equals("1") || !row[8].equals(INFERRED)) {
                return;
            }
            long source = Long.parseLong(row[4]);
            long destination = Long.parseLong(row[5]);
            if (row[7].equals(IS_A)) {
                builder.isA(source, destination);
            } else {
                builder.attribute(source, Long.parseLong(row[7]), destination, Integer.parseInt(row[6]));
            }
        });
        rows(folder + "/" + simpleRefset, row -> {
            if (row[2].equals("1")) {
                builder.refset(Long.parseLong(row[4]), Long.parseLong(row[5]));
            }
        });
        return builder.build();
    }

    private static void rows(String resource, Consumer<String[]> row) {
        InputStream stream = TestRf2Reader.class.getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalArgumentException("no resource " + resource);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    row.accept(line.strip().split("\t", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
