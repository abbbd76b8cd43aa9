package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Broken releases are refused with the file and line at fault, and the release already served stays served,
 * complete and unchanged.
 */
class DmdReleaseRefusalIntegrationTests {

    private final DmdTestDatabase db = DmdTestDatabase.get();
    private final DmdImporter importer = new DmdImporter(db.dataSource());

    @TempDir
    Path temp;

    private Path release;
    private int served;

    @BeforeEach
    void serveTheSample() {
        db.reset();
        served = importer.importRelease(DmdReleaseFiles.sample()).releaseId();
        release = SampleRelease.changedCopyTo(temp.resolve("release"));
    }

    @Test
    void refusesXmlThatIsNotWellFormed() {
        SampleRelease.edit(release, "f_amp2_3260821.xml", "<NM>Co-amilofruse 5mg/40mg tablets</NM>",
                "<NM>Co-amilofruse 5mg/40mg tablets</MN>");

        DmdReleaseRefused refused = refuse();

        assertThat(refused.code()).isEqualTo(ErrorCode.DMD_RELEASE_MALFORMED);
        assertThat(refused.file()).isEqualTo("f_amp2_3260821.xml");
        assertThat(refused.line()).isEqualTo(SampleRelease.lineOf(release, "f_amp2_3260821.xml", "</MN>"));
        assertThat(refused.getMessage()).contains("f_amp2_3260821.xml line " + refused.line());
        assertTheSampleIsStillServed();
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        Path ampp = release.resolve("f_ampp2_3260821.xml");
        String text = Files.readString(ampp);
        Files.writeString(ampp, text.substring(0, text.indexOf("<MEDICINAL_PRODUCT_PRICE>")));

        DmdReleaseRefused refused = refuse();

        assertThat(refused.code()).isEqualTo(ErrorCode.DMD_RELEASE_MALFORMED);
        assertThat(refused.file()).isEqualTo("f_ampp2_3260821.xml");
        assertThat(refused.line()).isPositive();
        assertThat(refused.getMessage()).contains("truncated");
        assertTheSampleIsStillServed();
    }

    @Test
    void refusesAReleaseWithoutARequiredFile() throws IOException {
        Files.delete(release.resolve("f_amp2_3260821.xml"));

        DmdReleaseRefused refused = refuse();

        assertThat(refused.code()).isEqualTo(ErrorCode.DMD_RELEASE_INCOMPLETE);
        assertThat(refused.getMessage()).contains("f_amp2_");
        assertTheSampleIsStillServed();
    }

    @Test
    void refusesAVmpWhoseVtmIsNotInTheRelease() {
        SampleRelease.edit(release, "f_vmp2_3260821.xml", "<VTMID>34186711000001102</VTMID>",
                "<VTMID>999999011000001104</VTMID>");

        DmdReleaseRefused refused = refuse();

        assertThat(refused.code()).isEqualTo(ErrorCode.DMD_RELEASE_INCONSISTENT);
        assertThat(refused.file()).isEqualTo("f_vmp2_3260821.xml");
        assertThat(refused.line()).isEqualTo(SampleRelease.lineOf(release, "f_vmp2_3260821.xml", "<VMP>"));
        assertThat(refused.getMessage()).contains("999999011000001104", "VTM");
        assertTheSampleIsStillServed();
    }

    @Test
    void refusesAnAmpWhoseVmpIsNotInTheRelease() {
        SampleRelease.edit(release, "f_amp2_3260821.xml", "<VPID>318136009</VPID>", "<VPID>318999009</VPID>");

        DmdReleaseRefused refused = refuse();

        assertThat(refused.code()).isEqualTo(ErrorCode.DMD_RELEASE_INCONSISTENT);
        assertThat(refused.file()).isEqualTo("f_amp2_3260821.xml");
        assertThat(refused.line()).isEqualTo(SampleRelease.lineOf(release, "f_amp2_3260821.xml", "<AMP>"));
        assertThat(refused.getMessage()).contains("318999009", "VMP");
        assertTheSampleIsStillServed();
    }

    @Test
    void refusesALookupCodeTheLookupFileDoesNotDefine() {
        SampleRelease.edit(release, "f_vmp2_3260821.xml", "<ROUTECD>26643006</ROUTECD>",
                "<ROUTECD>99999999</ROUTECD>");

        DmdReleaseRefused refused = refuse();

        assertThat(refused.code()).isEqualTo(ErrorCode.DMD_UNKNOWN_LOOKUP_CODE);
        assertThat(refused.file()).isEqualTo("f_vmp2_3260821.xml");
        assertThat(refused.line()).isEqualTo(SampleRelease.lineOf(release, "f_vmp2_3260821.xml", "<DROUTE>"));
        assertThat(refused.getMessage()).contains("99999999", "ROUTE");
        assertTheSampleIsStillServed();
    }

    @Test
    void refusesAFileOfTheWrongKind() throws IOException {
        Files.copy(release.resolve("f_vtm2_3260821.xml"), release.resolve("f_vmpp2_3260821.xml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        DmdReleaseRefused refused = refuse();

        assertThat(refused.file()).isEqualTo("f_vmpp2_3260821.xml");
        assertThat(refused.getMessage()).contains("VIRTUAL_MED_PRODUCT_PACK");
        assertTheSampleIsStillServed();
    }

    @Test
    void recordsTheFailedLoadWithItsReason() {
        SampleRelease.edit(release, "f_amp2_3260821.xml", "<VPID>318136009</VPID>", "<VPID>318999009</VPID>");

        refuse();

        assertThat(db.count("select count(*) from dmd.release where state = 'failed' and message like '%318999009%'"))
                .isEqualTo(1);
    }

    private DmdReleaseRefused refuse() {
        return catchThrowableOfType(DmdReleaseRefused.class,
                () -> importer.importRelease(DmdReleaseFiles.of(release)));
    }

    private void assertTheSampleIsStillServed() {
        assertThat(DmdRelease.serving(db.dataSource())).get().extracting(DmdRelease::id).isEqualTo(served);
        assertThat(db.count("select count(*) from dmd.product")).isEqualTo(10);
        assertThat(db.count("select count(*) from dmd.product where release_id <> " + served)).isZero();
        assertThat(db.count("select count(*) from dmd.vtm where name = 'Co-amilofruse'")).isEqualTo(1);
        DmdProducts products = DmdProducts.load(db.dataSource());
        assertThat(products.size()).isEqualTo(10);
        assertThat(products.isValidProduct(318136009L)).isTrue();
    }
}
