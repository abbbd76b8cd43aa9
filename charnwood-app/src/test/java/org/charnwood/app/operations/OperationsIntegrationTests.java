package org.charnwood.app.operations;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.TestTokens.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Health checks, metrics and logs that the trust's operations team relies on. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void logsNeverContainPatientDataEvenWhenRequestsFail(CapturedOutput output) {
        String name = "Quartermaine-Zebedee";
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + name + "\"}]}",
                "application/fhir+json");
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + name + "\"}],\"x\":1}",
                "application/fhir+json");
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + name,
                "application/fhir+json");
        http.get("/fhir/Patient?family=" + name);
        http.get("/fhir/Patient?nonsense=" + name);

        assertThat(output.getAll()).doesNotContain(name);
    }

    @Test
    void requestInputThatSpringRefusesStaysOutOfTheLog(CapturedOutput output) {
        Caller nurse = Caller.staff("Practitioner/staff-072", AccessRole.REGISTERED_NURSE);
        FhirHttp.Response launch = http.as(tokens.bearer(nurse.scopes("charnwood/launch")))
                .post("/api/launch", "Zebedee Quixotic 9999488218", "application/json");
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(Caller.patient("ops-" + System.nanoTime())), TestTokens.PASSWORD);
        HttpResponse<String> page = tokens.get(browser,
                "http://localhost:" + port + "/my/record-access?page=Featherstonehaugh");

        assertThat(launch.status()).isEqualTo(400);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(output.getAll()).doesNotContain("Zebedee", "Quixotic", "9999488218", "Featherstonehaugh");
    }

    @Test
    void requestsTomcatCannotParseAreRefusedWithoutQuotingThemInTheLog(CapturedOutput output) throws Exception {
        // A search URL with a character that should have been percent-encoded, a header line that breaks the rules,
        // and a malformed cookie: Tomcat refuses each before the application sees it, and by default logs what it
        // refused, word for word.
        String[] requests = {
                "GET /fhir/Patient?family=Quixotic\"Zebedee&birthdate=1961-03-14 HTTP/1.1\r\nHost: localhost\r\n",
                "GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\nX-Patient Featherstonehaugh: 9999488218\r\n",
                "GET /login HTTP/1.1\r\nHost: localhost\r\nCookie: JSESSIONID=Nettlebed\"Oyelaran\r\n"};
        for (String request : requests) {
            try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
                socket.getOutputStream().write((request + "Connection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String status = new String(socket.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                assertThat(status).as(request).matches("HTTP/1.1 (400|200|302).*");
                if (request.contains("/fhir/")) {
                    assertThat(status).as(request).startsWith("HTTP/1.1 400");
                }
            }
        }

        assertThat(output.getAll()).doesNotContain("Quixotic", "Zebedee", "1961-03-14", "Featherstonehaugh",
                "9999488218", "Nettlebed", "Oyelaran");
    }

    @Test
    void aBatchEntryThatFailsUnexpectedlyLeavesNeitherItsCriteriaNorTheFailureMessageInTheLog(CapturedOutput output) {
        // Storage that fails underneath an entry (as a dropped connection or a statement timeout would), with a
        // message quoting the row it refused.
        jdbc.execute("""
                create function refuse_version() returns trigger language plpgsql as $$
                begin raise exception 'could not store %', new.content; end $$""");
        jdbc.execute("create trigger refuse_version before insert on fhir_resource_version "
                + "for each row execute function refuse_version()");
        Response r;
        try {
            r = http.post("/fhir", """
                    {"resourceType":"Bundle","type":"batch","entry":[
                      {"resource":{"resourceType":"Patient","name":[{"family":"Quixotic","given":["Zebedee"]}]},
                       "request":{"method":"PUT",
                         "url":"Patient?family=Quixotic&given=Zebedee&birthdate=1961-03-14&identifier=9999488218"}}]}""",
                    "application/fhir+json");
        } finally {
            jdbc.execute("drop trigger refuse_version on fhir_resource_version");
            jdbc.execute("drop function refuse_version()");
        }

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("500");
        assertThat(output.getAll()).contains("Batch entry 0 (PUT Patient) failed unexpectedly")
                .doesNotContain("Quixotic", "Zebedee", "9999488218", "1961-03-14");
    }

    @Test
    void databaseFailuresCarryNoneOfTheValuesBeingWritten() throws Exception {
        // What the connection pool logs when a connection breaks mid-write is the driver's failure: by default a
        // failed batch names its statement with the bound values, and the server's detail quotes the failing row.
        String name = "Featherstonehaugh-Oyelaran";
        java.sql.SQLException failure = null;
        try (var c = jdbc.getDataSource().getConnection()) {
            c.createStatement().execute("create temporary table written (family text not null, nhs text not null)");
            try (var insert = c.prepareStatement("insert into written (family, nhs) values (?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, null);
                insert.addBatch();
                insert.executeBatch();
            } catch (java.sql.SQLException e) {
                failure = e;
            } finally {
                c.createStatement().execute("drop table written");
            }
        }

        assertThat((Throwable) failure).isNotNull();
        assertThat(failure.getSQLState()).isEqualTo("23502");
        for (Throwable t = failure; t != null;
             t = t.getCause() != null ? t.getCause() : t instanceof java.sql.SQLException s ? s.getNextException() : null) {
            assertThat(t.getMessage()).doesNotContain(name);
        }
    }

    @Test
    void theEmbeddedDatabaseAcknowledgesACommitOnlyOnceItIsOnDisk() {
        // The embedded library starts PostgreSQL with fsync off and asynchronous commits; the platform's record and
        // its audit trail need both back on.
        assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
        assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
    }

    @Test
    void livenessAndReadinessAreUp() {
        assertThat(http.get("/actuator/health/liveness").body()).contains("\"UP\"");
        assertThat(http.get("/actuator/health/readiness").body()).contains("\"UP\"");
    }

    @Test
    void readinessDependsOnTheDatabaseAndLivenessDoesNot(
            @org.springframework.beans.factory.annotation.Autowired
            org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups groups) {
        assertThat(groups.get("readiness").isMember("db")).isTrue();
        assertThat(groups.get("liveness").isMember("db")).isFalse();
    }

    @Test
    void readinessStaysUpPromptlyWhileEveryPoolConnectionIsBusy(
            @org.springframework.beans.factory.annotation.Autowired javax.sql.DataSource dataSource) throws Exception {
        com.zaxxer.hikari.HikariDataSource pool = dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class);
        // Asked of the pool itself with a time limit of its own: a limit set on the pool's settings is taken up only
        // when its housekeeping next runs, up to 30 s later, so the last request would wait the full 30 s.
        com.zaxxer.hikari.pool.HikariPool lending = (com.zaxxer.hikari.pool.HikariPool) pool.getHikariPoolMXBean();
        java.util.List<java.sql.Connection> held = new java.util.ArrayList<>();
        try {
            // The application keeps some connections for itself (listeners, the relay): take all the others.
            try {
                while (held.size() < pool.getMaximumPoolSize()) {
                    held.add(lending.getConnection(1000));
                }
            } catch (java.sql.SQLTransientConnectionException exhausted) {
                // every connection is lent out
            }
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(pool.getMaximumPoolSize());

            long started = System.nanoTime();
            Response readiness = http.anonymous().get("/actuator/health/readiness");
            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - started);

            assertThat(readiness.status()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"UP\"");
            assertThat(took).isLessThan(java.time.Duration.ofSeconds(5));
        } finally {
            for (java.sql.Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void healthProbesArePublicButMetricsAreForAdministratorsAndTheScraper() {
        String admin = tokens.bearer(org.charnwood.app.testing.TestTokens.Caller.staff("Practitioner/staff-090",
                org.charnwood.app.security.AccessRole.SYSTEM_ADMINISTRATOR).scopes("charnwood/operations"));
        String nurse = tokens.bearer(org.charnwood.app.testing.TestTokens.Caller.staff("Practitioner/staff-091",
                org.charnwood.app.security.AccessRole.REGISTERED_NURSE));

        assertThat(http.anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
        for (String path : new String[]{"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used"}) {
            assertThat(http.anonymous().get(path).status()).as(path).isEqualTo(401);
            assertThat(http.as(METRICS_TOKEN + "x").get(path).status()).as(path).isEqualTo(401);
            assertThat(http.as(nurse).get(path).status()).as(path).isEqualTo(403);
            assertThat(http.get(path).status()).as("a system token without the role: " + path).isEqualTo(403);
            assertThat(http.as(admin).get(path).status()).as(path).isEqualTo(200);
            assertThat(http.as(METRICS_TOKEN).get(path).status()).as(path).isEqualTo(200);
            // The same security headers as every other answer, refusals included.
            for (var r : java.util.List.of(http.anonymous().get(path), http.as(nurse).get(path),
                    http.as(METRICS_TOKEN).get(path))) {
                assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
                assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
                assertThat(r.header("Cache-Control")).as(path).contains("no-store");
            }
        }
    }

    @Test
    void prometheusExposesFhirInteractionTimingsAndTheConnectionPool() {
        http.get("/fhir/metadata");
        http.get("/fhir/Patient/unknown");

        String metrics = http.as(METRICS_TOKEN).get("/actuator/prometheus").body();

        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"capabilities\",operation=\"none\",outcome=\"success\",type=\"none\"}");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"read\",operation=\"none\",outcome=\"client_error\",type=\"Patient\"}");
        assertThat(metrics).contains("hikaricp_connections_active");
    }

    @Test
    void transactionsBatchesAndOperationsAreTimedApartAndNamesTheCallerChoseCollapse() {
        http.post("/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Practitioner\"},\"request\":{\"method\":\"POST\",\"url\":\"Practitioner\"}}]}",
                "application/fhir+json");
        http.post("/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[]}", "application/fhir+json");
        http.get("/fhir/CodeSystem/$lookup?system=http://snomed.info/sct&code=22298006");
        http.get("/fhir/Patient/ops-1/$everything");
        assertThat(http.get("/fhir/Patient/$Quixotic-9999488218").status()).isEqualTo(404);
        assertThat(http.get("/fhir/$Zebedee").status()).isEqualTo(404);
        assertThat(http.get("/fhir/Quixotic/1").status()).isEqualTo(404);

        String metrics = http.as(METRICS_TOKEN).get("/actuator/prometheus").body();

        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"transaction\",operation=\"none\"");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"batch\",operation=\"none\"");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"operation\",operation=\"lookup\",");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"operation\",operation=\"everything\","
                + "outcome=\"client_error\",type=\"Patient\"}");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"operation\",operation=\"unknown\","
                + "outcome=\"client_error\",type=\"Patient\"}");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"operation\",operation=\"unknown\","
                + "outcome=\"client_error\",type=\"none\"}");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"unknown\",operation=\"none\","
                + "outcome=\"client_error\",type=\"none\"}");
        assertThat(metrics).doesNotContain("Quixotic", "Zebedee", "9999488218", "ops-1");
    }

    @Test
    void prometheusShowsHowLongTheOldestLiveChangeHasWaitedForTheRelay() throws Exception {
        jdbc.update("update fhir_outbox set delivered_at = now() where delivered_at is null");
        assertThat(Double.parseDouble(gauge("charnwood_outbox_oldest_pending_seconds"))).isZero();
        jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at, bulk) values"
                + " ('Patient', 'lag-1', 1, 'C', now() - interval '90 seconds', false),"
                + " ('Patient', 'lag-2', 1, 'C', now() - interval '1 hour', true)");
        try (var c = jdbc.getDataSource().getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().executeQuery("select seq from fhir_outbox where res_id like 'lag-%' for update").close();

            // The live change's wait; the bulk import's older one waits by design and is left out.
            assertThat(Double.parseDouble(gauge("charnwood_outbox_oldest_pending_seconds"))).isBetween(90.0, 600.0);

            c.createStatement().executeUpdate("update fhir_outbox set delivered_at = now() where res_id like 'lag-%'");
            c.commit();
        }
        assertThat(Double.parseDouble(gauge("charnwood_outbox_oldest_pending_seconds"))).isZero();
    }

    @Test
    void prometheusShowsTheOutboxBacklogUntilTheRelayHasDeliveredIt() throws Exception {
        jdbc.update("update fhir_outbox set delivered_at = now() where delivered_at is null");
        jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) "
                + "values ('Patient', 'backlog-1', 1, 'C', now()), ('Patient', 'backlog-2', 1, 'C', now())");
        // Holding the rows' locks keeps the relay (which skips locked rows) from delivering them meanwhile.
        try (var c = jdbc.getDataSource().getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().executeQuery("select seq from fhir_outbox where res_id like 'backlog-%' for update")
                    .close();

            assertThat(pending()).isEqualTo("2.0");

            c.createStatement().executeUpdate("update fhir_outbox set delivered_at = now() where res_id like 'backlog-%'");
            c.commit();
        }
        assertThat(pending()).isEqualTo("0.0");
    }

    private String gauge(String name) {
        return http.as(METRICS_TOKEN).get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().substring(name.length() + 1);
    }

    private String pending() {
        return http.as(METRICS_TOKEN).get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("charnwood_outbox_pending ")).findFirst().orElseThrow()
                .substring("charnwood_outbox_pending ".length());
    }
}
