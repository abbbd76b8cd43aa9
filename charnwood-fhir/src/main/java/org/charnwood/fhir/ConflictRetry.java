package org.charnwood.fhir;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs work again when its transaction lost a race with another writer: a concurrent change of the same resource
 * (a version conflict) or a deadlock or serialisation failure, which the repository reports as a version conflict
 * too. Running it afresh re-reads what the other writer left and nearly always succeeds. For work nobody will ask
 * for twice: a bulk import's chunk, and what the outbox's listeners derive from an event that is not delivered
 * again (a patient's NEWS2 score or escalation).
 */
public final class ConflictRetry {

    /** Attempts in all, the first included. */
    public static final int ATTEMPTS = 3;

    private ConflictRetry() {
    }

    /** Runs {@code work}, again when it fails with a conflict, up to {@link #ATTEMPTS} times; other failures at once. */
    public static <T> T run(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * A deadlock or serialisation failure: PostgreSQL chose the transaction as the victim of a clash with another
     * writer and rolled all of it back, so the same work run again will very likely succeed. Unlike a version
     * conflict (If-Match), nothing the caller asked for was wrong. The repository reports one as a 409 of issue type
     * {@code transient}; the SQLSTATE itself may also be found among the causes.
     */
    public static boolean isClash(Throwable e) {
        return anyCause(e, f -> f.is(ErrorCode.VERSION_CONFLICT) && f.outcome().getIssue().stream()
                .anyMatch(i -> i.getCode() == org.hl7.fhir.r4.model.OperationOutcome.IssueType.TRANSIENT));
    }

    /** A version conflict, or a deadlock or serialisation failure anywhere in the causes. */
    static boolean isConflict(Throwable e) {
        return anyCause(e, f -> f.is(ErrorCode.VERSION_CONFLICT));
    }

    /** Whether {@code e} or one of its causes is such a repository error, or a deadlock or serialisation failure. */
    private static boolean anyCause(Throwable e, java.util.function.Predicate<FhirException> conflict) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FhirException f && conflict.test(f)) {
                return true;
            }
            if (t instanceof SQLException s && FhirRepository.clashed(s)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
