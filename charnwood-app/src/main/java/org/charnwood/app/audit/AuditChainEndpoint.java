package org.charnwood.app.audit;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/auditchain}: re-computes the audit hash chain and reports the first broken link.
 * It reveals counts and hashes only, no patient data; it reads the whole trail, so it is for operators,
 * not for monitoring probes.
 */
@Endpoint(id = "auditchain")
final class AuditChainEndpoint {

    private final AuditLog log;

    AuditChainEndpoint(AuditLog log) {
        this.log = log;
    }

    @ReadOperation
    public ChainVerification verify() {
        return log.verify();
    }
}
