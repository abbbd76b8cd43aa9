package org.charnwood.bench;

import org.charnwood.bench.PatientCorpus.TypedJson;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The physical-limit proxy: the same resource JSON inserted into a plain table with no ids, versions, indexes
 * or validation, one transaction per batch, by several writers. Whatever Charnwood does on top of this is the
 * price of being a FHIR repository.
 */
final class RawBaseline {

    /** Hands out batches to writers; thread-safe; {@code null} when there are no more. */
    interface BatchSource {
        List<TypedJson> next();

        static BatchSource of(List<List<TypedJson>> batches) {
            AtomicInteger next = new AtomicInteger();
            return () -> {
                int i = next.getAndIncrement();
                return i < batches.size() ? batches.get(i) : null;
            };
        }
    }

    /** What one baseline run wrote and how long it took. */
    record Outcome(long resources, long batches, long nanos) {

        double seconds() {
            return nanos / 1e9;
        }

        double resourcesPerSecond() {
            return resources / seconds();
        }
    }

    private final String jdbcUrl;

    RawBaseline(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    void createTable() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_raw");
            s.execute("create table bench_raw (id bigint generated always as identity primary key,"
                    + " res_type text not null, content text not null)");
        }
    }

    /**
     * The median of {@code runs} runs, each into a freshly created table: a run takes well under a second for a few
     * hundred patients, so one run alone is at the mercy of whatever else the machine is doing.
     */
    Outcome median(Supplier<BatchSource> sources, int writers, int runs) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            createTable();
            outcomes.add(insert(sources.get(), writers));
        }
        outcomes.sort(Comparator.comparingLong(Outcome::nanos));
        return outcomes.get(outcomes.size() / 2);
    }

    /** Inserts every batch the source gives, each batch one transaction, with {@code writers} connections. */
    Outcome insert(BatchSource source, int writers) throws Exception {
        long start = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int t = 0; t < writers; t++) {
                futures.add(pool.submit(() -> write(source)));
            }
            long resources = 0;
            long batches = 0;
            for (Future<long[]> f : futures) {
                long[] counts = join(f);
                resources += counts[0];
                batches += counts[1];
            }
            return new Outcome(resources, batches, System.nanoTime() - start);
        }
    }

    private long[] write(BatchSource source) throws SQLException {
        long resources = 0;
        long batches = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into bench_raw (res_type, content) values (?, ?)")) {
                List<TypedJson> batch;
                while ((batch = source.next()) != null) {
                    for (TypedJson resource : batch) {
                        ps.setString(1, resource.type());
                        ps.setString(2, resource.json());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    resources += batch.size();
                    batches++;
                }
            }
        }
        return new long[] {resources, batches};
    }

    private static long[] join(Future<long[]> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
