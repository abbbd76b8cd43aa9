package org.charnwood.terminology.dmd;

import java.util.Locale;

/**
 * The files of an NHSBSA dm+d release, in the order they are loaded: each file only refers to things loaded
 * before it (lookup codes and substances first, packs last), so every link can be checked as it streams by.
 * Names follow NHSBSA's {@code f_<type><schema>_<release>.xml}; the bonus files are optional.
 */
enum DmdFileKind {
    LOOKUP("f_lookup2_", "LOOKUP", 3, true),
    INGREDIENT("f_ingredient2_", "INGREDIENT_SUBSTANCES", 2, true),
    VTM("f_vtm2_", "VIRTUAL_THERAPEUTIC_MOIETIES", 2, true),
    VTM_INGREDIENT("f_vtm_ing1_", "VTM_INGREDIENTS", 2, false),
    VMP("f_vmp2_", "VIRTUAL_MED_PRODUCTS", 3, true),
    AMP("f_amp2_", "ACTUAL_MEDICINAL_PRODUCTS", 3, true),
    VMPP("f_vmpp2_", "VIRTUAL_MED_PRODUCT_PACK", 3, true),
    AMPP("f_ampp2_", "ACTUAL_MEDICINAL_PROD_PACKS", 3, true),
    GTIN("f_gtin2_", "GTIN_DETAILS", 3, false),
    BNF("f_bnf1_", "BNF_DETAILS", 3, false),
    HISTORY("f_history1_", "HISTORY", 3, false);

    final String prefix;
    final String root;
    final int recordDepth;
    final boolean required;

    DmdFileKind(String prefix, String root, int recordDepth, boolean required) {
        this.prefix = prefix;
        this.root = root;
        this.recordDepth = recordDepth;
        this.required = required;
    }

    boolean matches(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return name.startsWith(prefix) && name.endsWith(".xml");
    }

    /** The release part of a file name: {@code f_vmp2_3260821.xml} gives {@code 3260821}. */
    String releaseName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.substring(prefix.length(), name.length() - ".xml".length());
    }
}
