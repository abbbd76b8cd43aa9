package org.charnwood.fhir;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A failure as it may be logged: the type and stack frames of the original and of each cause and suppressed
 * failure, without their messages. Messages of database and parser errors quote the values they choked on (a
 * PostgreSQL error's "Failing row contains (...)", a parser's "unexpected character near 'Smith'"), which can be
 * patient data; the types and frames are what an operator needs to find the fault:
 * <pre>
 *   log.error("FHIR request failed: incident={}", incident, RedactedFailure.of(e));
 * </pre>
 */
public final class RedactedFailure extends RuntimeException {

    /** How deep a chain of causes is followed; a longer one ends with the last failure kept. */
    private static final int MAX_DEPTH = 32;

    private final String original;

    private RedactedFailure(Throwable original) {
        super(original.getClass().getName() + sqlState(original) + " (message withheld: it may quote patient data)");
        this.original = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /** The failure with every message in its chain left out. */
    public static RedactedFailure of(Throwable failure) {
        return of(failure, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static RedactedFailure of(Throwable failure, Set<Throwable> seen, int depth) {
        RedactedFailure redacted = new RedactedFailure(failure);
        seen.add(failure);
        if (depth < MAX_DEPTH) {
            Throwable cause = failure.getCause();
            if (cause != null && !seen.contains(cause)) {
                redacted.initCause(of(cause, seen, depth + 1));
            }
            for (Throwable suppressed : failure.getSuppressed()) {
                if (!seen.contains(suppressed)) {
                    redacted.addSuppressed(of(suppressed, seen, depth + 1));
                }
            }
        }
        return redacted;
    }

    /**
     * The failure on one line, for a log entry that repeats too often to carry a stack: its type and its causes'
     * types, each with any SQLSTATE, and no message ({@code ...DataAccessResourceFailureException caused by
     * ...PSQLException [SQLSTATE 08006]}).
     */
    public static String summary(Throwable failure) {
        StringBuilder line = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable f = failure; f != null && seen.add(f) && seen.size() <= MAX_DEPTH; f = f.getCause()) {
            line.append(line.isEmpty() ? "" : " caused by ").append(f.getClass().getName()).append(sqlState(f));
        }
        return line.toString();
    }

    /**
     * A database failure's SQLSTATE, which names the kind of fault (22P05, an unsupported escape; 40P01, a
     * deadlock) and never the data, so an operator can tell one fault from another without the message.
     */
    private static String sqlState(Throwable failure) {
        if (failure instanceof java.sql.SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().matches("[0-9A-Z]{5}")) {
            return " [SQLSTATE " + sql.getSQLState() + "]";
        }
        return "";
    }

    /** The class name of the failure this stands for. */
    public String originalType() {
        return original;
    }

    /** Read as the original type, so a log line's first words name the real failure. */
    @Override
    public String toString() {
        return getMessage();
    }
}
