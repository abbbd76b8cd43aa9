package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The access-policy tests' common start: the small trust of {@link AccessFixture} loaded afresh before each test,
 * with cached relationships forgotten so that each test sees the fixture's, and callers' tokens at hand.
 */
abstract class AccessFixtureIntegrationTest extends CharnwoodIntegrationTest {

    @Autowired
    protected FhirRepository repository;

    @Autowired
    protected CareRelationships relationships;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
    }

    protected FhirHttp as(Caller caller) {
        return http.as(tokens.bearer(caller));
    }
}
