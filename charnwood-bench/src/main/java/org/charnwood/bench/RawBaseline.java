package org.charnwood.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical-limit proxy: the same resource JSON inserted into a plain table with no ids,
 * versions, indexes or validation, one transaction per bundle, at the same concurrency. Whatever
 * Charnwood does on top of this is the price of being a FHIR repository.
 */
final class RawBaseline {

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

    /** Inserts every bundle's resources (type + JSON pairs); returns elapsed nanoseconds. */
    long insert(List<List<String[]>> bundles, int concurrency) throws Exception {
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                        c.setAutoCommit(false);
                        try (PreparedStatement ps = c.prepareStatement(
                                "insert into bench_raw (res_type, content) values (?, ?)")) {
                            int i;
                            while ((i = (int) next.getAndIncrement()) < bundles.size()) {
                                for (String[] resource : bundles.get(i)) {
                                    ps.setString(1, resource[0]);
                                    ps.setString(2, resource[1]);
                                    ps.addBatch();
                                }
                                ps.executeBatch();
                                c.commit();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return System.nanoTime() - start;
    }
}
