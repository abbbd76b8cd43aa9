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
 * @param checkpointInterval how often each chain's end is published (AuditCheckpoints), default a minute
 * @param checkpointFile the file it is appended to; default {@code audit/checkpoints} in the data folder
 */
@ConfigurationProperties("charnwood.audit")
public record AuditSettings(Boolean enabled, String sourceId, Integer maxBatch, Duration maxWait,
                            Duration checkpointInterval, String checkpointFile) {

    public AuditSettings {
        enabled = enabled == null || enabled;
        sourceId = sourceId == null || sourceId.isBlank() ? "charnwood" : sourceId;
        maxBatch = maxBatch == null ? 256 : maxBatch;
        maxWait = maxWait == null ? Duration.ofSeconds(10) : maxWait;
        checkpointInterval = checkpointInterval == null ? Duration.ofMinutes(1) : checkpointInterval;
        checkpointFile = checkpointFile == null || checkpointFile.isBlank() ? null : checkpointFile;
    }

    /** The checkpoint file: as set, or {@code audit/checkpoints} in the data folder. */
    public java.nio.file.Path checkpointPath(String dataDir) {
        return checkpointFile != null ? java.nio.file.Path.of(checkpointFile)
                : java.nio.file.Path.of(dataDir).resolve("audit").resolve("checkpoints");
    }
}
