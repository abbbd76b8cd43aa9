package org.charnwood.app.repository;

import com.zaxxer.hikari.HikariDataSource;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.ResourceChanged;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broadcast of delivered changes, heard by this node from another one played by a separate database connection
 * (which writes an outbox row already delivered and notifies the channel, as another node's relay does): what this
 * node remembers hears of changes relayed anywhere, its once-only listeners only of its own, and a node that loses
 * its listening connection forgets and listens again.
 */
class ChangeBroadcastIntegrationTests extends CharnwoodIntegrationTest {

    private static final String OTHER_NODE = "other-node";

    /**
     * How long a notice may take to be heard. The listener is woken by it and otherwise looks every half second, so
     * it is heard well within a second on an idle machine; the bound is for a machine busy with the rest of the
     * build, and waiting ends as soon as the notice is heard.
     */
    private static final Duration NOTICE_WAIT = Duration.ofSeconds(30);

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    ChangesFromOtherNodes fromOtherNodes;

    @Autowired
    OutboxRelay relay;

    private final List<ResourceChangeNoticed> noticed = new CopyOnWriteArrayList<>();
    private final List<ResourceChanged> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger missed = new AtomicInteger();
    private final List<ApplicationListener<?>> listeners = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        listeners.add(ApplicationListener.<ResourceChangeNoticed>forPayload(noticed::add));
        listeners.add(ApplicationListener.<ResourceChanged>forPayload(delivered::add));
        listeners.add(ApplicationListener.<ResourceChangeNoticesMissed>forPayload(m -> missed.incrementAndGet()));
        listeners.forEach(context::addApplicationListener);
        await().atMost(Duration.ofSeconds(10)).until(fromOtherNodes::listening);
    }

    @AfterEach
    void stopListening() {
        listeners.forEach(context::removeApplicationListener);
    }

    @Test
    void aChangeAnotherNodeRelayedIsNoticedHereButItsOnceOnlyWorkIsLeftToThatNode() throws SQLException {
        long seq = relayedByTheOtherNode("Patient", "elsewhere-1");

        await().atMost(NOTICE_WAIT).until(() -> noticesOf("elsewhere-1").size() == 1);
        ResourceChangeNoticed notice = noticesOf("elsewhere-1").get(0);
        assertThat(notice.relayedHere()).isFalse();
        assertThat(notice.change().sequence()).isEqualTo(seq);
        assertThat(notice.change().resourceType()).isEqualTo("Patient");
        assertThat(notice.change().method()).isEqualTo(ChangeMethod.CREATE);
        assertThat(delivered).noneMatch(c -> c.resourceId().equals("elsewhere-1"));
    }

    @Test
    void aChangeRelayedHereIsNoticedOnceAndNotAgainWhenItsOwnNoticeComesBack() throws SQLException {
        String id = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("fhir_outbox where delivered_at is null") == 0);
        // Notifications arrive in commit order: once the other node's later notice is heard, so was this node's own.
        relayedByTheOtherNode("Patient", "marker-1");
        await().atMost(NOTICE_WAIT).until(() -> noticesOf("marker-1").size() == 1);

        assertThat(noticesOf(id)).hasSize(1);
        assertThat(noticesOf(id).get(0).relayedHere()).isTrue();
        assertThat(delivered).filteredOn(c -> c.resourceId().equals(id)).hasSize(1);
    }

    @Test
    void aNodeThatLosesItsListeningConnectionForgetsWhatItRemembersAndListensAgain() throws SQLException {
        int before = missed.get();

        Integer ended = jdbc.queryForObject("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                + " where application_name = ?", Integer.class, fromOtherNodes.connectionName());

        assertThat(ended).isEqualTo(1);
        // Told once when the connection is lost, and again when it listens once more.
        await().atMost(NOTICE_WAIT).until(() -> missed.get() >= before + 2 && fromOtherNodes.listening());
        relayedByTheOtherNode("Patient", "after-reconnect-1");
        await().atMost(NOTICE_WAIT).until(() -> noticesOf("after-reconnect-1").size() == 1);
    }

    @Test
    void whatIsNotANoticeOnTheChannelIsIgnored() throws SQLException {
        try (Connection other = otherNode()) {
            try (PreparedStatement ps = other.prepareStatement("select pg_notify(?, ?)")) {
                ps.setString(1, ChangeNotices.CHANNEL);
                ps.setString(2, "not a notice");
                ps.execute();
            }
        }
        relayedByTheOtherNode("Patient", "after-noise-1");

        await().atMost(NOTICE_WAIT).until(() -> noticesOf("after-noise-1").size() == 1);
        assertThat(fromOtherNodes.listening()).isTrue();
    }

    private List<ResourceChangeNoticed> noticesOf(String id) {
        return noticed.stream().filter(n -> n.change().resourceId().equals(id)).toList();
    }

    /** What another node's relay does: the change's row marked delivered, and the notice, in one transaction. */
    private long relayedByTheOtherNode(String type, String id) throws SQLException {
        try (Connection other = otherNode()) {
            other.setAutoCommit(false);
            long seq;
            try (PreparedStatement ps = other.prepareStatement("insert into fhir_outbox (res_type, res_id, version,"
                    + " method, occurred_at, delivered_at) values (?, ?, 1, 'C', now(), now()) returning seq")) {
                ps.setString(1, type);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = other.prepareStatement("select pg_notify(?, ?)")) {
                ps.setString(1, ChangeNotices.CHANNEL);
                ps.setString(2, ChangeNotices.payloads(OTHER_NODE, new long[]{seq}).get(0));
                ps.execute();
            }
            other.commit();
            return seq;
        }
    }

    private Connection otherNode() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        return DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }
}
