package org.charnwood.app.audit.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash that links each audit row to the one before it. The canonical content is every stored column
 * (so changing a searched column such as {@code patients} is as visible as changing the JSON), one per
 * line, in a fixed order, prefixed by the previous row's hash. Changing, inserting or removing any row
 * breaks every later link.
 */
public final class AuditChain {

    /** The hash the first row chains from. */
    public static final byte[] GENESIS = new byte[32];

    /** Advisory lock (two-key form, audit's error-code range) held while the chain is extended. */
    public static final int LOCK_CLASS = 2100;
    public static final int LOCK_ID = 0;

    private AuditChain() {
    }

    public static byte[] hash(byte[] previous, long seq, Instant recorded, String type, String subtype, String action,
                              int outcome, String who, String purpose, String patients, String content) {
        String rest = afterSeq(recorded, type, subtype, action, outcome, who, purpose, patients, content);
        String canonical = beforeSeq(previous) + seq + rest;
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The canonical content up to the row's sequence number, for an append that leaves the numbering (and so the
     * hashing) to the database: the hash is SHA-256 over this, the number, then {@link #afterSeq}.
     */
    static String beforeSeq(byte[] previous) {
        return HexFormat.of().formatHex(previous) + '\n';
    }

    /** The canonical content after the row's sequence number. */
    static String afterSeq(Instant recorded, String type, String subtype, String action, int outcome, String who,
                           String purpose, String patients, String content) {
        return new StringBuilder(content.length() + 192).append('\n')
                .append(recorded.toEpochMilli()).append('\n')
                .append(nz(type)).append('\n')
                .append(nz(subtype)).append('\n')
                .append(nz(action)).append('\n')
                .append(outcome).append('\n')
                .append(nz(who)).append('\n')
                .append(nz(purpose)).append('\n')
                .append(nz(patients)).append('\n')
                .append(content).toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
