package org.charnwood.app.bulkexport;

import org.charnwood.fhir.FhirRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;

/** Wires bulk export: the job store and the background runner ({@code charnwood.bulk-export.*}). */
@Configuration(proxyBeanMethods = false)
class BulkExportConfiguration {

    @Bean
    ExportJobs exportJobs(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new ExportJobs(jdbc, tx);
    }

    @Bean(destroyMethod = "close")
    ExportRunner exportRunner(ExportJobs jobs, FhirRepository repository, Clock clock,
                              @Value("${charnwood.bulk-export.file-resources:10000}") int fileResources,
                              @Value("${charnwood.bulk-export.retention:24h}") Duration retention) {
        return new ExportRunner(jobs, repository, clock, fileResources, retention);
    }
}
