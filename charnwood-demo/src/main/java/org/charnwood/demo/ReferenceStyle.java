package org.charnwood.demo;

/**
 * How a generated patient's resources refer to one another. References to the trust's own resources are
 * always literal ({@code Organization/trust-r9c}), since those are loaded first with stable ids.
 */
public enum ReferenceStyle {
    /** {@code urn:uuid:<id>}, resolved against the fullUrls of a transaction Bundle's entries. */
    TRANSACTION,
    /** {@code Patient/<id>}: ids assigned up front, as Bulk Data NDJSON needs them. */
    LITERAL;

    String reference(String resourceType, String id) {
        return this == TRANSACTION ? "urn:uuid:" + id : resourceType + "/" + id;
    }
}
