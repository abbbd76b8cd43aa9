package org.charnwood.app.audit;

import org.charnwood.app.audit.store.ChainVerifier;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of re-computing the audit hash chain.
 *
 * @param rows     rows checked (up to and including the broken one)
 * @param intact   whether every link held
 * @param brokenAt seq (AuditEvent id) of the first row that does not follow from the one before; null if intact
 * @param problem  what is wrong with it
 * @param lastSeq  the last row that checked out, on any chain
 * @param lastHash its hash (hex)
 * @param tails    where each chain (0: writes, sign-ins and the like; 1: reads) ends
 * @param checkpoints published checkpoints found still on their chains (rows removed from the end of a chain show
 *                 as a checkpoint that is not)
 */
public record ChainVerification(long rows, boolean intact, Long brokenAt, String problem, Long lastSeq,
                                String lastHash, List<ChainVerifier.Tail> tails, long checkpoints) {

    static ChainVerification of(ChainVerifier.Result r) {
        return new ChainVerification(r.rows(), r.intact(), r.brokenAt(), r.problem(), r.lastSeq(), r.lastHash(),
                r.tails(), r.checkpoints());
    }

    public String describe() {
        String ends = tails.stream().map(t -> "chain " + t.chain() + " ends at seq " + t.lastSeq() + " hash "
                + t.lastHash()).collect(Collectors.joining("; "));
        return intact
                ? "audit chain intact: " + rows + " rows, " + checkpoints + " checkpoints"
                  + (ends.isEmpty() ? "" : "; " + ends)
                : "audit chain BROKEN at seq " + brokenAt + ": " + problem + " (" + rows + " rows checked; last good seq "
                  + lastSeq + ")";
    }
}
