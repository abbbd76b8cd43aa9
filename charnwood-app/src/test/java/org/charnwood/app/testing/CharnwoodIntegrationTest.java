package org.charnwood.app.testing;

import org.charnwood.app.security.policy.CareRelationships;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole platform running on a random port with its embedded PostgreSQL in a fresh folder, in the dev profile
 * (no profile at all would be production).
 * Every integration test class extends this, so they share one running application; each test
 * starts with empty clinical tables, no relationship answers remembered from them, and the test callers' accounts
 * as they were made.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.profiles.active=dev", "logging.structured.format.console=", "charnwood.fhir.max-request-bytes=2MB",
                "charnwood.security.rate-limit.per-minute=100000", "charnwood.security.rate-limit.burst=100000",
                "charnwood.security.metrics-token=" + CharnwoodIntegrationTest.METRICS_TOKEN,
                // Days and rosters planned through the pages search a fixed number of moves, not a time that a
                // loaded machine might spend on little search.
                "charnwood.scheduling.plan-moves=5000", "charnwood.scheduling.replan-moves=5000",
                "charnwood.rostering.moves=100000"})
@Import(TestClock.Supplier.class)
public abstract class CharnwoodIntegrationTest {

    /** A confidential user-facing app (client secret), which may hold refresh tokens. */
    public static final String CONFIDENTIAL_APP = "charnwood-test-confidential-app";
    public static final String CONFIDENTIAL_APP_SECRET = "test-confidential-app-secret-0123456789abcdef";

    /** The metrics scraper's bearer credential ({@code CHARNWOOD_METRICS_TOKEN}). */
    public static final String METRICS_TOKEN = "test-metrics-scrape-credential-0123456789";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected TestClock clock;

    @Autowired
    private CareRelationships relationships;

    /** The FHIR endpoint as a full-access backend system ({@code system/*.cruds}); {@code http.as(token)} for others. */
    protected FhirHttp http;

