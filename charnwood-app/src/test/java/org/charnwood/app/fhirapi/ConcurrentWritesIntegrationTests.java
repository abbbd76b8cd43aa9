package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes that meet at the same moment: a delete racing a write that adds a reference to what it deletes, updates of
 * one resource committing in another order than they started, transactions changing the same resources in opposite
 * orders, updates creating the same new id. Each race is ordered by a lock the test holds from a database connection
 * of its own: the requests are sent while it is held, each is seen waiting at the point the race needs, and only then
 * is it let go, so the outcome does not depend on timing.
 */
class ConcurrentWritesIntegrationTests extends CharnwoodIntegrationTest {

    private static final String JSON = "application/fhir+json";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** The test's own connection, holding the lock that orders the race; null when none is held. */
    private Connection holder;

    @AfterEach
    void letGo() throws SQLException {
        release();
        clients.shutdownNow();
    }

    @Test
    void aDeleteMeetingAWriteThatHasCheckedItsReferenceWaitsForItAndIsThenRefused() throws Exception {
        put("Patient", "race-p1", patient("race-p1"));
        holdBeforeCommit();
        CompletableFuture<Response> write = send(() -> http.post("/fhir/Basic", basicAbout("Patient/race-p1"), JSON));
        awaitWaiting(1, write);

        // The write has checked that Patient/race-p1 exists and waits to commit; its reference is not yet visible.
        CompletableFuture<Response> delete = send(() -> http.delete("/fhir/Patient/race-p1"));
        awaitWaiting(2, delete);
        release();

        assertThat(done(write).status()).isEqualTo(201);
        Response refused = done(delete);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.outcome().getIssueFirstRep().getCode()).isEqualTo(IssueType.CONFLICT);
        assertThat(refused.outcome().getIssueFirstRep().getDiagnostics())
                .contains("Patient/race-p1 cannot be deleted while other records refer to it")
                .contains(done(write).resource(Basic.class).getIdElement().getIdPart());
        assertThat(http.get("/fhir/Patient/race-p1").status()).isEqualTo(200);
    }

    @Test
    void aWriteMeetingADeleteOfWhatItRefersToWaitsForItAndIsThenRefused() throws Exception {
        put("Patient", "race-p2", patient("race-p2"));
        holdBeforeCommit();
        CompletableFuture<Response> delete = send(() -> http.delete("/fhir/Patient/race-p2"));
        awaitWaiting(1, delete);

        // The delete has found nothing referring to the patient and waits to commit.
        CompletableFuture<Response> write = send(() -> http.post("/fhir/Basic", basicAbout("Patient/race-p2"), JSON));
        awaitWaiting(2, write);
        release();

        assertThat(done(delete).status()).isEqualTo(204);
        Response refused = done(write);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.outcome().getIssueFirstRep().getDiagnostics())
                .contains("Patient/race-p2").contains("does not resolve to a resource");
        assertThat(rows("fhir_link")).isZero();
        assertThat(http.get("/fhir/Basic?subject=Patient/race-p2").bundle().getEntry()).isEmpty();
    }

    @Test
    void aVersionWrittenByATransactionThatWaitedIsStampedAfterTheVersionItReplaces() throws Exception {
        // Basic/b first, so it has the lower key and the transaction below locks it first.
        put("Basic", "b", basic("b"));
        put("Basic", "a", basic("a"));
        holdRow("Basic", "b");
        CompletableFuture<Response> transaction = send(() -> http.post("/fhir", """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"PUT","url":"Basic/b"}},
                  {"resource":%s,"request":{"method":"PUT","url":"Basic/a"}}
                ]}""".formatted(basic("b"), basic("a")), JSON));
        // Stamped now, it waits for Basic/b before it reaches Basic/a.
        awaitWaiting(1, transaction);

        clock.advance(Duration.ofSeconds(1));
        Response second = http.put("/fhir/Basic/a", basic("a"), JSON);
        assertThat(second.status()).isEqualTo(200);
        release();
        assertThat(done(transaction).status()).isEqualTo(200);

        Basic v2 = http.get("/fhir/Basic/a/_history/2").resource(Basic.class);
        Basic v3 = http.get("/fhir/Basic/a").resource(Basic.class);
        assertThat(v3.getMeta().getVersionId()).isEqualTo("3");
        assertThat(v3.getMeta().getLastUpdated()).isAfter(v2.getMeta().getLastUpdated());
        Bundle history = http.get("/fhir/Basic/a/_history").bundle();
        assertThat(history.getEntry()).extracting(e -> e.getResource().getMeta().getVersionId())
                .containsExactly("3", "2", "1");
        String since = v2.getMeta().getLastUpdatedElement().getValueAsString().replace("+", "%2B");
        assertThat(http.get("/fhir/Basic/a/_history?_since=" + since).bundle().getEntry())
                .extracting(e -> e.getResource().getMeta().getVersionId()).containsExactly("3", "2");
        // The other resource of the transaction keeps the transaction's own stamp.
        Instant b = http.get("/fhir/Basic/b").resource(Basic.class).getMeta().getLastUpdated().toInstant();
        assertThat(b).isBefore(v2.getMeta().getLastUpdated().toInstant());
    }

    @Test
    void transactionsChangingTheSameResourcesInOppositeOrdersTakeTurnsInsteadOfDeadlocking() throws Exception {
        put("Basic", "dx", basic("dx"));
        put("Basic", "dy", basic("dy"));
        holdRow("Basic", "dx");
        CompletableFuture<Response> forwards = send(() -> http.post("/fhir", bothIn("dx", "dy"), JSON));
        awaitWaiting(1, forwards);
        CompletableFuture<Response> backwards = send(() -> http.post("/fhir", bothIn("dy", "dx"), JSON));
        awaitWaiting(2, backwards);
        release();

        assertThat(done(forwards).status()).isEqualTo(200);
        assertThat(done(backwards).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Basic/dx").resource(Basic.class).getMeta().getVersionId()).isEqualTo("3");
        assertThat(http.get("/fhir/Basic/dy").resource(Basic.class).getMeta().getVersionId()).isEqualTo("3");
    }

    @Test
    void aTransactionChosenAsADeadlocksVictimIsRunAgainAndSucceedsRatherThanAnswering409() throws Exception {
        put("Patient", "dl-x", patient("dl-x"));
        put("Basic", "dl-y", basic("dl-y"));
        // The test's transaction holds the patient; the bundle locks Basic/dl-y for its update, then waits for the
        // patient to check its reference; the test's transaction then asks for Basic/dl-y: each waits for the other.
        holdRow("Patient", "dl-x");
        try (PreparedStatement patience = holder.prepareStatement("set deadlock_timeout = '10s'")) {
            patience.execute(); // so that PostgreSQL's check finds the cycle from the bundle's side, which waited first
        }
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Basic","id":"dl-y","code":{"text":"after"},
                               "subject":{"reference":"Patient/dl-x"}},
                   "request":{"method":"PUT","url":"Basic/dl-y"}}]}""";
        CompletableFuture<Response> transaction = send(() -> http.post("/fhir", bundle, JSON));
        awaitWaiting(1, transaction);
        Connection test = holder;
        CompletableFuture<Void> closingTheCycle = CompletableFuture.runAsync(() -> {
            try (PreparedStatement basic = test.prepareStatement(
                    "select 1 from fhir_resource where res_type = 'Basic' and res_id = 'dl-y' for update")) {
                basic.execute();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, clients);
        // PostgreSQL ends the bundle's transaction to break the cycle, and the test's gets Basic/dl-y. The bundle,
        // run again, waits for it: it has not been answered with the deadlock.
        closingTheCycle.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        awaitWaiting(1, transaction);
        assertThat(transaction).isNotDone();
        release();

        Response done = done(transaction);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        Basic written = http.get("/fhir/Basic/dl-y").resource(Basic.class);
        assertThat(written.getMeta().getVersionId()).isEqualTo("2");
        assertThat(written.getCode().getText()).isEqualTo("after");
        assertThat(jdbc.queryForObject("select count(*) from fhir_resource_version v join fhir_resource r"
                + " on r.res_pk = v.res_pk where r.res_type = 'Basic' and r.res_id = 'dl-y'", Integer.class))
                .as("one version written by the bundle, whatever its attempts").isEqualTo(2);
    }

    @Test
    void anUpdateMeetingAnotherCreatingTheSameIdWaitsAndThenUpdatesWhatItCreated() throws Exception {
        holdBeforeCommit();
        CompletableFuture<Response> first = send(() -> http.put("/fhir/Basic/new-1", basic("new-1"), JSON));
        awaitWaiting(1, first);
        CompletableFuture<Response> second = send(() -> http.put("/fhir/Basic/new-1", basic("new-1"), JSON));
        awaitWaiting(2, second);
        release();

        assertThat(done(first).status()).isEqualTo(201);
        assertThat(done(second).status()).isEqualTo(200);
        assertThat(done(second).resource(Basic.class).getMeta().getVersionId()).isEqualTo("2");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void aTransactionMeetingAnotherCreatingTheSameIdWaitsAndThenUpdatesWhatItCreated() throws Exception {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"PUT","url":"Basic/new-3"}}
                ]}""".formatted(basic("new-3"));
        holdBeforeCommit();
        CompletableFuture<Response> first = send(() -> http.post("/fhir", transaction, JSON));
        awaitWaiting(1, first);
        CompletableFuture<Response> second = send(() -> http.post("/fhir", transaction, JSON));
        awaitWaiting(2, second);
        release();

        assertThat(done(first).status()).isEqualTo(200);
        assertThat(done(first).bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("201");
        assertThat(done(second).status()).isEqualTo(200);
        assertThat(done(second).bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("200");
        assertThat(http.get("/fhir/Basic/new-3").resource(Basic.class).getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void parallelUpdatesOfANewIdCreateItOnceAndEachOfTheRestMakesAVersion() throws Exception {
        int clientsAtOnce = 8;
        List<Response> responses = together(clientsAtOnce, () -> http.put("/fhir/Basic/new-2", basic("new-2"), JSON));

        assertThat(responses).extracting(Response::status).containsOnly(200, 201);
        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(responses).extracting(r -> r.resource(Basic.class).getMeta().getVersionId())
                .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(http.get("/fhir/Basic/new-2/_history").bundle().getEntry())
                .extracting(e -> e.getResource().getMeta().getVersionId())
                .containsExactly("8", "7", "6", "5", "4", "3", "2", "1");
    }

    @Test
    void aConditionalDeleteMeetingAnUpdateThatTakesItsMatchOutOfTheCriteriaLeavesItAlone() throws Exception {
        put("Basic", "cd-1", coded("cd-1", "draft"));
        holdBeforeCommit();
        CompletableFuture<Response> update = send(() -> http.put("/fhir/Basic/cd-1", coded("cd-1", "final"), JSON));
        awaitWaiting(1, update);

        // The delete's search still sees the draft, committed; the row it would delete is held by the update.
        CompletableFuture<Response> delete = send(() -> http.delete("/fhir/Basic?code=" + CODES + "%7Cdraft"));
        awaitWaiting(2, delete);
        release();

        assertThat(done(update).status()).isEqualTo(200);
        assertThat(done(delete).status()).isEqualTo(204);
        Response kept = http.get("/fhir/Basic/cd-1");
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.resource(Basic.class).getCode().getCodingFirstRep().getCode()).isEqualTo("final");
        assertThat(kept.resource(Basic.class).getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void aConditionalUpdateMeetingAnUpdateThatTakesItsMatchOutOfTheCriteriaDoesNotOverwriteIt() throws Exception {
        put("Basic", "cu-1", coded("cu-1", "draft"));
        holdBeforeCommit();
        CompletableFuture<Response> update = send(() -> http.put("/fhir/Basic/cu-1", coded("cu-1", "final"), JSON));
        awaitWaiting(1, update);

        CompletableFuture<Response> conditional = send(() -> http.put("/fhir/Basic?code=" + CODES + "%7Cdraft",
                coded(null, "draft"), JSON));
        awaitWaiting(2, conditional);
        release();

        assertThat(done(update).status()).isEqualTo(200);
        // Nothing matches any more, so the conditional update creates, as it would have had it come second.
        Response created = done(conditional);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.resource(Basic.class).getIdElement().getIdPart()).isNotEqualTo("cu-1");
        Basic kept = http.get("/fhir/Basic/cu-1").resource(Basic.class);
        assertThat(kept.getCode().getCodingFirstRep().getCode()).isEqualTo("final");
        assertThat(kept.getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void aTransactionsConditionalDeleteMeetingAnUpdateThatTakesItsMatchOutOfTheCriteriaLeavesItAlone()
            throws Exception {
        put("Basic", "cd-2", coded("cd-2", "draft"));
        holdBeforeCommit();
        CompletableFuture<Response> update = send(() -> http.put("/fhir/Basic/cd-2", coded("cd-2", "final"), JSON));
        awaitWaiting(1, update);

        CompletableFuture<Response> transaction = send(() -> http.post("/fhir", """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"request":{"method":"DELETE","url":"Basic?code=%s|draft"}}
                ]}""".formatted(CODES), JSON));
        awaitWaiting(2, transaction);
        release();

        assertThat(done(update).status()).isEqualTo(200);
        assertThat(done(transaction).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Basic/cd-2").status()).isEqualTo(200);
    }

    // ---- ordering the race -----------------------------------------------------------------

    /**
     * Holds the audit chain's lock, which every write transaction takes last, to append its audit records just
     * before it commits: a write sent now makes all its changes and checks and then waits, uncommitted.
     */
    private void holdBeforeCommit() throws SQLException {
        hold("select pg_advisory_xact_lock(2100, 0)");
    }

    /** Locks a resource's row as a change of it would, so a transaction changing it waits. */
    private void holdRow(String type, String id) throws SQLException {
        hold("select 1 from fhir_resource where res_type = '" + type + "' and res_id = '" + id + "' for update");
    }

    private void hold(String sql) throws SQLException {
        holder = jdbc.getDataSource().getConnection();
        holder.setAutoCommit(false);
        try (PreparedStatement ps = holder.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private void release() throws SQLException {
        if (holder != null) {
            try (Connection c = holder) {
                c.rollback();
                c.setAutoCommit(true);
            } finally {
                holder = null;
            }
        }
    }

    /**
     * Waits until {@code n} transactions wait for a lock (the last sent among them), or fails: the request sent last
     * must not have been answered before, since what it races is held open.
     */
    private void awaitWaiting(int n, CompletableFuture<Response> last) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (waiting() < n) {
            if (last.isDone()) {
                // Answered without waiting for what it races: before the fixes, the race's second party.
                return;
            }
            assertThat(System.nanoTime()).as("%d transactions waiting for a lock", n).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private int waiting() {
        Integer n = jdbc.queryForObject("""
                select count(*) from pg_stat_activity
                 where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()""",
                Integer.class);
        return n == null ? 0 : n;
    }

    private CompletableFuture<Response> send(Supplier<Response> request) {
        return CompletableFuture.supplyAsync(request, clients);
    }

    private static Response done(CompletableFuture<Response> response) throws Exception {
        return response.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends the request from several clients at once and returns every response. */
    private List<Response> together(int n, Supplier<Response> request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(clients.submit(() -> {
                start.await();
                return request.get();
            }));
        }
        start.countDown();
        List<Response> responses = new ArrayList<>();
        for (Future<Response> response : sent) {
            responses.add(response.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        return responses;
    }

    // ---- resources -------------------------------------------------------------------------

    private void put(String type, String id, String json) {
        assertThat(http.put("/fhir/" + type + "/" + id, json, JSON).status()).isEqualTo(201);
    }

    private static String patient(String id) {
        return """
                {"resourceType":"Patient","id":"%s","name":[{"family":"Race"}]}""".formatted(id);
    }

    private static String basic(String id) {
        return """
                {"resourceType":"Basic","id":"%s","code":{"text":"note"}}""".formatted(id);
    }

    private static final String CODES = "https://example.org/note-status";

    /** A Basic coded with a status of the test's own code system; without an id when {@code id} is null. */
    private static String coded(String id, String status) {
        return """
                {"resourceType":"Basic",%s"code":{"coding":[{"system":"%s","code":"%s"}]}}"""
                .formatted(id == null ? "" : "\"id\":\"" + id + "\",", CODES, status);
    }

    private static String basicAbout(String subject) {
        return """
                {"resourceType":"Basic","code":{"text":"note"},"subject":{"reference":"%s"}}""".formatted(subject);
    }

    /** A transaction updating two Basic resources, in the order given. */
    private static String bothIn(String first, String second) {
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"PUT","url":"Basic/%s"}},
                  {"resource":%s,"request":{"method":"PUT","url":"Basic/%s"}}
                ]}""".formatted(basic(first), first, basic(second), second);
    }
}
