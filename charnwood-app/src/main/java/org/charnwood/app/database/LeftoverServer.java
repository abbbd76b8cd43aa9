package org.charnwood.app.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a server that died without stopping its embedded PostgreSQL (killed outright, or by the kernel for memory)
 * leaves in the data folder. PostgreSQL runs as a process of its own, so it outlives the server that started it and
 * keeps the folder's {@code postmaster.pid}: every later start tried to start a second PostgreSQL there, which refused,
 * and gave up after a minute, until someone found and stopped the first by hand. Run only while this server holds the
 * folder ({@link DataFolderLock}), when no other server can be using that PostgreSQL.
 */
final class LeftoverServer {

    private static final Logger log = LoggerFactory.getLogger(LeftoverServer.class);
    private static final Duration STOPPING = Duration.ofSeconds(60);

    private LeftoverServer() {
    }

    /**
     * Stops the PostgreSQL that {@code postmaster.pid} in {@code dir} names, if it is still running there, so that this
     * start can start its own. A smart shutdown (SIGTERM): its clients died with their server, so it finishes at once,
     * with a checkpoint, as any clean stop. A file naming a process that has gone, PostgreSQL sees to itself; one whose
     * number now belongs to another program (after a reboot or in a container) is removed, since PostgreSQL would take
     * that program for a server still running.
     */
    static void stopIn(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (lines.isEmpty() || !lines.getFirst().trim().matches("\\d{1,10}")) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(lines.getFirst().trim()));
        if (process.isEmpty() || !process.get().isAlive()) {
            return;
        }
        ProcessHandle.Info info = process.get().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            // Another user's process, which this one may not look into: left for PostgreSQL to refuse, by its number.
            return;
        }
        if (!info.command().get().endsWith("/postgres")) {
            log.warn("Removing the embedded database's postmaster.pid: the process it names ({}) is not its server",
                    process.get().pid());
            Files.deleteIfExists(pidFile);
            return;
        }
        if (!servesFolder(info.arguments().get(), dir)) {
            // A PostgreSQL of another folder, by a reused number: left for PostgreSQL to refuse rather than guessed at.
            return;
        }
        log.warn("The embedded PostgreSQL of a server that stopped without stopping it is still running (process {}); "
                + "stopping it before starting again", process.get().pid());
        process.get().destroy();
        try {
            process.get().onExit().get(STOPPING.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The embedded PostgreSQL left running in " + dir + " by a server that died "
                    + "(process " + process.get().pid() + ") did not stop within " + STOPPING.toSeconds()
                    + " s: stop it, then start again");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the embedded PostgreSQL left in " + dir);
        }
    }

    /**
     * Whether a PostgreSQL's arguments name this folder as its data directory ({@code -D}), however the path was
     * written by the start that launched it ({@code ./data}, {@code data}, through a link).
     */
    private static boolean servesFolder(String[] arguments, Path dir) {
        for (int i = 0; i < arguments.length - 1; i++) {
            if (arguments[i].equals("-D")) {
                try {
                    return Path.of(arguments[i + 1]).toRealPath().equals(dir.toRealPath());
                } catch (IOException | java.nio.file.InvalidPathException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
