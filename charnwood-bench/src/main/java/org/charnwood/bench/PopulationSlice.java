package org.charnwood.bench;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.demo.PatientRecord;
import org.charnwood.demo.PopulationGenerator;
import org.charnwood.demo.PopulationSpec;
import org.charnwood.demo.ReferenceStyle;
import org.charnwood.demo.TrustShape;
import org.charnwood.demo.TrustShapeGenerator;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Resource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Patients {@code from} to {@code to - 1} of one dataset as a single NDJSON file, so a population can be loaded
 * in steps (1,000, then 19,000 more) and end up exactly the dataset a single export of 20,000 would give. Patient
 * {@code i} depends only on the seed and {@code i}, so slices never overlap or differ from a whole export.
 */
final class PopulationSlice {

    private static final int CHUNK = 256;

    private final TrustShape trust = new TrustShapeGenerator().generate();
    private final long seed;

    PopulationSlice(long seed) {
        this.seed = seed;
    }

    /** Writes the slice (and the trust directory first when {@code from} is 0); returns the resources written. */
    long write(Path file, int from, int to) {
        PopulationGenerator generator = new PopulationGenerator(trust, PopulationSpec.of(to, seed));
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (from == 0) {
                written += write(out, encode(trust.resources()));
            }
            for (int start = from; start < to; start += CHUNK) {
                List<List<String>> chunk = IntStream.range(start, Math.min(to, start + CHUNK)).parallel()
                        .mapToObj(i -> patient(generator, i))
                        .toList();
                for (List<String> lines : chunk) {
                    written += write(out, lines);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    private static List<String> patient(PopulationGenerator generator, int index) {
        PatientRecord record = generator.patient(index, ReferenceStyle.LITERAL);
        return encode(record.resources());
    }

    private static List<String> encode(List<Resource> resources) {
        IParser parser = FhirContexts.r4().newJsonParser().setPrettyPrint(false);
        return resources.stream().map(parser::encodeResourceToString).toList();
    }

    private static int write(BufferedWriter out, List<String> lines) throws IOException {
        for (String line : lines) {
            out.write(line);
            out.write('\n');
        }
        return lines.size();
    }
}
