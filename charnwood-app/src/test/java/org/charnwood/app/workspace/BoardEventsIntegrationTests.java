package org.charnwood.app.workspace;

import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.testing.SecondNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ward board's and team caseload's event streams over HTTP: a signed-in nurse opens the stream, an
 * Observation for a patient on the ward is written through the FHIR API, and the board's event arrives, at this node
 * or at another one on the same database. Every stream a test opens is closed after it, so nothing waits on an open
 * connection.
 */
class BoardEventsIntegrationTests extends RecordEntryPagesTest {

    @Autowired
    BoardEvents events;

    @Autowired
    ConfigurableApplicationContext context;

    /** Another node on the same database, started by the test that needs it. */
    private static SecondNode second;

    private final List<InputStream> opened = new ArrayList<>();

    @AfterEach
    void closeStreams() throws IOException {
        for (InputStream in : opened) {
            in.close();
        }
        opened.clear();
    }

    @AfterAll
    static void stopSecondNode() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    /** Opens the stream and hands each line read to the queue, on a daemon thread that ends with the stream. */
    private HttpResponse<InputStream> open(HttpClient browser, String path, BlockingQueue<String> lines) {
        return open(browser, port, path, lines);
    }

    private HttpResponse<InputStream> open(HttpClient browser, int port, String path, BlockingQueue<String> lines) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = browser.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        opened.add(response.body());
        if (lines != null) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            }, "test-event-reader");
            reader.setDaemon(true);
            reader.start();
        }
        return response;
    }

    private static String next(BlockingQueue<String> lines, String wanted) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.equals(wanted)) {
                return line;
            }
        }
        throw new AssertionError("no '" + wanted + "' on the stream within 20 seconds");
    }

    private static final String PULSE = """
            {"resourceType":"Observation","status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
             "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-25T10:00:00+00:00",
             "valueQuantity":{"value":72,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}""";

    @Test
    void aNurseWatchingTheWardBoardIsToldWhenAnObservationIsRecordedForAPatientOnIt() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> stream = open(nurse, "/staff/wards/ward-a/events", lines);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        next(lines, "event:ready");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.open() >= 1);

        assertThat(http.post("/fhir/Observation", PULSE, "application/fhir+json").status()).isEqualTo(201);

        next(lines, "event:board");
    }

    @Test
    void aNurseWatchingTheBoardAtAnotherNodeIsToldOfAChangeThisNodeRelayed() throws Exception {
        second = second == null ? SecondNode.beside(context) : second;
        // Its relay stopped, the other node hears of the change only through the broadcast.
        second.bean(OutboxRelay.class).stop();
        HttpClient nurseThere = TestTokens.browser();
        second.tokens().signIn(nurseThere, tokens.account(WARD_NURSE), TestTokens.PASSWORD);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        open(nurseThere, second.port(), "/staff/wards/ward-a/events", lines);
        next(lines, "event:ready");

        assertThat(http.post("/fhir/Observation", PULSE, "application/fhir+json").status()).isEqualTo(201);

        next(lines, "event:board");
    }

    @Test
    void theTeamCaseloadStreamHearsOfChangesToItsPatients() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        open(nurse, "/staff/teams/team-ward-a/events", lines);
        next(lines, "event:ready");

        assertThat(http.post("/fhir/Observation", PULSE, "application/fhir+json").status()).isEqualTo(201);

        next(lines, "event:board");
    }

    @Test
    void theStreamNeedsTheSameSignInAndAccessAsTheBoard() {
        HttpResponse<InputStream> anonymous = open(TestTokens.browser(), "/staff/wards/ward-a/events", null);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).contains("/signin");

        assertThat(open(nurse, "/staff/wards/no-such-ward/events", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theBoardsOwnRefreshesAndStreamDoNotKeepAnUnattendedSessionAlive() throws Exception {
        HttpClient unattended = signedIn(WARD_NURSE);
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofMinutes(7));
            HttpResponse<String> refresh = unattended.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/staff/wards/ward-a"))
                    .header("Accept", "text/html").header("X-Background-Refresh", "board").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<InputStream> stream = open(unattended, "/staff/wards/ward-a/events", null);
            stream.body().close();
            assertThat(refresh.statusCode()).isEqualTo(200);
            assertThat(stream.statusCode()).isEqualTo(200);
        }

        clock.advance(Duration.ofMinutes(2));
        HttpResponse<InputStream> afterIdleLimit = open(unattended, "/staff/wards/ward-a/events", null);
        HttpResponse<String> board = tokens.get(unattended, "http://localhost:" + port + "/staff/wards/ward-a");

        assertThat(afterIdleLimit.statusCode()).isEqualTo(302);
        assertThat(afterIdleLimit.headers().firstValue("Location").orElse("")).contains("/signin");
        assertThat(board.statusCode()).isEqualTo(302);
        assertThat(board.headers().firstValue("Location").orElse("")).contains("/signin");
    }

    @Test
    void someoneUsingTheBoardKeepsTheirSession() {
        HttpClient inUse = signedIn(WARD_NURSE);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(tokens.get(inUse, "http://localhost:" + port + "/staff/wards/ward-a").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aClosedStreamIsForgotten() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> stream = open(nurse, "/staff/wards/ward-a/events", lines);
        next(lines, "event:ready");
        int before = events.open();
        stream.body().close();
        // The server notices a gone browser when it writes: an event for the board does that. The first write
        // after the browser closed can still land in the socket's buffer (TCP reports the peer gone only on a
        // later write), so changes keep coming until the stream is dropped.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            http.post("/fhir/Observation", PULSE, "application/fhir+json");
            return events.open() < before;
        });
    }
}
