package org.charnwood.terminology.dmd;

/**
 * The answer to "is this code a dm+d product that may be used?". A code dm+d has replaced is followed to its
 * current product, and the note says so, so a record coded before the change is still accepted and the reader
 * learns the current code.
 *
 * @param code    the code asked about
 * @param valid   the code, or the code that replaced it, is a product not marked invalid
 * @param product the product found (the current one for a replaced code), or null when there is none
 * @param note    why it is not valid, or that it was replaced; null for a plain current, valid product
 */
public record ProductCheck(long code, boolean valid, DmdProduct product, String note) {

    /** Whether the code was followed to a newer one. */
    public boolean replaced() {
        return product != null && product.id() != code;
    }
}
