package org.charnwood.bench;

import org.charnwood.terminology.dmd.DmdReleaseFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a synthetic dm+d XML release of a chosen size in the NHSBSA layout, so the importer can be timed at
 * full scale without a TRUD download. Names are made from syllables (so typeahead has realistic spread);
 * every link and lookup code is valid, using the code tables of the sample release's real lookup file.
 * Ids are made-up numbers in the SNOMED CT UK extension's shape (…1000001 + partition + check digit ignored).
 */
final class SyntheticDmdRelease {

    private static final String[] SYLLABLES = {"am", "ox", "ci", "lin", "pra", "zo", "me", "tol", "fu", "ro",
            "se", "mide", "ba", "clo", "fen", "da", "par", "eta", "mol", "ri", "van", "qui", "nal", "des", "ter"};
    private static final String[] FORMS = {"tablets", "capsules", "oral solution", "cream", "injection",
            "modified-release tablets", "eye drops", "oral suspension"};
    private static final int[] STRENGTHS = {1, 2, 5, 10, 20, 25, 40, 50, 100, 200, 250, 500};

    final int vtms;
    final int vmps;
    final int amps;
    final int ampps;

    SyntheticDmdRelease(int vtms, int vmps, int amps, int ampps) {
        this.vtms = vtms;
        this.vmps = vmps;
        this.amps = amps;
        this.ampps = ampps;
    }

