package org.charnwood.bench;

import org.charnwood.bench.PatientCorpus.TypedJson;
import org.charnwood.bench.RawBaseline.BatchSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonFilesTests {

    @TempDir
    Path dir;

    @Test
    void ordersTheDirectoryTypesFirstThenPatientThenTheRestByName() throws Exception {
        for (String type : List.of("Observation", "Patient", "Condition", "Organization", "Location")) {
            Files.writeString(dir.resolve(type + ".ndjson"), "{}\n");
        }
        Files.writeString(dir.resolve("notes.txt"), "not ndjson");

        List<String> types = NdjsonFiles.in(dir).files().stream().map(NdjsonFiles::type).toList();

        assertThat(types).containsExactly("Organization", "Location", "Patient", "Condition", "Observation");
    }

    @Test
    void streamsAllFilesAsOneBodyWithoutGluingLines() throws Exception {
        Files.writeString(dir.resolve("Patient.ndjson"), "{\"a\":1}\n{\"a\":2}");
        Files.writeString(dir.resolve("Condition.ndjson"), "{\"b\":1}\n");

        String body;
        try (InputStream in = NdjsonFiles.in(dir).concatenated()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(body.lines().filter(l -> !l.isBlank()).toList())
                .containsExactly("{\"a\":1}", "{\"a\":2}", "{\"b\":1}");
    }

    @Test
    void batchesLinesAcrossFilesWithTheirTypes() throws Exception {
        Files.writeString(dir.resolve("Patient.ndjson"), "p1\np2\np3\n");
        Files.writeString(dir.resolve("Condition.ndjson"), "c1\n\nc2\n");

        BatchSource source = NdjsonFiles.in(dir).batches(2);
        List<List<TypedJson>> batches = new ArrayList<>();
        List<TypedJson> batch;
        while ((batch = source.next()) != null) {
            batches.add(batch);
        }

        assertThat(batches).hasSize(3);
        assertThat(batches.get(1)).containsExactly(new TypedJson("Patient", "p3"), new TypedJson("Condition", "c1"));
        assertThat(batches.get(2)).containsExactly(new TypedJson("Condition", "c2"));
    }
}
