package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Resource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Demo data as FHIR Bulk Data NDJSON: one {@code <ResourceType>.ndjson} file per resource type, one resource
 * per line, every resource with its id and every reference literal ({@code Patient/<id>}), so the files load
 * in any order. The trust directory is written too, so every reference resolves inside the export.
 *
 * <p>Patients are generated and encoded in chunks, each chunk in parallel, then written in index order: memory
 * stays bounded by the chunk size and the output is byte-for-byte the same for the same spec.
 */
public final class NdjsonWriter {

    private static final int CHUNK = 256;

    private final TrustShape trust;

    public NdjsonWriter(TrustShape trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    public static NdjsonWriter forStandardTrust() {
        return new NdjsonWriter(new TrustShapeGenerator().generate());
    }

    /** Writes {@code count} patients of dataset {@code seed} (default reference date) and the trust into {@code dir}. */
    public NdjsonExport writeNdjson(Path dir, int count, long seed) {
        return writeNdjson(dir, PopulationSpec.of(count, seed));
    }

    public NdjsonExport writeNdjson(Path dir, PopulationSpec spec) {
        PopulationGenerator generator = new PopulationGenerator(trust, spec);
        Map<String, Long> counts = new TreeMap<>();
        try (TypeFiles files = new TypeFiles(dir)) {
            IParser parser = parser();
            for (Resource resource : trust.resources()) {
                files.write(resource.fhirType(), parser.encodeResourceToString(resource));
                counts.merge(resource.fhirType(), 1L, Long::sum);
            }
            for (int from = 0; from < spec.count(); from += CHUNK) {
                int to = Math.min(spec.count(), from + CHUNK);
                List<List<String[]>> encoded = IntStream.range(from, to).parallel()
                        .mapToObj(i -> encode(generator.patient(i, ReferenceStyle.LITERAL)))
                        .toList();
                for (List<String[]> patientLines : encoded) {
                    for (String[] line : patientLines) {
                        files.write(line[0], line[1]);
                        counts.merge(line[0], 1L, Long::sum);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NdjsonExport(dir, spec.count(), counts);
    }

    private static List<String[]> encode(PatientRecord record) {
        IParser parser = parser();
        return record.resources().stream()
                .map(r -> new String[]{r.fhirType(), parser.encodeResourceToString(r)})
                .toList();
    }

    private static IParser parser() {
        return FhirContexts.r4().newJsonParser().setPrettyPrint(false);
    }

    /** One open writer per resource type, created on first use. */
    private static final class TypeFiles implements AutoCloseable {
        private final Path dir;
        private final Map<String, BufferedWriter> writers = new TreeMap<>();

        TypeFiles(Path dir) throws IOException {
            this.dir = Files.createDirectories(dir);
        }

        void write(String type, String json) throws IOException {
            BufferedWriter writer = writers.get(type);
            if (writer == null) {
                writer = Files.newBufferedWriter(dir.resolve(type + ".ndjson"), StandardCharsets.UTF_8);
                writers.put(type, writer);
            }
            writer.write(json);
            writer.write('\n');
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (BufferedWriter writer : writers.values()) {
                try {
                    writer.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
