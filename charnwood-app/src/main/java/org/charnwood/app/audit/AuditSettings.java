package org.charnwood.app.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code charnwood.audit.*} settings.
 *
 * @param enabled       record the audit trail (default true); off only to measure its cost
 * @param sourceId      how this server names itself in AuditEvent.source and the server agent
 * @param maxBatch      records committed together at most
 * @param maxWait       how long a request waits for its audit record before it fails
 */
@ConfigurationProperties("charnwood.audit")
public record AuditSettings(Boolean enabled, String sourceId, Integer maxBatch, Duration maxWait) {

    public AuditSettings {
        enabled = enabled == null || enabled;
        sourceId = sourceId == null || sourceId.isBlank() ? "charnwood" : sourceId;
        maxBatch = maxBatch == null ? 256 : maxBatch;
        maxWait = maxWait == null ? Duration.ofSeconds(10) : maxWait;
    }
}
