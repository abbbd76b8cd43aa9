package org.charnwood.terminology.dmd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DmdLoadCommandIntegrationTests {

    private final DmdTestDatabase db = DmdTestDatabase.get();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path temp;

    @BeforeEach
    void empty() {
        db.reset();
    }

    @Test
    void loadsAReleaseFolderIntoTheConfiguredDatabase() {
        Path release = SampleRelease.copyTo(temp);

        int status = run("--url", db.jdbcUrl(), release.toString());

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dm+d release 3260821 is now served")
                .contains("f_amp2_3260821.xml");
        assertThat(db.count("select count(*) from dmd.amp")).isEqualTo(3);
    }

    @Test
    void saysWhyAReleaseWasRefusedAndExitsWithOne() throws Exception {
        Path release = SampleRelease.copyTo(temp);
        Files.delete(release.resolve("f_vmp2_3260821.xml"));

        int status = run("--url", db.jdbcUrl(), release.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("f_vmp2_").contains("unchanged");
    }

    @Test
    void showsUsageWithoutADatabase() {
        assertThat(run("somewhere")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: DmdLoadCommand");
    }

    private int run(String... args) {
        return DmdLoadCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
