package org.charnwood.app.database;

import org.charnwood.app.CharnwoodApplication;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestKeys;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a server running its embedded PostgreSQL, as an operator or an orchestrator stops it, and a server
 * killed outright. This needs a
 * process of its own: what stops what on SIGTERM is decided by the JVM's shutdown hooks, which only run when a JVM
 * exits. A write is held in flight (behind a table lock taken on a connection of the test's own) while the signal
 * arrives; the database must still be there for it to finish, and stop only once the application has.
 */
class GracefulShutdownIntegrationTests {

    private Process server;
    private Path dataDir;
    private Path log;

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // Waits below are for the database alone, whatever became of the server.
        server = null;
        if (dataDir != null) {
            Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
            try {
                // A server left behind by a failed run, or by a server killed outright: stop it, or it outlives the
                // test JVM.
                ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim()))
                        .ifPresent(ProcessHandle::destroy);
                waitFor(() -> !Files.exists(pid), Duration.ofSeconds(20));
            } catch (java.nio.file.NoSuchFileException e) {
                // None, or it has just stopped.
            }
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }

    @Test
    void sigtermLetsAnInFlightWriteFinishAndStopsTheDatabaseLast() throws Exception {
        int port = freePort();
        start(port);
        TestTokens tokens = new TestTokens(port, null);
        FhirHttp http = new FhirHttp(port, tokens.system());

        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort()
                + "/postgres", "postgres", "")) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.execute("lock table fhir_resource in exclusive mode");
            }
            CompletableFuture<FhirHttp.Response> write = CompletableFuture.supplyAsync(() -> http.put(
                    "/fhir/Practitioner/shutdown-1",
                    "{\"resourceType\":\"Practitioner\",\"id\":\"shutdown-1\",\"name\":[{\"family\":\"Okafor\"}]}",
                    "application/fhir+json"));
            assertThat(waitFor(() -> waitingOnALock(db), Duration.ofSeconds(30)))
                    .as("the write reached the database and waits for the lock").isTrue();

            server.destroy(); // SIGTERM
            assertThat(waitFor(() -> logged("Commencing graceful shutdown"), Duration.ofSeconds(30))).isTrue();
            Thread.sleep(1000);
            // Still there: the connection holding the lock has not been cut off, so the write can go on.
            db.commit();

            FhirHttp.Response response = write.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(201);
        }
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits once the write is done").isTrue();

        String output = Files.readString(log);
        assertThat(output).doesNotContain("57P01").doesNotContain("Graceful shutdown aborted")
                .doesNotContain("audit checkpoint could not be published");
        assertThat(output.substring(output.indexOf("Commencing graceful shutdown"))).contains("audit checkpoint chain=");
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).as("the database was stopped").doesNotExist();
    }

    @Test
    void aSecondServerOnTheFolderIsRefusedAndAServerKilledOutrightLeavesNothingInTheWayOfTheNext() throws Exception {
        start(freePort());
        FhirHttp http = new FhirHttp(currentPort, new TestTokens(currentPort, null).system());
        assertThat(http.put("/fhir/Practitioner/crash-1",
                "{\"resourceType\":\"Practitioner\",\"id\":\"crash-1\",\"name\":[{\"family\":\"Okafor\"}]}",
                "application/fhir+json").status()).isEqualTo(201);

        // A second server on the same folder says why it cannot start, and leaves the first one's database alone.
        Path secondLog = dataDir.resolve("second.log");
        Process second = launch(freePort(), secondLog);
        assertThat(second.waitFor(4, TimeUnit.MINUTES)).as("the second server gives up").isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(Files.readString(secondLog)).contains("Another Charnwood server is running on the data folder "
                + dataDir);
        assertThat(http.get("/fhir/Practitioner/crash-1").status()).isEqualTo(200);

        // Killed outright, the server leaves its PostgreSQL running: a process of its own.
        long postgres = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                .getFirst().trim());
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(postgres).map(ProcessHandle::isAlive)).as("the database outlived it").hasValue(true);

        start(freePort());

        assertThat(ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        http = new FhirHttp(currentPort, new TestTokens(currentPort, null).system());
        assertThat(http.get("/fhir/Practitioner/crash-1").body()).contains("Okafor");
    }

    private int currentPort;

    private void start(int port) throws IOException {
        if (dataDir == null) {
            dataDir = Files.createTempDirectory("charnwood-shutdown-");
        }
        log = dataDir.resolve("server-" + port + ".log");
        currentPort = port;
        server = launch(port, log);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        boolean up = waitFor(() -> {
            try {
                return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Duration.ofMinutes(4));
        assertThat(up).as("the server started: %s", log).isTrue();
    }

    private Process launch(int port, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CharnwoodApplication.class.getName(),
                "--spring.profiles.active=dev", "--server.port=" + port, "--charnwood.data-dir=" + dataDir,
                "--logging.structured.format.console=",
                "--charnwood.security.clients[0].client-id=" + TestKeys.BACKEND_CLIENT,
                "--charnwood.security.clients[0].kind=confidential-asymmetric",
                "--charnwood.security.clients[0].scopes=system/*.cruds",
                "--charnwood.security.clients[0].jwks=" + TestKeys.backendJwks()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** The embedded server's port, from the fourth line of its postmaster.pid. */
    private int databasePort() throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).trim());
    }

    private static boolean waitingOnALock(Connection db) {
        // Activity is read from a snapshot kept for the rest of the transaction unless it is cleared first.
        try (Statement s = db.createStatement()) {
            s.execute("select pg_stat_clear_snapshot()");
            ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'");
            rs.next();
            return rs.getInt(1) > 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean logged(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private boolean waitFor(BooleanSupplier condition, Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (server != null && !server.isAlive() && server.exitValue() != 0 && !logged("Commencing graceful")) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
