package org.charnwood.fhir;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a logged failure keeps: types, frames and a database fault's SQLSTATE; never a message. */
class RedactedFailureTests {

    @Test
    void keepsTheTypesAndADatabaseFaultsStateButNoMessage() {
        SQLException database = new SQLException("Failing row contains (Quixotic, 9999488218)", "23502");
        RuntimeException failure = new IllegalStateException("store failed for Zebedee", database);

        RedactedFailure redacted = RedactedFailure.of(failure);

        assertThat(redacted.getMessage()).startsWith("java.lang.IllegalStateException (message withheld")
                .doesNotContain("Zebedee");
        assertThat(redacted.getCause().getMessage()).startsWith("java.sql.SQLException [SQLSTATE 23502] (message withheld")
                .doesNotContain("Quixotic", "9999488218");
        assertThat(redacted.getStackTrace()).isEqualTo(failure.getStackTrace());
    }

    @Test
    void aSummaryNamesEachTypeInTheChainAndNoMessage() {
        SQLException database = new SQLException("Failing row contains (Quixotic, 9999488218)", "08006");
        RuntimeException failure = new IllegalStateException("housekeeping failed for Zebedee", database);

        assertThat(RedactedFailure.summary(failure)).isEqualTo(
                "java.lang.IllegalStateException caused by java.sql.SQLException [SQLSTATE 08006]");
    }

    @Test
    void aStateThatIsNotOneLeavesNothingBehind() {
        SQLException odd = new SQLException("Smith", "Smith, John");

        assertThat(RedactedFailure.of(odd).getMessage()).isEqualTo("java.sql.SQLException (message withheld: it may"
                + " quote patient data)");
    }
}