    /** Tokens for any caller, from the running authorisation server. */
    protected TestTokens tokens;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        // Called once per application context: each gets its own database folder. The test clients are
        // registered here too, as one list (lists are never merged across property sources).
        registry.add("charnwood.data-dir", () -> createDataDir().toString());
        registry.add("charnwood.security.clients[0].client-id", () -> TestKeys.BACKEND_CLIENT);
        registry.add("charnwood.security.clients[0].kind", () -> "confidential-asymmetric");
        registry.add("charnwood.security.clients[0].scopes", () -> "system/*.cruds");
        registry.add("charnwood.security.clients[1].client-id", () -> TestTokens.TEST_APP);
        registry.add("charnwood.security.clients[1].kind", () -> "public");
        registry.add("charnwood.security.clients[1].redirect-uris", () -> TestTokens.TEST_APP_REDIRECT);
        // The test app may also ask for the scopes of the APIs outside /fhir (docs/security.md).
        registry.add("charnwood.security.clients[1].scopes", () -> "patient/*.cruds,user/*.cruds,"
                + "charnwood/admin.clients,charnwood/launch,charnwood/break-glass,charnwood/break-glass.review,"
                + "charnwood/audit.chain,charnwood/operations");
        registry.add("charnwood.security.clients[2].client-id", () -> CharnwoodIntegrationTest.CONFIDENTIAL_APP);
        registry.add("charnwood.security.clients[2].kind", () -> "confidential-symmetric");
        registry.add("charnwood.security.clients[2].secret", () -> CharnwoodIntegrationTest.CONFIDENTIAL_APP_SECRET);
        registry.add("charnwood.security.clients[2].redirect-uris", () -> TestTokens.TEST_APP_REDIRECT);
        registry.add("charnwood.security.clients[2].scopes", () -> "patient/*.cruds,user/*.cruds");
        registry.add("charnwood.security.clients[2].grant-types", () -> "authorization_code,refresh_token");
        registry.add("charnwood.security.clients[0].jwks", TestKeys::backendJwks);
        // Two external identity providers, both played by a local stand-in: CIS2-style for staff and
        // NHS login style for patients.
        String[][] providers = {{"cis2", "staff", "CIS2"}, {"nhs-login", "patients", "NHS login"}};
        for (int i = 0; i < providers.length; i++) {
            String p = "charnwood.security.federation[" + i + "].";
            String[] provider = providers[i];
            registry.add(p + "registration-id", () -> provider[0]);
            registry.add(p + "people", () -> provider[1]);
            registry.add(p + "name", () -> provider[2]);
            registry.add(p + "issuer", () -> StandInIdentityProvider.get().issuer());
            registry.add(p + "authorization-uri", () -> StandInIdentityProvider.get().issuer() + "/authorize");
            registry.add(p + "token-uri", () -> StandInIdentityProvider.get().issuer() + "/token");
            registry.add(p + "jwk-set-uri", () -> StandInIdentityProvider.get().issuer() + "/jwks");
            registry.add(p + "user-info-uri", () -> StandInIdentityProvider.get().issuer() + "/userinfo");
            registry.add(p + "client-id", () -> "charnwood-" + provider[0]);
            registry.add(p + "scopes", () -> "openid,profile");
            if (provider[1].equals("patients")) {
                // NHS login: private_key_jwt with our registered key, ID tokens signed RS512.
                registry.add(p + "private-key", TestKeys::relyingPartyPem);
                registry.add(p + "key-id", () -> TestKeys.RELYING_PARTY_KID);
                // P9 for the record, and P5 for the features that need none.
                registry.add(p + "vtr", () -> "P9.Cp.Cd,P9.Cm,P5.Cp.Cd");
            } else {
                registry.add(p + "client-secret", () -> StandInIdentityProvider.CLIENT_SECRET);
                registry.add(p + "acr-values", () -> "AAL2_OR_AAL3_ANY");
            }
        }
    }

    @BeforeEach
    void emptyTables() {
        clock.reset();
        tokens = new TestTokens(port, jdbc);
        http = new FhirHttp(port, tokens.system());
        tokens.freshAccounts();
        emptyClinicalTables();
        // The answers remembered about the emptied tables go with them. Otherwise a relationship the previous test
        // made would still be honoured here (or one it lacked refused) until this test's first change to a
        // relationship's resources is relayed, which happens a moment after it commits.
        relationships.forgetAll();
    }

    /**
     * Truncates every table. The outbox relay may be inside a listener that is reading the store while holding
     * its own transaction open; a truncate queued behind it would block that read, so each attempt gives up
     * after a short lock timeout and is retried once the relay has moved on.
     */
    private void emptyClinicalTables() {
        // Events left by the previous test are of no interest: mark those the relay has not claimed as delivered,
        // so it only finishes the batch it holds.
        jdbc.update("""
                update fhir_outbox set delivered_at = now() where seq in (
                  select seq from fhir_outbox where delivered_at is null for update skip locked)""");
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("""
                        do $$ declare t text; begin
                          set local lock_timeout = '2s';
                          for t in select tablename from pg_tables where schemaname = 'public'
                                   and tablename <> 'flyway_schema_history' loop
                            execute 'truncate table ' || quote_ident(t) || ' restart identity cascade';
                          end loop;
                        end $$""");
                return;
            } catch (org.springframework.dao.DataAccessException e) {
                if (attempt == 30) {
                    throw e;
                }
            }
        }
    }

    /**
     * The trust's date now by the application's own clock, in the zone it reads dates without a time in: a test that
     * builds a period relative to today agrees with the application about which day it is, whatever the machine's
     * zone (UTC, a build machine's usual zone, is still on yesterday between midnight and one in a British summer).
     */
    protected java.time.LocalDate today() {
        return java.time.LocalDate.ofInstant(clock.instant(), org.charnwood.fhir.search.DateRange.localZone());
    }

    /** Rows in a table: tests check the database, not just the status code. */
    protected long rows(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }

    private static void deleteWhenStopped(Path dir) {
        // Where EmbeddedDatabaseConfiguration puts the server; the file goes when the server has stopped.
        Path running = dir.resolve("postgres").resolve("postmaster.pid");
        long until = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        try {
            while (Files.exists(running) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        } catch (IOException | InterruptedException e) {
            // Leaving a folder in the temporary directory is the worst that can happen here.
        }
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("charnwood-test-");
            // The embedded PostgreSQL's files are a few hundred megabytes per test JVM: remove them once the server
            // has stopped (Spring's own shutdown hook stops it, in parallel with this one).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteWhenStopped(dir), "remove-test-database"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Patient and, when {@code encounter} is not null, an Encounter of theirs, stored with these ids. */
    protected void storePatientAndEncounter(String patient, String encounter) {
        var stored = http.put("/fhir/Patient/" + patient, """
                {"resourceType":"Patient","id":"%s","name":[{"family":"Launch","given":["Test"]}]}""".formatted(patient),
                "application/fhir+json");
        org.assertj.core.api.Assertions.assertThat(stored.status()).as(stored.body()).isIn(200, 201);
        if (encounter != null) {
            stored = http.put("/fhir/Encounter/" + encounter, """
                    {"resourceType":"Encounter","id":"%s","status":"in-progress",
                     "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
                     "subject":{"reference":"Patient/%s"}}""".formatted(encounter, patient), "application/fhir+json");
            org.assertj.core.api.Assertions.assertThat(stored.status()).as(stored.body()).isIn(200, 201);
        }
    }
}
