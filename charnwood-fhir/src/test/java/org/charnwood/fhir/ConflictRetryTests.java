package org.charnwood.fhir;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConflictRetryTests {

    private static FhirException conflict() {
        return FhirException.of(409, ErrorCode.VERSION_CONFLICT, IssueType.CONFLICT, "changed meanwhile");
    }

    @Test
    void aConflictIsTriedAgainUntilTheWorkSucceeds() {
        AtomicInteger calls = new AtomicInteger();

        String result = ConflictRetry.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw conflict();
            }
            return "scored";
        });

        assertThat(result).isEqualTo("scored");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aDeadlockOrSerialisationFailureDeepInTheCausesCountsAsAConflict() {
        RuntimeException deadlock = new IllegalStateException("wrapped",
                new SQLException("deadlock detected", "40P01"));
        RuntimeException serialisation = new RuntimeException(new SQLException("could not serialize", "40001"));

        assertThat(ConflictRetry.isConflict(deadlock)).isTrue();
        assertThat(ConflictRetry.isConflict(serialisation)).isTrue();
        assertThat(ConflictRetry.isConflict(new RuntimeException(new SQLException("syntax", "42601")))).isFalse();
    }

    @Test
    void givesUpAfterThreeConflictsAndNeverRetriesOtherFailures() {
        AtomicInteger conflicts = new AtomicInteger();
        assertThatThrownBy(() -> ConflictRetry.run(() -> {
            conflicts.incrementAndGet();
            throw conflict();
        })).isInstanceOf(FhirException.class);
        assertThat(conflicts).hasValue(ConflictRetry.ATTEMPTS);

        AtomicInteger refusals = new AtomicInteger();
        assertThatThrownBy(() -> ConflictRetry.run(() -> {
            refusals.incrementAndGet();
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "not a conflict");
        })).isInstanceOf(FhirException.class);
        assertThat(refusals).hasValue(1);
    }
}
