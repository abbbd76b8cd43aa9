package org.charnwood.app.repository;

/**
 * Something the trust's IT team did to the outbox's set-aside events through the operations API, published so that
 * the audit trail records it as the signed-in administrator's: a replay inside the transaction that makes it, so the
 * change and its record commit together; a listing before the list is sent. No patient data: the detail names
 * outbox sequence numbers and resource types only.
 *
 * @param action {@code outbox-set-aside-listed} or {@code outbox-replayed}
 * @param change whether outbox rows were changed (a replay) rather than read
 * @param detail what it was about, in words (e.g. "2 set-aside outbox events replayed: 41 (Observation), 57 (Patient)")
 */
public record OutboxOperation(String action, boolean change, String detail) {

    public static final String LISTED = "outbox-set-aside-listed";
    public static final String REPLAYED = "outbox-replayed";
}
