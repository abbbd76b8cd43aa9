package org.charnwood.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoDataCliTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DemoDataCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTransactionBundlesToAFolder(@TempDir Path dir) throws Exception {
        assertThat(run("bundles", "--out", dir.toString(), "--patients", "5", "--seed", "3")).isZero();
        assertThat(dir.resolve("trust.json")).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("patient-")).count()).isEqualTo(5);
        }
    }

    @Test
    void writesNdjsonToAFolder(@TempDir Path dir) {
        assertThat(run("ndjson", "--out", dir.toString(), "--patients", "5", "--today", "2026-01-15")).isZero();
        assertThat(dir.resolve("Patient.ndjson")).exists();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NDJSON files");
    }

    @Test
    void explainsItsUsageWhenCalledWrongly() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("teleport", "--out", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage");
    }
}
