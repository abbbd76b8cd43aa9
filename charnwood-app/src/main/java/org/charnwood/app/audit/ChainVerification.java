package org.charnwood.app.audit;

import org.charnwood.app.audit.store.ChainVerifier;

/**
 * The result of re-computing the audit hash chain.
 *
 * @param rows     rows checked (up to and including the broken one)
 * @param intact   whether every link held
 * @param brokenAt seq (AuditEvent id) of the first row that does not follow from the one before; null if intact
 * @param problem  what is wrong with it
 * @param lastSeq  the last row that checked out; compare with an earlier report to see rows removed at the end
 * @param lastHash its hash (hex)
 */
public record ChainVerification(long rows, boolean intact, Long brokenAt, String problem, Long lastSeq,
                                String lastHash) {

    static ChainVerification of(ChainVerifier.Result r) {
        return new ChainVerification(r.rows(), r.intact(), r.brokenAt(), r.problem(), r.lastSeq(), r.lastHash());
    }

    public String describe() {
        return intact
                ? "audit chain intact: " + rows + " rows, last seq " + lastSeq + " hash " + lastHash
                : "audit chain BROKEN at seq " + brokenAt + ": " + problem + " (" + rows + " rows checked; last good seq "
                  + lastSeq + ")";
    }
}
