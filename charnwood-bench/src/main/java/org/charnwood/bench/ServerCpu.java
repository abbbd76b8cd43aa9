package org.charnwood.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time the server under test spends: its JVM, and its PostgreSQL (the postmaster and every process it
 * started), read from Linux's {@code /proc}. On a shared 2-core machine a rate moves with whatever else runs, but
 * the CPU spent per resource or per request hardly does, so a phase reports both. Off by default: a phase gets
 * the processes from {@code --server-pid} and {@code --postgres-pid}, which {@code run-benchmark.sh} passes.
 *
 * <p>The application's time is also split by what its threads do ({@link #byThread}): the requests, the JIT's
 * compiler, the garbage collector, the audit appender. A JIT still compiling through a measured window is a fixed
 * cost that shows as time per request, so it is worth seeing.
 *
 * <p>Backends that exit between two samples take their time with them; the pool's connections live as long as
 * the server, so what is lost is autovacuum's and the like, not the requests'. The same holds for threads.
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
        return new Sample(ticks(serverPid), postgresPid > 0 ? postgresTicks() : 0, threadTicks(serverPid));
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

    /**
     * The application's CPU per unit by thread group, largest first, e.g. "requests 0.52 ms, JIT compiler
     * 0.03 ms"; groups under 0.005 ms per unit are left out. "not measured" without samples.
     */
    static String byThread(Sample before, Sample after, double units) {
        if (before == null || after == null || units <= 0) {
            return "not measured";
        }
        Map<String, Long> spent = new TreeMap<>();
        after.threads().forEach((group, ticks) -> spent.put(group, ticks - before.threads().getOrDefault(group, 0L)));
        List<Map.Entry<String, Long>> largest = new ArrayList<>(spent.entrySet());
        largest.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : largest) {
            double perUnit = e.getValue() * MILLIS_PER_TICK / units;
            if (perUnit >= 0.005) {
                parts.add(e.getKey() + " " + Report.number(perUnit, 3) + " ms");
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** The group a JVM thread belongs to, from its Linux name (at most 15 characters of the Java name). */
    static String group(String threadName) {
        String n = threadName.strip();
        if (n.startsWith("http-nio-") || n.startsWith("https-jsse-nio")) {
            return "requests";
        }
        if (n.contains("CompilerThre")) {
            return "JIT compiler";
        }
        if (n.startsWith("GC Thread") || n.startsWith("G1 ") || n.equals("VM Thread")) {
            return "garbage collector and VM";
        }
        if (n.startsWith("audit-appender")) {
            return "audit appender";
        }
        if (n.startsWith("outbox-relay")) {
            return "outbox relay";
        }
        return "other";
    }

    /**
     * CPU ticks (user and system) of the application's JVM and of its PostgreSQL's processes, and of the JVM's
     * threads by {@link #group}.
     */
    record Sample(long application, long postgres, Map<String, Long> threads) {
    }

    /** Ticks of each group of the process's threads so far. */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> groups = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    groups.merge(group(name), ticks(fields(stat)), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was read
                }
            }
        } catch (IOException e) {
            return groups;
        }
        return groups;
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
            return fields(Files.readString(stat(pid)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The fields of a process's or thread's stat line after its name. */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static Path stat(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }
}
