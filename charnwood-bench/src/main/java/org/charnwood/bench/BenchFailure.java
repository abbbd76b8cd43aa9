package org.charnwood.bench;

/**
 * A run whose figures must not be believed (most requests failed, the server refused the data, counts do not
 * add up). Carries what was measured anyway, so the failure can be read next to it.
 */
final class BenchFailure extends RuntimeException {

    private final transient Report partial;

    BenchFailure(String message) {
        this(message, null);
    }

    BenchFailure(String message, Report partial) {
        super(message);
        this.partial = partial;
    }

    /** What was measured before the failure, or {@code null}. */
    Report partial() {
        return partial;
    }
}
