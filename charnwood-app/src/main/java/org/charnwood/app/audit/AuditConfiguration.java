package org.charnwood.app.audit;

import org.charnwood.app.audit.store.GroupCommitAppender;
import org.charnwood.app.repository.FhirSettings;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.ReadObserver;
import org.charnwood.fhir.TransactionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import javax.sql.DataSource;
import java.time.Clock;

/** Wires the audit trail: the group-commit appender, the write-transaction listener and the readers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditSettings.class)
class AuditConfiguration {

    @Bean(destroyMethod = "close")
    GroupCommitAppender auditAppender(DataSource dataSource, AuditSettings settings) {
        return new GroupCommitAppender(dataSource, settings.maxBatch(), settings.maxWait());
    }

    @Bean
    AuditTrail auditTrail(AuditSettings settings, GroupCommitAppender appender, DataSource dataSource, Clock clock,
                          org.springframework.core.env.Environment environment) {
        if (org.charnwood.app.security.BenchMode.auditOff(environment)) {
            // The benchmark baseline (bench profile only): nothing recorded.
            settings = new AuditSettings(false, settings.sourceId(), settings.maxBatch(), settings.maxWait(),
                    settings.checkpointInterval(), settings.checkpointFile());
        }
        return new AuditTrail(settings, appender, dataSource, clock);
    }

    /** Picked up by the repository: tells a web page's audit scope what the page read. */
    @Bean
    ReadObserver auditReadObserver(AuditTrail trail) {
        return trail.readObserver();
    }

    /** Gives the web pages (everything but the FHIR API, which records itself) an audit scope per request. */
    @Bean
    WebMvcConfigurer pageAuditRegistration(AuditTrail trail, RequesterSource requesters,
                                           org.charnwood.fhir.FhirRepository repository) {
        PageAudit pages = new PageAudit(trail, requesters, new AimedAt(repository));
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(pages);
            }
        };
    }

    /** Wraps the security filter chain's access-denied handlers, whose refusals no page scope sees. */
    @Bean
    FilterRefusalAudit filterRefusalAudit(AuditTrail trail, RequesterSource requesters,
                                          org.charnwood.fhir.FhirRepository repository,
                                          ObjectProvider<org.charnwood.app.security.EmergencyAccessReviews> grants,
                                          ObjectProvider<org.charnwood.app.security.IdentityConfirmationReviews>
                                                  confirmations) {
        return new FilterRefusalAudit(trail, requesters, new AimedAt(repository), grants, confirmations);
    }

    /** Picked up by the repository: audit records of writes commit inside the write. */
    @Bean
    TransactionListener auditTransactionListener(AuditTrail trail) {
        return new InTransactionAudit(trail);
    }

    @Bean
    SecurityEventAudit securityEventAudit(AuditTrail trail) {
        return new SecurityEventAudit(trail);
    }

    @Bean
    WorkforceEventAudit workforceEventAudit(AuditTrail trail) {
        return new WorkforceEventAudit(trail);
    }

    @Bean
    OutboxOperationAudit outboxOperationAudit(AuditTrail trail) {
        return new OutboxOperationAudit(trail);
    }

    /**
     * Publishes each chain's end outside the database, so verification sees rows removed from it. Stopped (and a last
     * checkpoint published) before the data source is closed, which it depends on.
     */
    @Bean(destroyMethod = "close")
    AuditCheckpoints auditCheckpoints(DataSource dataSource, AuditSettings settings, Clock clock,
                                      @org.springframework.beans.factory.annotation.Value("${charnwood.data-dir}")
                                      String dataDir) {
        return new AuditCheckpoints(dataSource, settings.checkpointPath(dataDir), settings.checkpointInterval(),
                clock);
    }

    /**
     * Starts the checkpoints once the application is ready, so after the migrations that make the audit tables; a
     * listener rather than a dependency on the migrations, so that start-up is not held up.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> auditCheckpointsWhenReady(AuditCheckpoints checkpoints) {
        return ready -> checkpoints.start();
    }

    @Bean
    AuditLog auditLog(DataSource dataSource, FhirSettings fhir, AuditCheckpoints checkpoints) {
        return new AuditLog(dataSource, fhir.defaultPageSize(), fhir.maxPageSize(), checkpoints.file());
    }

    @Bean
    RecordAccessHistory recordAccessHistory(AuditLog log, org.charnwood.fhir.FhirRepository repository,
                                            @org.springframework.beans.factory.annotation.Value(
                                                    "${charnwood.audit.patient-view.staff-names:true}") boolean staffNames) {
        return new RecordAccessHistory(log, repository, staffNames);
    }

    @Bean
    AuditChainEndpoint auditChainEndpoint(AuditLog log) {
        return new AuditChainEndpoint(log);
    }
}
