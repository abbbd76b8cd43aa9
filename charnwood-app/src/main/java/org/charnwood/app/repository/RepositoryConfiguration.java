package org.charnwood.app.repository;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.IdOnlySearchEngine;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;

/** Builds the FHIR repository library into the application. */
@Configuration(proxyBeanMethods = false)
class RepositoryConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    FhirRepository fhirRepository(DataSource dataSource, FhirSettings settings, Clock clock) {
        IdOnlySearchEngine search = new IdOnlySearchEngine();
        return new FhirRepository(dataSource, new ParseOnlyValidator(), search, search,
                settings.repositorySettings(), clock);
    }
}
