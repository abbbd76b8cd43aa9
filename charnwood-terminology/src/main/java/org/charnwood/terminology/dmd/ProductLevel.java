package org.charnwood.terminology.dmd;

/**
 * The five product levels of dm+d, from the abstract moiety to the pack a pharmacy buys. The order is the order
 * search results are ranked in: people prescribing usually mean the virtual, generic level.
 */
public enum ProductLevel {
    /** Virtual therapeutic moiety: the substance, e.g. "Co-amilofruse". */
    VTM,
    /** Virtual medicinal product: generic product with strength and form, e.g. "Co-amilofruse 5mg/40mg tablets". */
    VMP,
    /** Actual medicinal product: a VMP from one supplier. */
    AMP,
    /** Virtual medicinal product pack: a VMP in a quantity, e.g. "... 28 tablet". */
    VMPP,
    /** Actual medicinal product pack: an AMP in a pack, the level that has a price and a barcode. */
    AMPP
}
