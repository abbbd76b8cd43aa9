package org.charnwood.app.observations;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs work that the outbox relay started again when it lost a race with another writer. A derived score or an
 * escalation is made once per change event: if its transaction meets a concurrent change of the same resource (a
 * version conflict) or PostgreSQL picks it as a deadlock or serialisation victim, giving up would leave a patient's
 * NEWS2 score or escalation missing for good, since the event is not delivered again. Running it afresh re-reads
 * what the other writer left and nearly always succeeds.
 */
final class ConflictRetry {

    /** Attempts in all, the first included. */
    static final int ATTEMPTS = 3;

    private ConflictRetry() {
    }

    /** Runs {@code work}, again when it fails with a conflict, up to {@link #ATTEMPTS} times; other failures at once. */
    static <T> T run(Supplier<T> work) {
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

    /** A version conflict, or a deadlock or serialisation failure anywhere in the causes. */
    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FhirException f && f.is(ErrorCode.VERSION_CONFLICT)) {
                return true;
            }
            if (t instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
