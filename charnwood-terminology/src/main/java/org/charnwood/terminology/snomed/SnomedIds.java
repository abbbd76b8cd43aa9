package org.charnwood.terminology.snomed;

/** The SNOMED CT metadata concepts the loader and the index need to know by id. */
public final class SnomedIds {

    public static final long ROOT = 138875005L;
    public static final long IS_A = 116680003L;
    public static final long FSN = 900000000000003001L;
    public static final long SYNONYM = 900000000000013009L;
    public static final long DEFINITION = 900000000000550004L;
    public static final long INFERRED = 900000000000011006L;
    public static final long PREFERRED = 900000000000548007L;
    public static final long ACCEPTABLE = 900000000000549004L;
    public static final long GB_ENGLISH = 900000000000508004L;
    public static final long US_ENGLISH = 900000000000509007L;
    public static final long PRIMITIVE = 900000000000074008L;
    public static final long DEFINED = 900000000000073002L;

    public static final long SAME_AS = 900000000000527005L;
    public static final long REPLACED_BY = 900000000000526001L;
    public static final long POSSIBLY_EQUIVALENT_TO = 900000000000523009L;
    public static final long WAS_A = 900000000000528000L;
    public static final long ALTERNATIVE = 900000000000530003L;
    public static final long MOVED_TO = 900000000000524003L;
    public static final long POSSIBLY_REPLACED_BY = 1186921001L;
    public static final long PARTIALLY_EQUIVALENT_TO = 1186924009L;

    /** UK simple map from SNOMED CT to CTV3. */
    public static final long CTV3_MAP = 900000000000497000L;

    private SnomedIds() {
    }
}
