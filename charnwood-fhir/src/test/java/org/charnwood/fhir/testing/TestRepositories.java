package org.charnwood.fhir.testing;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ReadObserver;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.TransactionListener;
import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.search.SqlSearchEngine;
import org.charnwood.fhir.validation.ResourceValidator;

import java.time.Clock;

/** Repositories over the test database with the real indexer and search engine. */
public final class TestRepositories {

    private TestRepositories() {
    }

    public static FhirRepository with(ResourceValidator validator) {
        return with(validator, ReadObserver.NONE);
    }

    /** The same, telling {@code reads} of every resource its reads return. */
    public static FhirRepository with(ResourceValidator validator, ReadObserver reads) {
        RepositorySettings settings = RepositorySettings.defaults();
        SearchParameterRegistry registry = SearchParameterRegistry.r4();
        return new FhirRepository(TestDatabase.get().dataSource(), validator,
                new SearchIndexer(registry, ServerBase.none()),
                new SqlSearchEngine(registry, ServerBase.none(), settings, Clock.systemUTC()),
                settings, Clock.systemUTC(), TransactionListener.NONE, reads);
    }
}
