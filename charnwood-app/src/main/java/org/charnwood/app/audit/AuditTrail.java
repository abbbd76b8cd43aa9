package org.charnwood.app.audit;

import org.charnwood.fhir.ReadObserver;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.audit.balp.AuditEventBuilder;
import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.audit.store.AuditStore;
import org.charnwood.app.audit.store.GroupCommitAppender;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The audit trail's front door for request handlers: {@link #open} starts the record of one FHIR request,
 * which the handler fills in (who, which interaction, what was returned) and completes with
 * {@link AuditScope#succeeded} or {@link AuditScope#failed}. Writes are recorded inside their own
 * database transaction as they commit; reads are committed (grouped with other requests' records) before
 * the handler returns, so a response never goes out unaudited.
 */
public final class AuditTrail {

    // Inheritable so that the worker threads a bulk import starts for its chunks see the request.
    private static final InheritableThreadLocal<AuditScope> CURRENT = new InheritableThreadLocal<>();

    private final AuditSettings settings;
    private final GroupCommitAppender appender;
    private final DataSource dataSource;
    private final Clock clock;
    private final String serverAddress;

    AuditTrail(AuditSettings settings, GroupCommitAppender appender, DataSource dataSource, Clock clock) {
        this.settings = settings;
        this.appender = appender;
        this.dataSource = dataSource;
        this.clock = clock;
        this.serverAddress = hostName();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Starts the record of one request on this thread; close the scope when the response is ready. */
    public AuditScope open(HttpServletRequest request) {
        AuditScope scope = new AuditScope(this, request);
        CURRENT.set(scope);
        return scope;
    }

    /** The request being handled on this thread (or the thread that started it); null outside requests. */
    AuditScope current() {
        AuditScope scope = CURRENT.get();
        return scope == null || scope.isClosed() ? null : scope;
    }

    /** Tells the page request being handled on this thread what the repository returned to it. */
    ReadObserver readObserver() {
        return resources -> {
            AuditScope scope = current();
            if (scope != null && scope.isPage()) {
                scope.pageRead(resources);
            }
        };
    }

    void closed(AuditScope scope) {
        if (CURRENT.get() == scope) {
            CURRENT.remove();
        }
    }

    AuditEventBuilder event(Codes type) {
        return new AuditEventBuilder(now(), type).server(settings.sourceId(), serverAddress);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    void commit(List<AuditRecord> records) {
        if (settings.enabled()) {
            appender.appendAndWait(records);
        }
    }

    /**
     * Records of a change made outside the repository (a break-glass grant, its review) in the transaction that
     * makes it, when the caller has one open ({@code TransactionTemplate}): appended to the shared chain on that
     * transaction's connection, so the change and its record commit together or not at all, as the repository's
     * writes do ({@link InTransactionAudit}). Without a transaction the change has committed already, and the
     * records are committed at once.
     */
    void commitWithChange(List<AuditRecord> records) {
        if (!settings.enabled()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            commit(records);
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            AuditStore.append(connection, records);
        } catch (SQLException e) {
            throw new IllegalStateException("the audit record could not be written with its change", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
