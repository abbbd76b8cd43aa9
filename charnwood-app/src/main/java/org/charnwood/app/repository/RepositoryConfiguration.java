package org.charnwood.app.repository;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.IdOnlySearchEngine;
import org.charnwood.fhir.validation.RepositoryValidator;
import org.charnwood.fhir.validation.ValidationSettings;
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

    /** Built once: compiling the R4 definitions and loading the UK Core package takes seconds. */
    @Bean
    RepositoryValidator repositoryValidator() {
        RepositoryValidator validator = new RepositoryValidator(ValidationSettings.defaults());
        return validator;
    }

    @Bean
    FhirRepository fhirRepository(DataSource dataSource, FhirSettings settings, RepositoryValidator validator,
                                  Clock clock) {
        IdOnlySearchEngine search = new IdOnlySearchEngine();
        return new FhirRepository(dataSource, validator, search, search, settings.repositorySettings(), clock);
    }
}
