package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.ConnectionCallback;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What someone with access to the database, but not to the application, can do to the audit trail, and how it
 * shows: the rows are removed or anchors forged the way such a person would (with the triggers switched off),
 * committed, and the chain is checked as operators check it, over {@code /actuator/auditchain}; and the checkpoints
 * that make a chain's end checkable. Every test puts the rows back, since the trail is shared by all the tests of
 * the running application.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditChainTamperingIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    AuditLog log;
    @Autowired
    AuditCheckpoints checkpoints;
    @Autowired
    DataSource dataSource;

    private FhirHttp governance;

    @BeforeEach
    void someOfEachChain() {
        governance = http.as(tokens.bearer(Caller.staff("Practitioner/ig-1", AccessRole.INFORMATION_GOVERNANCE)
                .scopes("user/*.cruds", "charnwood/audit.chain")));
        Patient p = new Patient();
        p.setId("pt-1");
        p.addName(new HumanName().setFamily("Tamper"));
        assertThat(http.putJson("/fhir/Patient/pt-1", p).status()).isIn(200, 201);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/fhir/Patient/pt-1").status()).isEqualTo(200);
        }
    }

    @Test
    void noSessionCanSwitchTheImmutabilityTriggerOffOrWriteAPurgeAnchor() {
        long last = jdbc.queryForObject("select max(seq) from audit.event where patients = 'pt-1'", Long.class);

        // The setting the trigger used to trust can be set by any session; everything is rolled back afterwards.
        List<String> outcomes = jdbc.execute((ConnectionCallback<List<String>>) c -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("select set_config('charnwood.audit_purge', 'on', true)");
                List<String> seen = new ArrayList<>();
                for (String sql : List.of(
                        "delete from audit.event_patient where seq = " + last,
                        "delete from audit.event where seq = " + last,
                        "insert into audit.purge (purged_through, last_hash, chain) select seq, hash, chain"
                                + " from audit.event where seq = " + last,
                        "truncate audit.purge")) {
                    st.execute("savepoint attempt");
                    try {
                        st.execute(sql);
                        seen.add("allowed: " + sql);
                    } catch (SQLException e) {
                        seen.add(e.getSQLState());
                    }
                    st.execute("rollback to savepoint attempt");
                }
                return seen;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });

        assertThat(outcomes).containsOnly("42501");
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void aPrefixRemovedBehindAForgedPurgeAnchorIsReported() {
        long through = jdbc.queryForObject("select max(seq) from audit.event where chain = 1", Long.class);
        try {
            asIntruder(st -> {
                st.execute("create table audit.kept_event as select * from audit.event where seq <= " + through);
                st.execute("create table audit.kept_event_patient as select * from audit.event_patient where seq <= "
                        + through);
                st.execute("delete from audit.event_patient where seq <= " + through);
                st.execute("delete from audit.event where seq <= " + through);
                // The anchors a purge would have left: each chain's last hash in the removed prefix.
                st.execute("insert into audit.purge (purged_through, last_hash, chain)"
                        + " select distinct on (chain) " + through + ", hash, chain from audit.kept_event"
                        + " order by chain, seq desc");
            });

            Response check = governance.get("/actuator/auditchain");

            assertThat(check.status()).isEqualTo(200);
            assertThat(check.body()).contains("\"intact\":false").contains("not recorded on chain 0");
        } finally {
            asIntruder(st -> {
                st.execute("delete from audit.purge where purged_through = " + through);
                st.execute("insert into audit.event select * from audit.kept_event");
                st.execute("insert into audit.event_patient select * from audit.kept_event_patient");
                st.execute("drop table audit.kept_event");
                st.execute("drop table audit.kept_event_patient");
            });
        }
        assertThat(log.verify().intact()).as(log.verify().describe()).isTrue();
    }

    /**
     * A row removed from the middle of a chain leaves the next row following a hash that is no longer there; a row
     * slipped into a gap in the numbering (a rolled-back append leaves one), however well its own hash is made,
     * leaves the next row following the row before it instead. Both are reported at the row whose link broke.
     */
    @Test
    void aRowRemovedFromTheMiddleOrInsertedIntoAGapIsReported() {
        // A gap in chain 1's numbering, as a rolled-back append leaves, between two reads.
        jdbc.queryForObject("select nextval('audit.event_seq')", Long.class);
        long gap = jdbc.queryForObject("select nextval('audit.event_seq')", Long.class);
        assertThat(http.get("/fhir/Patient/pt-1").status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient/pt-1").status()).isEqualTo(200);
        List<Long> reads = jdbc.queryForList("select seq from audit.event where chain = 1 order by seq desc limit 3",
                Long.class);
        long last = reads.get(0);
        long middle = reads.get(1);
        assertThat(middle).isGreaterThan(gap);
        long beforeGap = jdbc.queryForObject("select max(seq) from audit.event where chain = 1 and seq < ?",
                Long.class, gap);
        long afterGap = jdbc.queryForObject("select min(seq) from audit.event where chain = 1 and seq > ?",
                Long.class, gap);

        ChainVerification removed = whileRemoved("seq = " + middle, log::verify);

        Map<String, Object> copied = jdbc.queryForMap("select recorded, type, subtype, action, outcome, who, purpose,"
                + " patients, content from audit.event where seq = ?", beforeGap);
        byte[] previous = jdbc.queryForObject("select hash from audit.event where seq = ?", byte[].class, beforeGap);
        java.time.Instant recorded = ((java.sql.Timestamp) copied.get("recorded")).toInstant();
        byte[] forgedHash = org.charnwood.app.audit.store.AuditChain.hash(previous, gap, recorded,
                (String) copied.get("type"), (String) copied.get("subtype"), (String) copied.get("action"),
                ((Number) copied.get("outcome")).intValue(), "Practitioner/someone-else", (String) copied.get("purpose"),
                (String) copied.get("patients"), (String) copied.get("content"));
        ChainVerification inserted;
        try {
            asIntruder(st -> {
                st.execute("insert into audit.event (seq, recorded, type, subtype, action, outcome, who, purpose,"
                        + " patients, content, prev_hash, hash, chain) select " + gap + ", recorded, type, subtype,"
                        + " action, outcome, 'Practitioner/someone-else', purpose, patients, content, hash,"
                        + " decode('" + java.util.HexFormat.of().formatHex(forgedHash) + "', 'hex'), 1"
                        + " from audit.event where seq = " + beforeGap);
                st.execute("insert into audit.event_patient (patient, seq) select patient, " + gap
                        + " from audit.event_patient where seq = " + beforeGap);
            });
            inserted = log.verify();
        } finally {
            asIntruder(st -> {
                st.execute("delete from audit.event_patient where seq = " + gap);
                st.execute("delete from audit.event where seq = " + gap);
            });
        }

        assertThat(removed.intact()).isFalse();
        assertThat(removed.brokenAt()).isEqualTo(last);
        assertThat(inserted.intact()).isFalse();
        assertThat(inserted.brokenAt()).isEqualTo(afterGap);
        ChainVerification whole = log.verify();
        assertThat(whole.intact()).as(whole.describe()).isTrue();
    }

    @Test
    void rowsRemovedFromTheEndOfAChainAreReportedAgainstThePublishedCheckpoints(CapturedOutput output)
            throws Exception {
        // As the application does every minute and when it stops.
        checkpoints.publish();
        long lastRead = jdbc.queryForObject("select max(seq) from audit.event where chain = 1", Long.class);
        String lastReadHash = jdbc.queryForObject("select encode(hash, 'hex') from audit.event where seq = ?",
                String.class, lastRead);
        String published = "audit checkpoint chain=1 seq=" + lastRead + " hash=" + lastReadHash;
        assertThat(Files.readString(checkpoints.file())).contains(published);
        assertThat(output.getOut()).contains(published);

        // The last two reads, then the whole read chain, then the last write, removed through the database alone.
        Response lastTwo = whileRemoved("chain = 1 and seq >= (select min(seq) from (select seq from audit.event"
                + " where chain = 1 order by seq desc limit 2) t)", () -> governance.get("/actuator/auditchain"));
        ChainVerification readChain = whileRemoved("chain = 1", log::verify);
        ChainVerification lastWrite = whileRemoved("seq = (select max(seq) from audit.event where chain = 0)",
                log::verify);

        assertThat(lastTwo.status()).isEqualTo(200);
        assertThat(lastTwo.body()).contains("\"intact\":false", "\"brokenAt\":" + lastRead,
                "chain 1 has lost rows from its end");
        assertThat(readChain.intact()).isFalse();
        assertThat(readChain.problem()).contains("chain 1 has lost rows from its end");
        assertThat(lastWrite.intact()).isFalse();
        assertThat(lastWrite.problem()).contains("chain 0 has lost rows from its end");
        ChainVerification restored = log.verify();
        assertThat(restored.intact()).as(restored.describe()).isTrue();
        assertThat(restored.checkpoints()).isPositive();
    }

    @Test
    void theChainsEndsArePublishedWhenTheApplicationStops(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("audit").resolve("checkpoints");
        AuditCheckpoints stopping = new AuditCheckpoints(dataSource, file, Duration.ofHours(1), Clock.systemUTC());
        stopping.start();
        assertThat(http.get("/fhir/Patient/pt-1").status()).isEqualTo(200);

        stopping.close();

        long lastRead = jdbc.queryForObject("select max(seq) from audit.event where chain = 1", Long.class);
        assertThat(Files.readAllLines(file)).anySatisfy(line -> assertThat(line)
                .contains("audit checkpoint chain=1 seq=" + lastRead + " hash="));
    }

    @Test
    void nothingIsPublishedBeforeTheApplicationIsReady(@TempDir Path folder, CapturedOutput output) throws Exception {
        assertThat(output.getOut()).as("the running application's checkpoints were started once it was ready")
                .doesNotContain("audit checkpoint could not be published");

        // Made as the application starts, perhaps before the migrations have made the audit tables.
        Path file = folder.resolve("audit").resolve("checkpoints");
        AuditCheckpoints early = new AuditCheckpoints(dataSource, file, Duration.ofMillis(20), Clock.systemUTC());
        Thread.sleep(300);
        assertThat(file).as("nothing is published before start").doesNotExist();

        early.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        early.close();
        assertThat(Files.readAllLines(file)).anySatisfy(line -> assertThat(line).contains("audit checkpoint chain="));
    }

    @Test
    void anApplicationStoppingBeforeItWasReadyPublishesNothing(@TempDir Path folder) {
        Path file = folder.resolve("audit").resolve("checkpoints");
        AuditCheckpoints failedStart = new AuditCheckpoints(dataSource, file, Duration.ofHours(1), Clock.systemUTC());

        failedStart.close();

        assertThat(file).doesNotExist();
    }

    /** What {@code check} sees while the rows matching {@code where} are gone; they are put back afterwards. */
    private <T> T whileRemoved(String where, java.util.function.Supplier<T> check) {
        try {
            asIntruder(st -> {
                st.execute("create table audit.kept_event as select * from audit.event where " + where);
                st.execute("create table audit.kept_event_patient as select * from audit.event_patient"
                        + " where seq in (select seq from audit.kept_event)");
                st.execute("delete from audit.event_patient where seq in (select seq from audit.kept_event)");
                st.execute("delete from audit.event where seq in (select seq from audit.kept_event)");
            });
            return check.get();
        } finally {
            asIntruder(st -> {
                st.execute("insert into audit.event select * from audit.kept_event");
                st.execute("insert into audit.event_patient select * from audit.kept_event_patient");
                st.execute("drop table audit.kept_event");
                st.execute("drop table audit.kept_event_patient");
            });
        }
    }

    private interface Work {
        void run(Statement st) throws SQLException;
    }

    /** Someone who can switch the triggers off (a superuser, or the tables' owner), committing as they go. */
    private void asIntruder(Work work) {
        jdbc.execute((ConnectionCallback<Void>) c -> {
            try (Statement st = c.createStatement()) {
                st.execute("set session_replication_role = replica");
                try {
                    work.run(st);
                } finally {
                    st.execute("set session_replication_role = default");
                }
            }
            return null;
        });
    }
}
