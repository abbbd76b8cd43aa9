package org.charnwood.app.repository;

import org.charnwood.app.terminology.TerminologyBinding;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ReadObserver;
import org.charnwood.fhir.TransactionListener;
import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.search.SqlSearchEngine;
import org.charnwood.fhir.validation.BaseR4Validator;
import org.charnwood.fhir.validation.CompiledProfileValidator;
import org.charnwood.fhir.validation.RepositoryValidator;
import org.charnwood.fhir.validation.ResourceValidator;
import org.charnwood.fhir.validation.ValidationSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;

/** Builds the FHIR repository library into the application. */
@Configuration(proxyBeanMethods = false)
class RepositoryConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Built once: compiling the R4 definitions and loading the UK Core package takes seconds. */
    @Bean
    RepositoryValidator repositoryValidator(FhirSettings settings) {
        // Compile the R4 definitions and the UK Core profiles now, not on the first write.
        BaseR4Validator.warmUp();
        CompiledProfileValidator.ukCore().warmUp();
        return new RepositoryValidator(new ValidationSettings(settings.enforcedProfiles()));
    }

    @Bean
    SearchParameterRegistry searchParameterRegistry() {
        return SearchParameterRegistry.r4();
    }

    @Bean
    FhirRepository fhirRepository(DataSource dataSource, FhirSettings settings, RepositoryValidator validator,
                                  TerminologyBinding binding, SearchParameterRegistry registry, Clock clock,
                                  ObjectProvider<TransactionListener> listener, ObjectProvider<ReadObserver> reads,
                                  ObjectProvider<ResourceValidator> contentRules) {
        // Before anything is indexed or searched: dates without a zone are the trust's local dates.
        org.charnwood.fhir.search.DateRange.assumeLocalZone(settings.localTimeZone());
        // A capability that must commit with every change (the audit trail) supplies the listener.
        // Absolute references to our own base URLs are indexed and searched as local references.
        ServerBase ours = ServerBase.of(settings.serverBaseUrls().toArray(String[]::new));
        // Capabilities that own rules about the content of some resources (a referral pathway's criteria, say)
        // add them as further validator beans; they run after structure, profiles and terminology.
        // Structure and profile warnings (a claimed profile not known here) are shown to a client that asks for an
        // OperationOutcome, as the binding check's are.
        ResourceValidator structure = resource -> {
            var issues = validator.validate(resource);
            org.charnwood.app.terminology.BindingWarnings.noteWarnings(issues);
            return issues;
        };
        List<ResourceValidator> stages = new java.util.ArrayList<>(List.of(structure, binding));
        contentRules.orderedStream().filter(v -> v != validator && v != binding).forEach(stages::add);
        return new FhirRepository(dataSource, new ValidatorChain(List.copyOf(stages)), new SearchIndexer(registry, ours),
                new SqlSearchEngine(registry, ours, settings.repositorySettings(), clock),
                settings.repositorySettings(), clock, listener.getIfAvailable(() -> TransactionListener.NONE),
                reads.getIfAvailable(() -> ReadObserver.NONE));
    }
}
