package org.charnwood.terminology.dmd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Readers see the old release until a new one is complete, and keep seeing it when a load fails. */
class DmdReleaseSwitchIntegrationTests {

    private final DmdTestDatabase db = DmdTestDatabase.get();
    private final DmdImporter importer = new DmdImporter(db.dataSource());

    @TempDir
    Path temp;

    private int served;
    private Path release;

    @BeforeEach
    void serveTheSample() {
        db.reset();
        served = importer.importRelease(DmdReleaseFiles.sample()).releaseId();
        release = SampleRelease.changedCopyTo(temp.resolve("release"));
    }

    @Test
    void theOldReleaseIsServedWhileTheNewOneLoadsAndTheNewOneOnceComplete() {
        List<String> seenDuringLoad = new ArrayList<>();
        DmdImportResult result = importer.importRelease(DmdReleaseFiles.of(release), new DmdImportListener() {
            @Override
            public void fileStarted(String file) {
                if (file.startsWith("f_ampp2")) {
                    seenDuringLoad.add(vtmNameServed());
                    seenDuringLoad.add(String.valueOf(DmdRelease.serving(db.dataSource()).orElseThrow().id()));
                }
            }
        });

        assertThat(seenDuringLoad).containsExactly("Co-amilofruse", String.valueOf(served));
        assertThat(vtmNameServed()).isEqualTo("Co-amilofruse new");
        assertThat(DmdRelease.serving(db.dataSource()).orElseThrow().id()).isEqualTo(result.releaseId());
    }

    @Test
    void theOldReleaseIsServedDuringAndAfterALoadThatFails() {
        SampleRelease.edit(release, "f_ampp2_3260821.xml", "<APID>37365811000001102</APID>",
                "<APID>12345611000001100</APID>");
        List<String> seenDuringLoad = new ArrayList<>();

        assertThatThrownBy(() -> importer.importRelease(DmdReleaseFiles.of(release), new DmdImportListener() {
            @Override
            public void fileStarted(String file) {
                if (file.startsWith("f_ampp2")) {
                    seenDuringLoad.add(vtmNameServed());
                }
            }
        })).isInstanceOf(DmdReleaseRefused.class).hasMessageContaining("f_ampp2_3260821.xml line");

        assertThat(seenDuringLoad).containsExactly("Co-amilofruse");
        assertThat(vtmNameServed()).isEqualTo("Co-amilofruse");
        assertThat(DmdRelease.serving(db.dataSource()).orElseThrow().id()).isEqualTo(served);
        assertThat(db.count("select count(*) from dmd.vtm where name = 'Co-amilofruse new'")).isZero();
    }

    private String vtmNameServed() {
        return DmdProducts.load(db.dataSource()).find(34186711000001102L).orElseThrow().name();
    }
}
