package org.charnwood.terminology.dmd;

import org.charnwood.fhir.FhirException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DmdProductsIntegrationTests {

    private static final long VTM = 34186711000001102L;
    private static final long VMP_2_5 = 318135008L;
    private static final long VMP_5 = 318136009L;
    private static final long AMP_MAWDSLEY = 37365811000001102L;
    private static final long AMP_MEDIHEALTH = 38847311000001102L;
    private static final long AMP_CST = 37706811000001108L;
    private static final long VMPP_28 = 1245011000001108L;
    private static final long AMPP_28 = 37365911000001107L;

    private static DmdProducts products;

    @BeforeAll
    static void serveTheSampleWithOneAmpInvalid(@TempDir Path temp) {
        DmdTestDatabase db = DmdTestDatabase.get();
        db.reset();
        Path release = SampleRelease.copyTo(temp);
        SampleRelease.edit(release, "f_amp2_3260821.xml", "<APID>37706811000001108</APID>",
                "<APID>37706811000001108</APID><INVALID>1</INVALID>");
        new DmdImporter(db.dataSource()).importRelease(DmdReleaseFiles.of(release));
        products = DmdProducts.load(db.dataSource());
    }

    @Test
    void findsAProductOfEachLevelByItsSnomedId() {
        assertThat(products.size()).isEqualTo(10);
        assertThat(products.release()).isEqualTo("3260821");
        assertThat(products.find(VTM)).get().extracting(DmdProduct::level, DmdProduct::name)
                .containsExactly(ProductLevel.VTM, "Co-amilofruse");
        assertThat(products.find(VMP_5)).get().extracting(DmdProduct::level, DmdProduct::status)
                .containsExactly(ProductLevel.VMP, "Valid as a prescribable product");
        assertThat(products.find(AMP_MAWDSLEY)).get().extracting(DmdProduct::description)
                .isEqualTo("Co-amilofruse 5mg/40mg tablets (Mawdsley-Brooks & Company Ltd)");
        assertThat(products.find(VMPP_28)).get().extracting(DmdProduct::level).isEqualTo(ProductLevel.VMPP);
        assertThat(products.find(AMPP_28)).get().extracting(DmdProduct::level, DmdProduct::status)
                .containsExactly(ProductLevel.AMPP, "Discontinued Flag");
        assertThat(products.find(22298006L)).isEmpty();
    }

    @Test
    void givesAnAmppItsParentsAndTheWholeChainUpToTheVtm() {
        DmdProduct ampp = products.find(AMPP_28).orElseThrow();

        assertThat(ampp.parents()).extracting(DmdProduct.Ref::id).containsExactly(VMPP_28, AMP_MAWDSLEY);
        assertThat(ampp.ancestors()).extracting(DmdProduct.Ref::level)
                .containsExactly(ProductLevel.VMPP, ProductLevel.AMP, ProductLevel.VMP, ProductLevel.VTM);
        assertThat(ampp.ancestors()).extracting(DmdProduct.Ref::id).containsExactly(VMPP_28, AMP_MAWDSLEY, VMP_5, VTM);
        assertThat(products.find(VTM).orElseThrow().ancestors()).isEmpty();
    }

    @Test
    void navigatesDownTheHierarchy() {
        assertThat(products.vmps(VTM)).extracting(DmdProduct::id).containsExactlyInAnyOrder(VMP_2_5, VMP_5);
        assertThat(products.amps(VMP_5)).extracting(DmdProduct::id)
                .containsExactlyInAnyOrder(AMP_MAWDSLEY, AMP_MEDIHEALTH, AMP_CST);
        assertThat(products.vmpps(VMP_5)).hasSize(2);
        assertThat(products.ampps(AMP_MAWDSLEY)).hasSize(2);
        assertThat(products.ampps(VMPP_28)).extracting(DmdProduct::id).containsExactly(AMPP_28);
        assertThat(products.children(VMP_5)).extracting(DmdProduct::level)
                .containsExactly(ProductLevel.AMP, ProductLevel.AMP, ProductLevel.AMP, ProductLevel.VMPP,
                        ProductLevel.VMPP);
        assertThat(products.amps(VTM)).isEmpty();
    }

    @Test
    void acceptsValidProductsAndRefusesInvalidAndUnknownCodes() {
        assertThat(products.isValidProduct(VMP_5)).isTrue();
        assertThat(products.isValidProduct(AMPP_28)).isTrue();
        assertThat(products.isValidProduct(AMP_CST)).isFalse();
        assertThat(products.check(AMP_CST).note()).contains("marked invalid");
        assertThat(products.isValidProduct(22298006L)).isFalse();
        assertThat(products.check(22298006L).note()).contains("is not a dm+d product");
    }

    @Test
    void acceptsCodesUnderTheDmdAndSnomedSystemsOnly() {
        assertThat(products.isValidProduct(DmdProducts.SYSTEM, "318136009")).isTrue();
        assertThat(products.isValidProduct(DmdProducts.SNOMED_SYSTEM, "318136009")).isTrue();
        assertThat(products.isValidProduct("http://loinc.org", "318136009")).isFalse();
        assertThat(products.isValidProduct(DmdProducts.SYSTEM, "3181x6009")).isFalse();
    }

    @Test
    void resolvesAHistoricCodeToTheCurrentProductWithANote() {
        ProductCheck vtm = products.check(354303007L);
        ProductCheck vmp = products.check(10406411000001101L);

        assertThat(vtm.valid()).isTrue();
        assertThat(vtm.replaced()).isTrue();
        assertThat(vtm.product().id()).isEqualTo(VTM);
        assertThat(vtm.note()).contains("354303007 is a previous code of VTM 34186711000001102");
        assertThat(vmp.product().id()).isEqualTo(VMP_2_5);
        assertThat(products.isValidProduct(10406411000001101L)).isTrue();
        assertThat(products.find(354303007L)).isEmpty();
        assertThat(products.current(354303007L)).get().extracting(DmdProduct::id).isEqualTo(VTM);
    }

    @Test
    void searchFindsProductsByWordPrefixesInAnyOrder() {
        assertThat(products.search("co-amil", 3)).extracting(DmdProduct::id).startsWith(VTM);
        assertThat(products.search("40mg amilo", 1)).extracting(DmdProduct::id).containsExactly(VMP_5);
        assertThat(products.search("2.5", 10)).extracting(DmdProduct::id).containsExactly(VMP_2_5);
        assertThat(products.search("mawdsley 28", 10)).extracting(DmdProduct::level)
                .containsExactly(ProductLevel.AMPP, ProductLevel.AMPP);
        assertThat(products.search("MEDIHEALTH", 10)).extracting(DmdProduct::id).containsExactly(AMP_MEDIHEALTH);
    }

    @Test
    void searchRanksGenericLevelsFirstAndLeavesInvalidProductsOut() {
        assertThat(products.search("co-amilofruse 5mg", 20)).extracting(DmdProduct::level)
                .startsWith(ProductLevel.VMP, ProductLevel.AMP)
                .doesNotContain(ProductLevel.VTM);
        assertThat(products.search("cst", 10)).isEmpty();
        assertThat(products.search("co", 2)).hasSize(2);
        assertThat(products.search("", 10)).isEmpty();
        assertThat(products.search("warfarin", 10)).isEmpty();
    }

    @Test
    void anEmptyLookupKnowsNoProducts() {
        assertThat(DmdProducts.empty().isValidProduct(VMP_5)).isFalse();
        assertThat(DmdProducts.empty().search("co", 10)).isEmpty();
    }

    @Test
    void refusesToLoadWhenNoReleaseIsServed() {
        // the products above are already in memory; only the pointer is removed, as in a fresh database
        DmdTestDatabase db = DmdTestDatabase.get();
        db.execute("delete from dmd.serving");

        assertThatThrownBy(() -> DmdProducts.load(db.dataSource())).isInstanceOf(FhirException.class)
                .hasMessageContaining("no dm+d release");
    }
}
