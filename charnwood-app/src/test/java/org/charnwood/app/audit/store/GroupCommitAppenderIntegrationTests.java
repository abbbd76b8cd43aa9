package org.charnwood.app.audit.store;

import com.zaxxer.hikari.HikariDataSource;
import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read path's group commit on the real audit store: nobody returns before their record is committed. */
class GroupCommitAppenderIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    DataSource dataSource;

    /** The server's own appender, which owns the read chain in this context. */
    @Autowired
    GroupCommitAppender serversAppender;

    private static AuditRecord record(String who) {
        return new AuditRecord(Instant.parse("2026-11-26T04:00:00Z"), "http://dicom.nema.org/resources/ontology/DCM|110110",
                "search-type", "E", 0, who, null, List.of(), "{}");
    }

    private int committedFor(String who) {
        return jdbc.queryForObject("select count(*) from audit.event where who = ?", Integer.class, who);
    }

    @Test
    void aLoneRequestReturnsOnceItsRecordIsCommitted() {
        GroupCommitAppender appender = new GroupCommitAppender(dataSource, 256, Duration.ofSeconds(10));
        appender.appendAndWait(List.of(record("Practitioner/alone")));
        assertThat(committedFor("Practitioner/alone")).isEqualTo(1);
        appender.close();
    }

    @Test
    void concurrentRequestsShareCommitsAndEachReturnsOnlyOnceItsRecordIsCommitted() throws Exception {
        GroupCommitAppender appender = new GroupCommitAppender(dataSource, 3, Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> seen = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String who = "Practitioner/group-" + i;
                seen.add(pool.submit(() -> {
                    appender.appendAndWait(List.of(record(who)));
                    return committedFor(who);
                }));
            }
            for (Future<Integer> f : seen) {
                assertThat(f.get()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
            appender.close();
        }
        assertThat(jdbc.queryForObject("select count(*) from audit.event where who like 'Practitioner/group-%'",
                Integer.class)).isEqualTo(64);
    }

    @Test
    void whileTheServersAppenderOwnsTheReadChainAnotherRecordsOnTheSharedChainAndBothVerify() throws Exception {
        GroupCommitAppender second = new GroupCommitAppender(dataSource, 256, Duration.ofSeconds(10));
        try {
            second.appendAndWait(List.of(record("Practitioner/second-server")));

            assertThat(second.ownsReadChain()).isFalse();
            assertThat(jdbc.queryForObject("select chain from audit.event where who = 'Practitioner/second-server'",
                    Integer.class)).isZero();
        } finally {
            second.close();
        }
        try (var c = dataSource.getConnection()) {
            assertThat(ChainVerifier.verify(c).intact()).isTrue();
        }
    }

    @Test
    void aLargeBatchWithPatientsIsStoredWholeOnTheReadChain() throws Exception {
        List<AuditRecord> many = new ArrayList<>();
        for (int i = 0; i < ReadChain.ROWS_PER_STATEMENT * 2 + 3; i++) {
            many.add(new AuditRecord(Instant.parse("2026-11-26T04:00:00Z"),
                    "http://dicom.nema.org/resources/ontology/DCM|110110", "search-type", "E", 0, "Practitioner/many",
                    null, List.of("p-" + i, "q-" + i), "{\"n\":" + i + "}"));
        }
        serversAppender.appendAndWait(many);

        assertThat(serversAppender.ownsReadChain()).isTrue();
        assertThat(committedFor("Practitioner/many")).isEqualTo(many.size());
        assertThat(jdbc.queryForObject("select count(distinct chain) from audit.event where who = 'Practitioner/many'",
                Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit.event_patient p join audit.event e using (seq)"
                + " where e.who = 'Practitioner/many'", Integer.class)).isEqualTo(many.size() * 2);
        try (var c = dataSource.getConnection()) {
            assertThat(ChainVerifier.verify(c).intact()).isTrue();
        }
    }

    @Test
    void loneRecordsHashedByTheDatabaseAndBatchesHashedHereFormOneChainThatVerifies() throws Exception {
        // A lone record is numbered and hashed by its insert statement; a batch is hashed in Java. Both must give
        // the canonical form verification recomputes, whatever the text holds.
        for (int round = 0; round < 3; round++) {
            serversAppender.appendAndWait(List.of(new AuditRecord(Instant.parse("2026-11-26T04:00:00.125Z"),
                    "http://dicom.nema.org/resources/ontology/DCM|110110", "read", "R", 0, "Practitioner/mixed",
                    round == 1 ? "BTG" : null, round == 2 ? List.of() : List.of("p-ü-" + round),
                    "{\"n\":\"Siân, Zoë, 李 \\n " + round + "\"}")));
            serversAppender.appendAndWait(List.of(record("Practitioner/mixed"), record("Practitioner/mixed")));
        }

        assertThat(committedFor("Practitioner/mixed")).isEqualTo(9);
        assertThat(jdbc.queryForObject("select count(*) from audit.event_patient p join audit.event e using (seq)"
                + " where e.who = 'Practitioner/mixed'", Integer.class)).isEqualTo(2);
        try (var c = dataSource.getConnection()) {
            assertThat(ChainVerifier.verify(c).intact()).isTrue();
        }
    }

    @Test
    void aBatchTheDatabaseCannotTakeFailsItsCallersAndSoDoesTheNext() {
        HikariDataSource closed = new HikariDataSource();
        closed.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
        closed.close();
        GroupCommitAppender failing = new GroupCommitAppender(closed, 256, Duration.ofSeconds(5));
        assertThatThrownBy(() -> failing.appendAndWait(List.of(record("Practitioner/lost"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> failing.appendAndWait(List.of(record("Practitioner/lost"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not be stored");
        assertThat(committedFor("Practitioner/lost")).isZero();
        failing.close();
    }
}
