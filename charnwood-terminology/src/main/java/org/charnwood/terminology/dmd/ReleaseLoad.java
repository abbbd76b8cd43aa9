package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The rows of one release on their way into the database, checked as they pass: every product, substance and
 * lookup code a record refers to must have been seen earlier in the release (the files are read in
 * {@link DmdFileKind} order). The first broken link stops the load with the file and line of the record.
 */
final class ReleaseLoad {

    /** Which lookup table each coded field takes its values from, by {@code RECORD.FIELD}. */
    private static final Map<String, String> LOOKUP_FIELDS = Map.ofEntries(
            Map.entry("VMP.BASISCD", "BASIS_OF_NAME"),
            Map.entry("VMP.BASIS_PREVCD", "BASIS_OF_NAME"),
            Map.entry("VMP.NMCHANGECD", "NAMECHANGE_REASON"),
            Map.entry("VMP.COMBPRODCD", "COMBINATION_PROD_IND"),
            Map.entry("VMP.PRES_STATCD", "VIRTUAL_PRODUCT_PRES_STATUS"),
            Map.entry("VMP.NON_AVAILCD", "VIRTUAL_PRODUCT_NON_AVAIL"),
            Map.entry("VMP.DF_INDCD", "DF_INDICATOR"),
            Map.entry("VMP.UDFS_UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("VMP.UNIT_DOSE_UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("VMP.DDD_UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("VPI.BASIS_STRNTCD", "BASIS_OF_STRNTH"),
            Map.entry("VPI.STRNT_NMRTR_UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("VPI.STRNT_DNMTR_UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("ONT.FORMCD", "ONT_FORM_ROUTE"),
            Map.entry("DFORM.FORMCD", "FORM"),
            Map.entry("DROUTE.ROUTECD", "ROUTE"),
            Map.entry("CONTROL_INFO.CATCD", "CONTROL_DRUG_CATEGORY"),
            Map.entry("CONTROL_INFO.CAT_PREVCD", "CONTROL_DRUG_CATEGORY"),
            Map.entry("AMP.SUPPCD", "SUPPLIER"),
            Map.entry("AMP.LIC_AUTHCD", "LICENSING_AUTHORITY"),
            Map.entry("AMP.LIC_AUTH_PREVCD", "LICENSING_AUTHORITY"),
            Map.entry("AMP.LIC_AUTHCHANGECD", "LICENSING_AUTHORITY_CHANGE_REASON"),
            Map.entry("AMP.COMBPRODCD", "COMBINATION_PROD_IND"),
            Map.entry("AMP.FLAVOURCD", "FLAVOUR"),
            Map.entry("AMP.AVAIL_RESTRICTCD", "AVAILABILITY_RESTRICTION"),
            Map.entry("AP_ING.UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("LIC_ROUTE.ROUTECD", "ROUTE"),
            Map.entry("AP_INFO.COLOURCD", "COLOUR"),
            Map.entry("VMPP.QTY_UOMCD", "UNIT_OF_MEASURE"),
            Map.entry("VMPP.COMBPACKCD", "COMBINATION_PACK_IND"),
            Map.entry("DTINFO.PAY_CATCD", "DT_PAYMENT_CATEGORY"),
            Map.entry("AMPP.COMBPACKCD", "COMBINATION_PACK_IND"),
            Map.entry("AMPP.LEGAL_CATCD", "LEGAL_CATEGORY"),
            Map.entry("AMPP.DISCCD", "DISCONTINUED_IND"),
            Map.entry("PACK_INFO.REIMB_STATCD", "REIMBURSEMENT_STATUS"),
            Map.entry("PRICE_INFO.PRICE_BASISCD", "PRICE_BASIS"),
            Map.entry("REIMB_INFO.SPEC_CONTCD", "SPEC_CONT"),
            Map.entry("REIMB_INFO.DND", "DND"));

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseLoad.class);

    private final Set<String> skipped = new HashSet<>();
    private final CopyManager copy;
    private final Map<String, Set<String>> lookupCodes = new HashMap<>();
    private final Set<Long> ingredients = new HashSet<>();
    private final Map<ProductLevel, Set<Long>> products = new EnumMap<>(ProductLevel.class);
    private final Map<String, CopyBuffer> tables = new LinkedHashMap<>();

    ReleaseLoad(CopyManager copy, int releaseId) {
        this.copy = copy;
        for (ProductLevel level : ProductLevel.values()) {
            products.put(level, new HashSet<>());
        }
        table(releaseId, "product", "id", "level");
        table(releaseId, "lookup", "type", "code", "description", "previous_code", "code_date", "invalid");
        table(releaseId, "ingredient", "id", "name", "invalid", "previous_id");
        table(releaseId, "vtm", "id", "name", "abbreviated_name", "invalid", "previous_id");
        table(releaseId, "vtm_ingredient", "vtm_id", "ingredient_id");
        table(releaseId, "vmp", "id", "vtm_id", "name", "abbreviated_name", "invalid", "previous_id",
                "basis_of_name_code", "prescribing_status_code", "non_availability_code", "combination_product_code",
                "dose_form_indicator_code", "unit_dose_form_size", "unit_dose_form_units_code", "unit_dose_units_code",
                "sugar_free", "gluten_free", "preservative_free", "cfc_free");
        table(releaseId, "vmp_ingredient", "vmp_id", "ingredient_id", "basis_of_strength_code", "basis_substance_id",
                "strength_numerator", "strength_numerator_units", "strength_denominator",
                "strength_denominator_units");
        table(releaseId, "vmp_form", "vmp_id", "form_code");
        table(releaseId, "vmp_ontology_form_route", "vmp_id", "code");
        table(releaseId, "vmp_route", "vmp_id", "route_code");
        table(releaseId, "vmp_control_info", "vmp_id", "category_code", "category_date", "previous_category_code");
        table(releaseId, "amp", "id", "vmp_id", "name", "abbreviated_name", "description", "invalid",
                "supplier_code", "licensing_authority_code", "combination_product_code", "flavour_code",
                "availability_restriction_code", "parallel_import", "ema_additional_monitoring");
        table(releaseId, "amp_ingredient", "amp_id", "ingredient_id", "strength", "units_code");
        table(releaseId, "amp_licensed_route", "amp_id", "route_code");
        table(releaseId, "vmpp", "id", "vmp_id", "name", "abbreviated_name", "invalid", "quantity",
                "quantity_units_code", "combination_pack_code");
        table(releaseId, "vmpp_drug_tariff", "vmpp_id", "payment_category_code", "price_pence", "valid_from",
                "previous_price_pence");
        table(releaseId, "vmpp_component", "pack_id", "content_id");
        table(releaseId, "ampp", "id", "vmpp_id", "amp_id", "name", "abbreviated_name", "invalid",
                "combination_pack_code", "legal_category_code", "subpack_info", "discontinued_code",
                "discontinued_date");
        table(releaseId, "ampp_price", "ampp_id", "price_pence", "price_date", "previous_price_pence",
                "price_basis_code");
        table(releaseId, "ampp_component", "pack_id", "content_id");
        table(releaseId, "gtin", "ampp_id", "gtin", "start_date", "end_date");
        table(releaseId, "bnf", "product_id", "bnf_code", "atc_code", "ddd", "ddd_units_code");
        table(releaseId, "historic_code", "kind", "previous_id", "current_id", "start_date", "end_date");
    }

    private void table(int releaseId, String name, String... columns) {
        tables.put(name, new CopyBuffer(name, releaseId, columns));
    }

    /** Takes one record of a file of the given kind. */
    void accept(DmdFileKind kind, DmdRecord r) throws SQLException {
        checkLookupCodes(r);
        switch (kind) {
            case LOOKUP -> lookup(r);
            case INGREDIENT -> ingredient(r);
            case VTM -> vtm(r);
            case VTM_INGREDIENT -> add("vtm_ingredient", known(r, "VTMID", ProductLevel.VTM), ingredient(r, "ISID"));
            case VMP -> vmpFile(r);
            case AMP -> ampFile(r);
            case VMPP -> vmppFile(r);
            case AMPP -> amppFile(r);
            case GTIN -> add("gtin", known(r, "AMPPID", ProductLevel.AMPP), r.requiredText("GTIN"),
                    r.date("STARTDT"), r.date("ENDDT"));
            case BNF -> bnf(r);
            case HISTORY -> add("historic_code", r.element(), r.requiredId("IDPREVIOUS"), r.requiredId("IDCURRENT"),
                    r.date("STARTDT"), r.date("ENDDT"));
        }
    }

    void flush() throws SQLException {
        for (CopyBuffer table : tables.values()) {
            table.flush(copy);
        }
    }

    long count(ProductLevel level) {
        return products.get(level).size();
    }

    /** Rows per table, for the release record and the log. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.values().forEach(t -> counts.put(t.table(), t.count()));
        return counts;
    }

    private void lookup(DmdRecord r) throws SQLException {
        String code = r.requiredText("CD");
        lookupCodes.computeIfAbsent(r.section(), s -> new HashSet<>()).add(code);
        String previous = r.text("CDPREV");
        if (previous != null) {
            // a product may still carry a code's previous form in a release made while it changed
            lookupCodes.get(r.section()).add(previous);
        }
        add("lookup", r.section(), code, r.text("DESC"), previous, r.date("CDDT"), r.flag("INVALID"));
    }

    private void ingredient(DmdRecord r) throws SQLException {
        long id = r.requiredId("ISID");
        if (!ingredients.add(id)) {
            throw r.refused(ErrorCode.DMD_RELEASE_INCONSISTENT, "substance " + id + " appears twice");
        }
        add("ingredient", id, r.requiredText("NM"), r.flag("INVALID"), previous(r, "ISIDPREV"));
    }

    private void vtm(DmdRecord r) throws SQLException {
        long id = product(r, "VTMID", ProductLevel.VTM);
        long previous = r.id("VTMIDPREV");
        add("vtm", id, r.requiredText("NM"), r.text("ABBREVNM"), r.flag("INVALID"), previous == 0 ? null : previous);
        history("VTM", previous, id, r.date("VTMIDDT"));
    }

    private void vmpFile(DmdRecord r) throws SQLException {
        switch (r.element()) {
            case "VMP" -> {
                long id = product(r, "VPID", ProductLevel.VMP);
                long vtm = r.id("VTMID");
                if (vtm != 0) {
                    known(r, "VTMID", ProductLevel.VTM);
                }
                long previous = r.id("VPIDPREV");
                add("vmp", id, vtm == 0 ? null : vtm, r.requiredText("NM"), r.text("ABBREVNM"), r.flag("INVALID"),
                        previous == 0 ? null : previous, r.text("BASISCD"), r.requiredText("PRES_STATCD"),
                        r.text("NON_AVAILCD"), r.text("COMBPRODCD"), r.text("DF_INDCD"), r.decimal("UDFS"),
                        r.text("UDFS_UOMCD"), r.text("UNIT_DOSE_UOMCD"), r.flag("SUG_F"), r.flag("GLU_F"),
                        r.flag("PRES_F"), r.flag("CFC_F"));
                history("VMP", previous, id, r.date("VPIDDT"));
            }
            case "VPI" -> add("vmp_ingredient", known(r, "VPID", ProductLevel.VMP), ingredient(r, "ISID"),
                    r.text("BASIS_STRNTCD"), r.text("BS_SUBID") == null ? null : ingredient(r, "BS_SUBID"),
                    r.decimal("STRNT_NMRTR_VAL"), r.text("STRNT_NMRTR_UOMCD"), r.decimal("STRNT_DNMTR_VAL"),
                    r.text("STRNT_DNMTR_UOMCD"));
            case "ONT" -> add("vmp_ontology_form_route", known(r, "VPID", ProductLevel.VMP), r.requiredText("FORMCD"));
            case "DFORM" -> add("vmp_form", known(r, "VPID", ProductLevel.VMP), r.requiredText("FORMCD"));
            case "DROUTE" -> add("vmp_route", known(r, "VPID", ProductLevel.VMP), r.requiredText("ROUTECD"));
            case "CONTROL_INFO" -> add("vmp_control_info", known(r, "VPID", ProductLevel.VMP),
                    r.requiredText("CATCD"), r.date("CATDT"), r.text("CAT_PREVCD"));
            default -> unexpected(r);
        }
    }

    private void ampFile(DmdRecord r) throws SQLException {
        switch (r.element()) {
            case "AMP" -> {
                long id = product(r, "APID", ProductLevel.AMP);
                add("amp", id, known(r, "VPID", ProductLevel.VMP), r.requiredText("NM"), r.text("ABBREVNM"),
                        r.requiredText("DESC"), r.flag("INVALID"), r.requiredText("SUPPCD"), r.text("LIC_AUTHCD"),
                        r.text("COMBPRODCD"), r.text("FLAVOURCD"), r.text("AVAIL_RESTRICTCD"),
                        r.flag("PARALLEL_IMPORT"), r.flag("EMA"));
            }
            case "AP_ING" -> add("amp_ingredient", known(r, "APID", ProductLevel.AMP), ingredient(r, "ISID"),
                    r.decimal("STRNTH"), r.text("UOMCD"));
            case "LIC_ROUTE" -> add("amp_licensed_route", known(r, "APID", ProductLevel.AMP),
                    r.requiredText("ROUTECD"));
            case "AP_INFO" -> known(r, "APID", ProductLevel.AMP);
            default -> unexpected(r);
        }
    }

    private void vmppFile(DmdRecord r) throws SQLException {
        switch (r.element()) {
            case "VMPP" -> add("vmpp", product(r, "VPPID", ProductLevel.VMPP), known(r, "VPID", ProductLevel.VMP),
                    r.requiredText("NM"), r.text("ABBREVNM"), r.flag("INVALID"), r.decimal("QTYVAL"),
                    r.text("QTY_UOMCD"), r.text("COMBPACKCD"));
            case "DTINFO" -> add("vmpp_drug_tariff", known(r, "VPPID", ProductLevel.VMPP),
                    r.requiredText("PAY_CATCD"), r.decimal("PRICE"), r.date("DT"), r.decimal("PREVPRICE"));
            case "CCONTENT" -> add("vmpp_component", known(r, "PRNTVPPID", ProductLevel.VMPP),
                    known(r, "CHLDVPPID", ProductLevel.VMPP));
            default -> unexpected(r);
        }
    }

    private void amppFile(DmdRecord r) throws SQLException {
        switch (r.element()) {
            case "AMPP" -> add("ampp", product(r, "APPID", ProductLevel.AMPP), known(r, "VPPID", ProductLevel.VMPP),
                    known(r, "APID", ProductLevel.AMP), r.requiredText("NM"), r.text("ABBREVNM"), r.flag("INVALID"),
                    r.text("COMBPACKCD"), r.requiredText("LEGAL_CATCD"), r.text("SUBP"), r.text("DISCCD"),
                    r.date("DISCDT"));
            case "PRICE_INFO" -> add("ampp_price", known(r, "APPID", ProductLevel.AMPP), r.decimal("PRICE"),
                    r.date("PRICEDT"), r.decimal("PRICE_PREV"), r.text("PRICE_BASISCD"));
            case "CCONTENT" -> add("ampp_component", known(r, "PRNTAPPID", ProductLevel.AMPP),
                    known(r, "CHLDAPPID", ProductLevel.AMPP));
            case "PACK_INFO", "PRESCRIB_INFO", "REIMB_INFO" -> known(r, "APPID", ProductLevel.AMPP);
            default -> unexpected(r);
        }
    }

    private void bnf(DmdRecord r) throws SQLException {
        switch (r.element()) {
            case "VMP" -> add("bnf", known(r, "VPID", ProductLevel.VMP), r.text("BNF"), r.text("ATC"),
                    r.decimal("DDD"), r.text("DDD_UOMCD"));
            case "AMP" -> add("bnf", known(r, "APID", ProductLevel.AMP), r.text("BNF"), null, null, null);
            default -> unexpected(r);
        }
    }

    /** A new product: its id must not have been used at any level yet. */
    private long product(DmdRecord r, String field, ProductLevel level) throws SQLException {
        long id = r.requiredId(field);
        for (ProductLevel other : ProductLevel.values()) {
            if (products.get(other).contains(id)) {
                throw r.refused(ErrorCode.DMD_RELEASE_INCONSISTENT,
                        level + " " + id + " is already in the release as " + article(other) + " " + other);
            }
        }
        products.get(level).add(id);
        add("product", id, level.name());
        return id;
    }

    /** A reference to a product that must already be in the release. */
    private long known(DmdRecord r, String field, ProductLevel level) {
        long id = r.requiredId(field);
        if (!products.get(level).contains(id)) {
            throw r.refused(ErrorCode.DMD_RELEASE_INCONSISTENT,
                    "<" + field + "> " + id + " is not " + article(level) + " " + level + " of this release");
        }
        return id;
    }

    private long ingredient(DmdRecord r, String field) {
        long id = r.requiredId(field);
        if (!ingredients.contains(id)) {
            throw r.refused(ErrorCode.DMD_RELEASE_INCONSISTENT,
                    "<" + field + "> " + id + " is not a substance of this release's ingredient file");
        }
        return id;
    }

    private void checkLookupCodes(DmdRecord r) {
        for (Map.Entry<String, String> field : r.fields().entrySet()) {
            String table = LOOKUP_FIELDS.get(r.element() + "." + field.getKey());
            if (table != null) {
                Set<String> codes = lookupCodes.get(table);
                if (codes == null || !codes.contains(field.getValue())) {
                    throw r.refused(ErrorCode.DMD_UNKNOWN_LOOKUP_CODE, "<" + field.getKey() + "> " + field.getValue()
                            + " is not a code of lookup table " + table);
                }
            }
        }
    }

    private void history(String kind, long previous, long current, String since) throws SQLException {
        if (previous != 0 && previous != current) {
            add("historic_code", kind, previous, current, null, since);
        }
    }

    private static String article(ProductLevel level) {
        return level.name().startsWith("A") ? "an" : "a";
    }

    private static Long previous(DmdRecord r, String field) {
        long id = r.id(field);
        return id == 0 ? null : id;
    }

    /**
     * A record this version does not know: skipped (and logged once) rather than refused, because NHSBSA adds
     * sections between schema versions and what is loaded stays consistent without them.
     */
    private void unexpected(DmdRecord r) {
        if (skipped.add(r.file() + "|" + r.element())) {
            LOG.warn("{}: skipping <{}> records in <{}>, which this importer does not know (first at line {})",
                    r.file(), r.element(), r.section(), r.line());
        }
    }

    private void add(String table, Object... values) throws SQLException {
        tables.get(table).add(copy, values);
    }
}
