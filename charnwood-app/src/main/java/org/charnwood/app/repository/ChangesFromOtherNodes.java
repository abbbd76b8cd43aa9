package org.charnwood.app.repository;

import com.zaxxer.hikari.HikariDataSource;
import org.charnwood.app.database.PoolSettings;
import org.charnwood.fhir.ResourceChanged;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hears which changes the other nodes have relayed and tells this node's memory about them, as
 * {@link ResourceChangeNoticed} events with {@code relayedHere} false (this node's own relay tells it about its own).
 * The outbox gives each change to one node's relay, with its once-only work; without this, what other nodes keep
 * in memory (who has a legitimate relationship with whom, which boards show which patients) would not hear of it.
 *
 * <p>One connection of its own, opened beside the pool rather than borrowed from it, is kept LISTENing on
 * {@link ChangeNotices#CHANNEL} by a daemon thread; for each notice from another node the outbox rows it names are
 * read and published in order. When the connection is lost the thread opens another. PostgreSQL keeps no
 * notifications for a session that is not listening, so every time this node starts listening, and whenever it
 * loses the connection, it publishes {@link ResourceChangeNoticesMissed} and its memory is forgotten: it may
 * have missed changes.
 */
@Component
class ChangesFromOtherNodes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangesFromOtherNodes.class);
    /** How long one wait for notifications lasts, and so how soon the thread notices it should stop. */
    private static final int WAIT_MILLIS = 500;
    /** After this long without a notice the connection is tried with a query, so one that died silently is replaced. */
    private static final long QUIET_CHECK_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long that query may take before the connection is given up for dead. */
    private static final int CHECK_TIMEOUT_MILLIS = 15_000;
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long LONGEST_RETRY_MILLIS = 30_000;

    private static final String CHANGES = "select o.seq, o.res_type, o.res_id, o.version, o.method, o.occurred_at"
            + " from unnest(?::bigint[], ?::bigint[]) r(lo, hi) join fhir_outbox o on o.seq between r.lo and r.hi"
            + " order by o.seq";

    private final DataSource dataSource;
    private final ChangeBroadcast broadcast;
    private final ApplicationEventPublisher events;
    private volatile boolean listening;
    /**
     * The running thread's stop signal, counted down by {@link #stop}: its waits end at once, and a thread from
     * before a stop never carries on beside the one a later start begins.
     */
    private volatile CountDownLatch stopping = new CountDownLatch(0);

    ChangesFromOtherNodes(DataSource dataSource, ChangeBroadcast broadcast, ApplicationEventPublisher events) {
        this.dataSource = dataSource;
        this.broadcast = broadcast;
        this.events = events;
    }

    /** Whether the connection is open and LISTENing now. */
    boolean listening() {
        return listening;
    }

    /** The name the listening connection gives PostgreSQL ({@code application_name}), this node's own. */
    String connectionName() {
        return "charnwood changes " + broadcast.node();
    }

    private void listen(CountDownLatch stop) {
        long retry = FIRST_RETRY_MILLIS;
        while (stop.getCount() > 0) {
            try (Connection connection = connect()) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                connection.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MILLIS);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("listen " + ChangeNotices.CHANNEL);
                }
                listening = true;
                missed();
                retry = FIRST_RETRY_MILLIS;
                long heard = System.nanoTime();
                while (stop.getCount() > 0) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        for (PGNotification notification : notifications) {
                            receive(connection, notification.getParameter());
                        }
                        heard = System.nanoTime();
                    } else if (System.nanoTime() - heard > QUIET_CHECK_NANOS) {
                        try (Statement check = connection.createStatement()) {
                            check.execute("select 1");
                        }
                        heard = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stop.getCount() > 0) {
                    log.warn("Lost the connection that hears other nodes' changes ({}); this node forgets what it "
                            + "remembers of the record and listens again", e.getClass().getSimpleName());
                }
            } finally {
                listening = false;
            }
            if (stop.getCount() > 0) {
                missed();
                pause(stop, retry);
                retry = Math.min(retry * 2, LONGEST_RETRY_MILLIS);
            }
        }
    }

    /** A connection outside the pool, with the pool's own settings; another kind of pool lends one for good. */
    private Connection connect() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            if (pool.getJdbcUrl() != null) {
                Properties properties = PoolSettings.of(pool);
                properties.setProperty("ApplicationName", connectionName());
                return DriverManager.getConnection(pool.getJdbcUrl(), properties);
            }
        }
        Connection borrowed = dataSource.getConnection();
        borrowed.setAutoCommit(true); // notifications reach a session only between its transactions
        try (PreparedStatement name = borrowed.prepareStatement("select set_config('application_name', ?, false)")) {
            name.setString(1, connectionName());
            name.execute();
        }
        return borrowed;
    }

    private void receive(Connection connection, String payload) throws SQLException {
        ChangeNotices.Notice notice = ChangeNotices.parse(payload);
        if (notice == null) {
            log.warn("A notice on the changes channel could not be read and was ignored");
            return;
        }
        if (notice.node().equals(broadcast.node())) {
            return; // relayed here: the relay has told this node already
        }
        for (ResourceChanged change : changes(connection, notice)) {
            publish(new ResourceChangeNoticed(change, false));
        }
    }

    private static List<ResourceChanged> changes(Connection connection, ChangeNotices.Notice notice)
            throws SQLException {
        List<ResourceChanged> changes = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(CHANGES)) {
            ps.setArray(1, connection.createArrayOf("bigint", box(notice.from())));
            ps.setArray(2, connection.createArrayOf("bigint", box(notice.to())));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(OutboxRelay.change(rs));
                }
            }
        }
        return changes;
    }

    private static Long[] box(long[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Long[]::new);
    }

    private void missed() {
        publish(new ResourceChangeNoticesMissed());
    }

    private void publish(Object event) {
        try {
            events.publishEvent(event);
        } catch (RuntimeException e) {
            // Memory listeners must not throw; one that does must not stop this node hearing the rest.
            log.warn("A listener failed on a change notice: {}", e.getClass().getSimpleName());
        }
    }

    private static void pause(CountDownLatch stop, long millis) {
        try {
            stop.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    @Override
    public void start() {
        CountDownLatch stop = new CountDownLatch(1);
        stopping = stop;
        Thread thread = new Thread(() -> listen(stop), "changes-from-other-nodes");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Tells the thread to stop, without waiting for it: it is a daemon, ends within one wait for notifications
     * and closes its own connection, and nothing else depends on it being gone (a shutdown goes on to close the pool
     * and the beans that still write to the database on their way out).
     */
    @Override
    public void stop() {
        stopping.countDown();
    }

    @Override
    public boolean isRunning() {
        return stopping.getCount() > 0;
    }

    /** Listening before the web server takes requests, and until after it and the outbox relay have stopped. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    @Override
    public int getPhase() {
        return PHASE;
    }
}
