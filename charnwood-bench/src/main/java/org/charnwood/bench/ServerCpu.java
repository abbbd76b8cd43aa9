package org.charnwood.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time the server under test spends: its JVM, and its PostgreSQL (the postmaster and every process it
 * started), read from Linux's {@code /proc}. On a shared 2-core machine a rate moves with whatever else runs, but
 * the CPU spent per resource or per request hardly does, so a phase reports both. Off by default: a phase gets
 * the processes from {@code --server-pid} and {@code --postgres-pid}, which {@code run-benchmark.sh} passes.
 *
 * <p>Backends that exit between two samples take their time with them; the pool's connections live as long as
 * the server, so what is lost is autovacuum's and the like, not the requests'.
 */
final class ServerCpu {

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture it runs on. */
    private static final double MILLIS_PER_TICK = 10;

    private final long serverPid;
    private final long postgresPid;

    ServerCpu(long serverPid, long postgresPid) {
        this.serverPid = serverPid;
        this.postgresPid = postgresPid;
    }

    static ServerCpu from(Options o) {
        return new ServerCpu(o.integer("server-pid", 0), o.integer("postgres-pid", 0));
    }

    boolean enabled() {
        return serverPid > 0 && Files.isReadable(stat(serverPid));
    }

    /** Ticks so far, or null when not enabled. */
    Sample sample() {
        if (!enabled()) {
            return null;
        }
        return new Sample(ticks(serverPid), postgresPid > 0 ? postgresTicks() : 0);
    }

    /** "application 0.68 ms, PostgreSQL 0.39 ms" of CPU per unit between two samples; "not measured" without them. */
    static String perUnit(Sample before, Sample after, double units) {
        if (before == null || after == null || units <= 0) {
            return "not measured";
        }
        return "application " + Report.number((after.application() - before.application()) * MILLIS_PER_TICK / units, 3)
                + " ms, PostgreSQL " + Report.number((after.postgres() - before.postgres()) * MILLIS_PER_TICK / units, 3)
                + " ms";
    }

    /** CPU ticks (user and system) of the application's JVM and of its PostgreSQL's processes. */
    record Sample(long application, long postgres) {
    }

    private long postgresTicks() {
        long total = ticks(postgresPid);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] fields = fields(Long.parseLong(name));
                if (fields != null && Long.parseLong(fields[1]) == postgresPid) {
                    total += ticks(fields);
                }
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    private static long ticks(long pid) {
        String[] fields = fields(pid);
        return fields == null ? 0 : ticks(fields);
    }

    /** utime + stime (fields 14 and 15 of /proc/PID/stat). */
    private static long ticks(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields of /proc/PID/stat after the command name (which may hold spaces): state is [0], ppid [1]. */
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(stat(pid));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path stat(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }
}
