package org.charnwood.app.bulkexport;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.fhir.FhirRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The minutely housekeeping of export jobs writes rows that list the patients exported, so when the database refuses
 * it, the log says which failure it was and never what the database's message quoted.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExportHousekeepingIntegrationTests extends CharnwoodIntegrationTest {

    /** A patient's name and NHS number, as a refused row would be quoted. */
    private static final String QUOTED = "Quartermaine-Zebedee, 9990000018";

    @Autowired
    ExportJobs jobs;

    @Autowired
    FhirRepository repository;

    @AfterEach
    void removeTheFault() {
        jdbc.execute("drop trigger if exists refuse_housekeeping on bulk_export_job");
        jdbc.execute("drop function if exists refuse_housekeeping()");
    }

    @Test
    void aRefusedHousekeepingIsLoggedWithoutTheDatabasesMessage(CapturedOutput output) {
        jdbc.execute("create function refuse_housekeeping() returns trigger language plpgsql as $$ begin "
                + "raise exception 'Failing row contains (%)', '" + QUOTED + "' using errcode = '23514'; end $$");
        jdbc.execute("create trigger refuse_housekeeping before update or delete on bulk_export_job "
                + "for each statement execute function refuse_housekeeping()");

        try (ExportRunner runner = new ExportRunner(jobs, repository, Clock.systemUTC(), 10, Duration.ofHours(1))) {
            runner.housekeep();
        }

        assertThat(output.getOut()).contains("bulk export housekeeping failed")
                .contains("PSQLException [SQLSTATE 23514]")
                .doesNotContain("Quartermaine", "9990000018");
    }
}
