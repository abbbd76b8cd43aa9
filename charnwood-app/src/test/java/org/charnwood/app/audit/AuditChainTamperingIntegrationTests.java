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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What someone with access to the database, but not to the application, can do to the audit trail, and how it
 * shows: the rows are removed or anchors forged the way such a person would (with the triggers switched off),
 * committed, and the chain is checked as operators check it, over {@code /actuator/auditchain}. Every test puts
 * the rows back, since the trail is shared by all the tests of the running application.
 */
class AuditChainTamperingIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    AuditLog log;

    private FhirHttp governance;

    @BeforeEach
    void someOfEachChain() {
        governance = http.as(tokens.bearer(Caller.staff("Practitioner/ig-1", AccessRole.INFORMATION_GOVERNANCE)
                .scopes("user/*.cruds")));
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