    /** Writes the release into {@code folder}; returns the number of VMPPs made. */
    int write(Path folder, long seed) throws IOException {
        Random random = new Random(seed);
        String lookup;
        try (InputStream in = DmdReleaseFiles.sample().open("f_lookup2_3260821.xml")) {
            lookup = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(folder.resolve("f_lookup2_9999999.xml"), lookup);
        List<String[]> suppliers = suppliers(lookup);

        String[] substance = new String[vtms];
        try (BufferedWriter ing = writer(folder, "f_ingredient2_9999999.xml", "INGREDIENT_SUBSTANCES");
             BufferedWriter vtm = writer(folder, "f_vtm2_9999999.xml", "VIRTUAL_THERAPEUTIC_MOIETIES")) {
            for (int i = 0; i < vtms; i++) {
                substance[i] = name(random);
                ing.write("<ING><ISID>" + id(1, i) + "</ISID><NM>" + substance[i] + "</NM></ING>\n");
                vtm.write("<VTM><VTMID>" + id(2, i) + "</VTMID><NM>" + substance[i] + "</NM></VTM>\n");
            }
            close(ing, "INGREDIENT_SUBSTANCES");
            close(vtm, "VIRTUAL_THERAPEUTIC_MOIETIES");
        }

        String[] vmpName = new String[vmps];
        int[] vmppStart = new int[vmps + 1];
        try (BufferedWriter vmp = writer(folder, "f_vmp2_9999999.xml", "VIRTUAL_MED_PRODUCTS")) {
            vmp.write("<VMPS>\n");
            for (int i = 0; i < vmps; i++) {
                int t = i % vtms;
                int strength = STRENGTHS[random.nextInt(STRENGTHS.length)];
                vmpName[i] = substance[t] + " " + strength + "mg " + FORMS[random.nextInt(FORMS.length)];
                vmp.write("<VMP><VPID>" + id(3, i) + "</VPID><VTMID>" + id(2, t) + "</VTMID><NM>" + vmpName[i]
                        + "</NM><BASISCD>0002</BASISCD><PRES_STATCD>0001</PRES_STATCD><DF_INDCD>1</DF_INDCD>"
                        + "<UDFS>1</UDFS><UDFS_UOMCD>428673006</UDFS_UOMCD>"
                        + "<UNIT_DOSE_UOMCD>428673006</UNIT_DOSE_UOMCD></VMP>\n");
            }
            vmp.write("</VMPS>\n<VIRTUAL_PRODUCT_INGREDIENT>\n");
            for (int i = 0; i < vmps; i++) {
                vmp.write("<VPI><VPID>" + id(3, i) + "</VPID><ISID>" + id(1, i % vtms) + "</ISID>"
                        + "<BASIS_STRNTCD>0001</BASIS_STRNTCD><STRNT_NMRTR_VAL>5</STRNT_NMRTR_VAL>"
                        + "<STRNT_NMRTR_UOMCD>258684004</STRNT_NMRTR_UOMCD></VPI>\n");
            }
            vmp.write("</VIRTUAL_PRODUCT_INGREDIENT>\n<DRUG_FORM>\n");
            for (int i = 0; i < vmps; i++) {
                vmp.write("<DFORM><VPID>" + id(3, i) + "</VPID><FORMCD>385055001</FORMCD></DFORM>\n");
            }
            vmp.write("</DRUG_FORM>\n<DRUG_ROUTE>\n");
            for (int i = 0; i < vmps; i++) {
                vmp.write("<DROUTE><VPID>" + id(3, i) + "</VPID><ROUTECD>26643006</ROUTECD></DROUTE>\n");
            }
            vmp.write("</DRUG_ROUTE>\n<CONTROL_DRUG_INFO>\n");
            for (int i = 0; i < vmps; i++) {
                vmp.write("<CONTROL_INFO><VPID>" + id(3, i) + "</VPID><CATCD>0000</CATCD></CONTROL_INFO>\n");
            }
            vmp.write("</CONTROL_DRUG_INFO>\n");
            close(vmp, "VIRTUAL_MED_PRODUCTS");
        }

        int vmppCount = 0;
        List<String> vmppQuantity = new ArrayList<>();
        try (BufferedWriter vmpp = writer(folder, "f_vmpp2_9999999.xml", "VIRTUAL_MED_PRODUCT_PACK")) {
            vmpp.write("<VMPPS>\n");
            for (int i = 0; i < vmps; i++) {
                vmppStart[i] = vmppCount;
                int packs = random.nextInt(100) < 50 ? 2 : 1;
                for (int p = 0; p < packs; p++) {
                    String quantity = p == 0 ? "28" : "56";
                    vmpp.write("<VMPP><VPPID>" + id(5, vmppCount) + "</VPPID><NM>" + vmpName[i] + " " + quantity
                            + " tablet</NM><VPID>" + id(3, i) + "</VPID><QTYVAL>" + quantity
                            + "</QTYVAL><QTY_UOMCD>428673006</QTY_UOMCD></VMPP>\n");
                    vmppQuantity.add(quantity);
                    vmppCount++;
                }
            }
            vmppStart[vmps] = vmppCount;
            vmpp.write("</VMPPS>\n");
            close(vmpp, "VIRTUAL_MED_PRODUCT_PACK");
        }

        int[] ampVmp = new int[amps];
        String[] ampDescription = new String[amps];
        try (BufferedWriter amp = writer(folder, "f_amp2_9999999.xml", "ACTUAL_MEDICINAL_PRODUCTS")) {
            amp.write("<AMPS>\n");
            for (int a = 0; a < amps; a++) {
                int v = a % vmps;
                ampVmp[a] = v;
                String[] supplier = suppliers.get(random.nextInt(suppliers.size()));
                ampDescription[a] = vmpName[v] + " (" + supplier[1] + ")";
                amp.write("<AMP><APID>" + id(4, a) + "</APID><VPID>" + id(3, v) + "</VPID><NM>" + vmpName[v]
                        + "</NM><DESC>" + escape(ampDescription[a]) + "</DESC><SUPPCD>" + supplier[0]
                        + "</SUPPCD><LIC_AUTHCD>0001</LIC_AUTHCD><AVAIL_RESTRICTCD>0001</AVAIL_RESTRICTCD></AMP>\n");
            }
            amp.write("</AMPS>\n<LICENSED_ROUTE>\n");
            for (int a = 0; a < amps; a++) {
                amp.write("<LIC_ROUTE><APID>" + id(4, a) + "</APID><ROUTECD>26643006</ROUTECD></LIC_ROUTE>\n");
            }
            amp.write("</LICENSED_ROUTE>\n");
            close(amp, "ACTUAL_MEDICINAL_PRODUCTS");
        }

        try (BufferedWriter ampp = writer(folder, "f_ampp2_9999999.xml", "ACTUAL_MEDICINAL_PROD_PACKS");
             BufferedWriter gtin = writer(folder, "f_gtin2_9999999.xml", "GTIN_DETAILS")) {
            ampp.write("<AMPPS>\n");
            gtin.write("<AMPPS>\n");
            for (int p = 0; p < ampps; p++) {
                int a = p % amps;
                int v = ampVmp[a];
                int packs = vmppStart[v + 1] - vmppStart[v];
                int vmppIndex = vmppStart[v] + (p / amps) % packs;
                ampp.write("<AMPP><APPID>" + id(6, p) + "</APPID><NM>" + escape(ampDescription[a]) + " "
                        + vmppQuantity.get(vmppIndex) + " tablet</NM><VPPID>" + id(5, vmppIndex) + "</VPPID><APID>"
                        + id(4, a) + "</APID><LEGAL_CATCD>0003</LEGAL_CATCD></AMPP>\n");
                gtin.write("<AMPP><AMPPID>" + id(6, p) + "</AMPPID><GTINDATA><GTIN>" + (5000000000000L + p)
                        + "</GTIN><STARTDT>2020-01-01</STARTDT></GTINDATA></AMPP>\n");
            }
            ampp.write("</AMPPS>\n<MEDICINAL_PRODUCT_PRICE>\n");
            for (int p = 0; p < ampps; p++) {
                ampp.write("<PRICE_INFO><APPID>" + id(6, p) + "</APPID><PRICE>" + (100 + random.nextInt(5000))
                        + "</PRICE><PRICE_BASISCD>0001</PRICE_BASISCD></PRICE_INFO>\n");
            }
            ampp.write("</MEDICINAL_PRODUCT_PRICE>\n");
            gtin.write("</AMPPS>\n");
            close(ampp, "ACTUAL_MEDICINAL_PROD_PACKS");
            close(gtin, "GTIN_DETAILS");
        }
        return vmppCount;
    }

    /** Words a person would type for a product of this release: the start of a substance and a strength. */
    static String query(Random random) {
        String name = name(random);
        int length = Math.min(name.length(), 3 + random.nextInt(3));
        return name.substring(0, length) + (random.nextBoolean() ? " " + STRENGTHS[random.nextInt(STRENGTHS.length)]
                : "");
    }

    private static String name(Random random) {
        StringBuilder name = new StringBuilder();
        int parts = 2 + random.nextInt(3);
        for (int i = 0; i < parts; i++) {
            name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
        return name.toString();
    }

    /** Distinct made-up ids per level: a level digit keeps the five levels and substances apart. */
    private static long id(int level, int n) {
        return (level * 100_000_000L + n) * 10_000_000L + 1000001L;
    }

    private static List<String[]> suppliers(String lookup) {
        int from = lookup.indexOf("<SUPPLIER>");
        int to = lookup.indexOf("</SUPPLIER>");
        Matcher m = Pattern.compile("<CD>(\\d+)</CD>\\s*(?:<CDDT>[^<]*</CDDT>\\s*)?(?:<CDPREV>[^<]*</CDPREV>\\s*)?"
                + "<DESC>([^<]*)</DESC>").matcher(lookup.substring(from, to));
        List<String[]> suppliers = new ArrayList<>();
        while (m.find()) {
            suppliers.add(new String[]{m.group(1), m.group(2).replace("&amp;", "&")});
        }
        if (suppliers.isEmpty()) {
            throw new IllegalStateException("no suppliers in the sample lookup file");
        }
        return suppliers;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }

    private static BufferedWriter writer(Path folder, String file, String root) throws IOException {
        BufferedWriter out = Files.newBufferedWriter(folder.resolve(file), StandardCharsets.UTF_8);
        out.write("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<" + root + ">\n");
        return out;
    }

    private static void close(BufferedWriter out, String root) throws IOException {
        out.write("</" + root + ">\n");
    }
}
