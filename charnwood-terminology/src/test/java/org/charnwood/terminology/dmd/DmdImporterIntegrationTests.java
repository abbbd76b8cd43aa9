package org.charnwood.terminology.dmd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DmdImporterIntegrationTests {

    private final DmdTestDatabase db = DmdTestDatabase.get();
    private final DmdImporter importer = new DmdImporter(db.dataSource());

    @TempDir
    Path temp;

    @BeforeEach
    void empty() {
        db.reset();
    }

    @Test
    void loadsEveryProductLevelOfTheSampleRelease() {
        DmdImportResult result = importer.importRelease(DmdReleaseFiles.sample());

        assertThat(result.alreadyServing()).isFalse();
        assertThat(result.releaseName()).isEqualTo("3260821");
        assertThat(result.products()).containsEntry(ProductLevel.VTM, 1L).containsEntry(ProductLevel.VMP, 2L)
                .containsEntry(ProductLevel.AMP, 3L).containsEntry(ProductLevel.VMPP, 2L)
                .containsEntry(ProductLevel.AMPP, 2L);
        assertThat(db.count("select count(*) from dmd.product")).isEqualTo(10);
        assertThat(db.count("select count(*) from dmd.ingredient")).isEqualTo(4);
        assertThat(db.count("select count(*) from dmd.lookup")).isEqualTo(3384);
        assertThat(db.count("select count(*) from dmd.vmp_ingredient")).isEqualTo(2);
        assertThat(db.count("select count(*) from dmd.gtin")).isEqualTo(2);
        assertThat(db.count("select count(*) from dmd.bnf")).isEqualTo(1);
        assertThat(db.count("select count(*) from dmd.vtm_ingredient")).isEqualTo(2);
        assertThat(db.count("select count(*) from dmd.vmpp_component")).isEqualTo(1);
        assertThat(db.count("select count(*) from dmd.ampp_component")).isEqualTo(1);
        assertThat(db.count("select count(*) from dmd.historic_code where previous_id = 354303007")).isEqualTo(2);
    }

    @Test
    void keepsTheLinksBetweenLevelsAndTheirCodedAttributes() {
        importer.importRelease(DmdReleaseFiles.sample());

        assertThat(db.count("select count(*) from dmd.vmp where vtm_id = 34186711000001102")).isEqualTo(2);
        assertThat(db.count("select count(*) from dmd.amp where vmp_id = 318136009")).isEqualTo(3);
        assertThat(db.count("""
                select count(*) from dmd.ampp where vmpp_id = 1245011000001108 and amp_id = 37365811000001102""")
        ).isEqualTo(1);
        assertThat(db.count("""
                select count(*) from dmd.vmp_form f join dmd.lookup l on l.type = 'FORM' and l.code = f.form_code
                where f.vmp_id = 318136009 and l.description = 'Tablet'""")).isEqualTo(1);
        assertThat(db.count("""
                select count(*) from dmd.vmp_route r join dmd.lookup l on l.type = 'ROUTE' and l.code = r.route_code
                where r.vmp_id = 318136009 and l.description = 'Oral'""")).isEqualTo(1);
        assertThat(db.count("""
                select count(*) from dmd.vmp_control_info c
                join dmd.lookup l on l.type = 'CONTROL_DRUG_CATEGORY' and l.code = c.category_code
                where c.vmp_id = 318136009 and l.description = 'No Controlled Drug Status'""")).isEqualTo(1);
        assertThat(db.count("""
                select strength_numerator from dmd.vmp_ingredient where vmp_id = 318136009
                and ingredient_id = 387475002""")).isEqualTo(40);
        assertThat(db.count("select count(*) from dmd.amp where supplier_code = '15125811000001100'"))
                .isEqualTo(1);
        assertThat(db.count("""
                select count(*) from dmd.amp_licensed_route where amp_id = 37365811000001102""")).isEqualTo(1);
        assertThat(db.count("select quantity from dmd.vmpp where id = 1245011000001108")).isEqualTo(28);
        assertThat(db.count("select price_pence from dmd.ampp_price where ampp_id = 37365911000001107"))
                .isEqualTo(3384);
    }

    @Test
    void loadingTheServedReleaseAgainChangesNothing() {
        DmdImportResult first = importer.importRelease(DmdReleaseFiles.sample());
        DmdImportResult again = importer.importRelease(DmdReleaseFiles.of(SampleRelease.copyTo(temp)));

        assertThat(again.alreadyServing()).isTrue();
        assertThat(again.releaseId()).isEqualTo(first.releaseId());
        assertThat(again.products()).isEqualTo(first.products());
        assertThat(db.count("select count(*) from dmd.release")).isEqualTo(1);
        assertThat(db.count("select count(*) from dmd.product")).isEqualTo(10);
    }

    @Test
    void aNewReleaseReplacesTheServedOneAndItsRowsAreRemoved() {
        DmdImportResult first = importer.importRelease(DmdReleaseFiles.sample());
        Path changed = SampleRelease.copyTo(temp);
        SampleRelease.edit(changed, "f_vtm2_3260821.xml", "<NM>Co-amilofruse</NM>", "<NM>Co-amilofruse (renamed)</NM>");

        DmdImportResult second = importer.importRelease(DmdReleaseFiles.of(changed));

        assertThat(second.releaseId()).isNotEqualTo(first.releaseId());
        assertThat(DmdRelease.serving(db.dataSource())).get().extracting(DmdRelease::id).isEqualTo(second.releaseId());
        assertThat(db.count("select count(*) from dmd.product")).isEqualTo(10);
        assertThat(db.count("select count(*) from dmd.vtm where name = 'Co-amilofruse (renamed)'")).isEqualTo(1);
        assertThat(db.count("select count(*) from dmd.release where state = 'retired'")).isEqualTo(1);
    }

    @Test
    void loadsAReleaseZipAsDownloaded() {
        Path zip = SampleRelease.zip(SampleRelease.copyTo(temp.resolve("release")), temp.resolve("nhsbsa_dmd.zip"));

        DmdImportResult result = importer.importRelease(DmdReleaseFiles.of(zip));

        assertThat(result.products()).containsEntry(ProductLevel.AMP, 3L);
        assertThat(db.count("select count(*) from dmd.historic_code")).isPositive();
    }

    @Test
    void reportsProgressFileByFile() {
        List<String> events = new ArrayList<>();
        importer.importRelease(DmdReleaseFiles.sample(), new DmdImportListener() {
            @Override
            public void fileStarted(String file) {
                events.add("start " + file);
            }

            @Override
            public void fileFinished(String file, long records) {
                events.add("done " + file + " " + records);
            }

            @Override
            public void switched(DmdImportResult result) {
                events.add("switched " + result.releaseName());
            }
        });

        assertThat(events).startsWith("start f_lookup2_3260821.xml", "done f_lookup2_3260821.xml 3384")
                .contains("done f_vmp2_3260821.xml 8", "done f_ampp2_3260821.xml 7")
                .endsWith("switched 3260821");
    }
}
