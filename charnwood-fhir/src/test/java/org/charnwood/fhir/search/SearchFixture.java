package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.FhirRepository.SearchPage;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.Resource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A repository on the test database wired with the real indexer and search engine, and shorthands
 * for writing resources and running searches written as query strings.
 */
final class SearchFixture {

    static final SearchParameterRegistry REGISTRY = SearchParameterRegistry.r4();
    static final String OUR_BASE = "https://fhir.charnwood.example/r4";

    final TestDatabase db = TestDatabase.get();
    final SettableClock clock = new SettableClock(Instant.parse("2025-06-01T12:00:00Z"));
    final FhirRepository repository;

    SearchFixture() {
        this(REGISTRY);
    }

    /** A fixture whose indexer and engine use the given registry (for custom parameters). */
    SearchFixture(SearchParameterRegistry registry) {
        db.reset();
        ServerBase base = ServerBase.of(OUR_BASE);
        RepositorySettings settings = new RepositorySettings(false, false, 1000, 20);
        repository = new FhirRepository(db.dataSource(), new ParseOnlyValidator(), new SearchIndexer(registry, base),
                new SqlSearchEngine(registry, base, settings, clock), settings, clock);
    }

    /** Creates the resource with a server-assigned id and returns the id. */
    String create(Resource resource) {
        return repository.inTransaction(s -> s.create(resource)).id();
    }

    /** Creates or updates the resource at the id it carries. */
    String put(Resource resource) {
        return repository.inTransaction(s -> s.update(resource.fhirType(), resource.getIdPart(), resource, null)).id();
    }

    void delete(String type, String id) {
        repository.inTransaction(s -> s.delete(type, id));
    }

    SearchPage page(String type, String query) {
        return repository.search(request(type, query, false));
    }

    SearchPage lenient(String type, String query) {
        return repository.search(request(type, query, true));
    }

    static SearchRequest request(String type, String query, boolean lenient) {
        return new SearchRequest(type, QueryStrings.parse(query), lenient);
    }

    /** Ids of the matches, in result order. */
    List<String> ids(String type, String query) {
        return page(type, query).matches().stream().map(StoredResource::id).toList();
    }

    /** Type/id of the included resources. */
    List<String> included(String type, String query) {
        return page(type, query).included().stream().map(r -> r.type() + "/" + r.id()).toList();
    }

    /** The refusal a search meets; fails the test if it succeeds. */
    FhirException refusal(String type, String query) {
        FhirException e = catchThrowableOfType(FhirException.class, () -> page(type, query));
        assertThat(e).as("search %s?%s should be refused", type, query).isNotNull();
        return e;
    }

    static String errorCode(FhirException e) {
        return e.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    static void assertRefused(FhirException e, ErrorCode code, String... messageParts) {
        assertThat(e.status()).isEqualTo(400);
        assertThat(errorCode(e)).isEqualTo(code.code());
        assertThat(e.getMessage()).contains(messageParts);
    }

    /** A clock the tests move, so resources get distinct {@code lastUpdated} times. */
    static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
