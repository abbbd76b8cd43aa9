package org.charnwood.app.bulkimport;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./charnwood import}: NDJSON files loaded through the running server's {@code $import}. */
class ImportCommandIntegrationTests extends CharnwoodIntegrationTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aFolderOfFilesIsLoadedAsOneImportWhateverOrderTheirReferencesRunIn() throws IOException {
        // Observation.ndjson comes first by name and refers to Patient.ndjson's patient; its last line has no break.
        Files.writeString(folder.resolve("Observation.ndjson"), """
                {"resourceType":"Observation","id":"cmd-o1","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/cmd-p1"}}
                {"resourceType":"Observation","id":"cmd-o2","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/cmd-p2"}}""");
        Files.writeString(folder.resolve("Patient.ndjson"), """
                {"resourceType":"Patient","id":"cmd-p1"}

                {"resourceType":"Patient","id":"cmd-p2"}
                """);
        Files.writeString(folder.resolve("notes.txt"), "not an import");

        int status = run(List.of(folder.toString()));

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains(folder.resolve("Observation.ndjson") + ": 2 resources loaded")
                .contains(folder.resolve("Patient.ndjson") + ": 2 resources loaded")
                .contains("Imported 4 resources: 4 created, 0 updated");
        assertThat(http.get("/fhir/Observation/cmd-o2").resource(Observation.class).getSubject().getReference())
                .isEqualTo("Patient/cmd-p2");
        assertThat(rows("fhir_resource")).isEqualTo(4);
    }

    @Test
    void badLinesAreToldByTheirFileAndLineAndNoFileIsLoaded() throws IOException {
        Path patients = Files.writeString(folder.resolve("patients.ndjson"), """
                {"resourceType":"Patient","id":"cmd-p1"}
                {"resourceType":"Patient","id":"cmd-p2"}
                """);
        Path observations = Files.writeString(folder.resolve("observations.ndjson"), """
                {"resourceType":"Observation","id":"cmd-o1","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/cmd-p1"}}

                {"resourceType":"Observation","id":"cmd-o2","status":"not-a-status","code":{"text":"pulse"}}
                {"resourceType":"Observation","id":"cmd-o3","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/nobody"}}
                """);

        int status = run(List.of(patients.toString(), observations.toString()));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains(patients + ": no bad lines found")
                .contains(observations + ": 2 problems")
                .contains(observations + " line 3: ")
                .contains(observations + " line 4 (Observation/cmd-o3): ")
                .contains("Patient/nobody")
                .contains("Nothing was imported");
        assertThat(rows("fhir_resource")).isZero();
        assertThat(rows("fhir_outbox")).isZero();
    }

    @Test
    void withoutATokenOrFilesItSaysWhatIsMissing() {
        assertThat(ImportCommand.run(List.of(folder.toString()), "http://localhost:" + port, "",
                new PrintStream(out), new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("CHARNWOOD_TOKEN");
        err.reset();
        assertThat(run(List.of(folder.toString()))).isEqualTo(2);
        assertThat(err.toString()).contains("No .ndjson files");
    }

    private int run(List<String> names) {
        return ImportCommand.run(names, "http://localhost:" + port, tokens.system(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
