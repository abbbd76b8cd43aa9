package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Measures ingest (resources per second through transactions of about 200 resources, with the
 * time spent in the indexer) and search latency on a larger store, and prints the plans of the
 * typical searches. Not a test: run it by hand, for example
 * {@code java ... SearchBenchmark 10000 2} (resources, writer threads) or
 * {@code SearchBenchmark 500000 2 search}.
 */
public final class SearchBenchmark {

    private static final int PATIENTS_PER_TRANSACTION = 20;

    private final javax.sql.DataSource dataSource = dataSource();
    private final SearchParameterRegistry registry = SearchParameterRegistry.r4();
    private final AtomicLong indexNanos = new AtomicLong();
    private final AtomicLong extractNanos = new AtomicLong();
    private final FhirRepository repository;
    private final List<String> patientIds = java.util.Collections.synchronizedList(new ArrayList<>());

    private SearchBenchmark() {
        RepositorySettings settings = RepositorySettings.defaults();
        ServerBase base = ServerBase.none();
        SearchIndexer indexer = new SearchIndexer(registry, base);
        IndexValues values = new IndexValues(registry, base);
        IndexTableWriter writer = new IndexTableWriter();
        SearchIndexWriter timed = new SearchIndexWriter() {
            @Override
            public void write(Connection c, List<Indexable> items) throws SQLException {
                if (Boolean.getBoolean("bench.noindex")) {
                    return; // the rest of the write path alone, to see what indexing adds
                }
                // the indexer's own steps, timed apart: extraction in Java, then the statement
                long t = System.nanoTime();
                IndexRows rows = new IndexRows();
                List<Long> stale = new ArrayList<>();
                for (Indexable item : items) {
                    if (!item.fresh()) {
                        stale.add(item.resourcePk());
                    }
                    values.collect(item.resourcePk(), item.resource(), rows);
                    rows.addLinks(item.resourcePk(), item.links());
                }
                long t1 = System.nanoTime();
                writer.write(c, stale, rows);
                long t2 = System.nanoTime();
                extractNanos.addAndGet(t1 - t);
                indexNanos.addAndGet(t2 - t);
            }

            @Override
            public void remove(Connection c, long pk) throws SQLException {
                indexer.remove(c, pk);
            }
        };
        repository = new FhirRepository(dataSource, new ParseOnlyValidator(), timed,
                new SqlSearchEngine(registry, base, settings, Clock.systemUTC()), settings, Clock.systemUTC());
    }

    /**
     * Arguments: resources, writer threads, and what to do: {@code ingest} (the default),
     * {@code search} (ingest, then measure searches), {@code search-only} (measure searches on data
     * already loaded; needs {@code -Dbench.dir}) or {@code extract} (indexer CPU cost alone).
     * With {@code -Dbench.dir=<folder>} the database lives in that folder and survives the run.
     */
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String mode = args.length > 2 ? args[2] : "ingest";
        SearchBenchmark bench = new SearchBenchmark();
        if (mode.equals("serve")) {
            // keeps the database up for manual EXPLAINs (psql -h localhost -p 55432 -U postgres)
            Thread.sleep(total * 1000L);
            System.exit(0);
        }
        if (!mode.equals("search-only")) {
            bench.extractionOnly(Math.min(total, 20_000));
            if (mode.equals("extract")) {
                System.exit(0);
            }
            bench.reset();
            bench.warmUp();
            bench.reset();
            bench.ingest(total, threads);
            bench.analyze();
        } else {
            bench.loadPatientIds();
        }
        if (mode.startsWith("search")) {
            bench.searchLatencies();
            bench.explainTypicalSearches();
        }
        System.exit(0);
    }

    private static javax.sql.DataSource dataSource() {
        String dir = System.getProperty("bench.dir");
        if (dir == null) {
            return TestDatabase.get().dataSource();
        }
        try {
            var postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dir).setCleanDataDirectory(false).setPort(55432).start();
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            config.setMaximumPoolSize(8);
            var ds = new com.zaxxer.hikari.HikariDataSource(config);
            org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration/fhir").load().migrate();
            return ds;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void reset() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate fhir_resource, fhir_resource_version, fhir_outbox, idx_string, idx_token, idx_date, "
                    + "idx_number, idx_quantity, idx_reference, idx_uri, idx_composite, fhir_link restart identity");
        }
    }

    private static double javaCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU time of the benchmark's PostgreSQL server and its children, from /proc (Linux only). */
    private static double postgresCpuSeconds() {
        String dir = System.getProperty("bench.dir");
        if (dir == null) {
            return 0;
        }
        try {
            long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of(dir, "postmaster.pid")).get(0).trim());
            double ticks = 0;
            try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
                for (java.nio.file.Path proc : procs.toList()) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    String stat;
                    try {
                        stat = java.nio.file.Files.readString(proc.resolve("stat"));
                    } catch (java.io.IOException gone) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    long ppid = Long.parseLong(f[1]);
                    if (pid == postmaster) {
                        // its own time plus that of exited children (autovacuum workers and the like)
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    } else if (ppid == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private void loadPatientIds() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select res_id from fhir_resource where res_type = 'Patient' order by res_pk")) {
            while (rs.next()) {
                patientIds.add(rs.getString(1));
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** CPU cost of extracting index rows alone, without the database. */
    private void extractionOnly(int total) {
        SyntheticRecords gen = new SyntheticRecords(1);
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; resources.size() < total; i++) {
            org.hl7.fhir.r4.model.Patient p = gen.patient(i);
            p.setId("p" + i);
            resources.add(p);
            resources.add(gen.encounter("p" + i));
            resources.add(gen.bloodPressure("p" + i));
            for (int o = 0; o < 7; o++) {
                resources.add(gen.vitalSign("p" + i, null));
            }
        }
        IndexValues values = new IndexValues(registry, ServerBase.none());
        for (int round = 0; round < 8; round++) {
            long t = System.nanoTime();
            IndexRows rows = new IndexRows();
            for (int i = 0; i < resources.size(); i++) {
                values.collect(i, resources.get(i), rows);
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            System.out.printf("EXTRACT %d resources in %.3f s: %.0f resources/s (one thread, no database)%n",
                    resources.size(), seconds, resources.size() / seconds);
        }
    }

    private void warmUp() throws Exception {
        ingestQuietly(3000, 1);
        patientIds.clear();
    }

    private void ingest(int total, int threads) throws Exception {
        patientIds.clear();
        indexNanos.set(0);
        extractNanos.set(0);
        long t0 = System.nanoTime();
        double cpu0 = javaCpuSeconds() + postgresCpuSeconds();
        int written = ingestQuietly(total, threads);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = javaCpuSeconds() + postgresCpuSeconds() - cpu0;
        if (System.getProperty("bench.dir") != null) {
            // Wall-clock rates swing with whatever else the machine runs; CPU seconds per resource
            // (this JVM plus every PostgreSQL process) give the rate two dedicated cores would reach.
            System.out.printf("CPU %.1f s for %d resources: %.0f microseconds each, %.0f resources/s on 2 dedicated cores%n",
                    cpu, written, cpu * 1e6 / written, 2 * written / cpu);
        }
        System.out.printf("INGEST %d resources with %d writer thread(s) in %.1f s: %.0f resources/s; "
                        + "indexer %.1f s of writer time (%.0f%% of %d thread-seconds)%n",
                written, threads, seconds, written / seconds, indexNanos.get() / 1e9,
                100 * indexNanos.get() / 1e9 / (seconds * threads), threads);
        System.out.printf("INDEXER extraction %.2f s, index statements %.2f s%n", extractNanos.get() / 1e9,
                (indexNanos.get() - extractNanos.get()) / 1e9);
        System.out.printf("INDEX ROWS string=%d token=%d date=%d reference=%d quantity=%d composite=%d uri=%d%n",
                count("select count(*) from idx_string"), count("select count(*) from idx_token"),
                count("select count(*) from idx_date"), count("select count(*) from idx_reference"),
                count("select count(*) from idx_quantity"), count("select count(*) from idx_composite"),
                count("select count(*) from idx_uri"));
    }

    /** Transactions of 20 patients, an encounter each and eight observations each (about 200 resources). */
    private int ingestQuietly(int total, int threads) throws Exception {
        int perTransaction = PATIENTS_PER_TRANSACTION * 10;
        int transactions = Math.max(1, total / perTransaction);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong counter = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                SyntheticRecords gen = new SyntheticRecords(worker * 7919L + System.nanoTime());
                for (int tx = worker; tx < transactions; tx += threads) {
                    int first = tx * PATIENTS_PER_TRANSACTION;
                    counter.addAndGet(repository.inTransaction(s -> {
                        int n = 0;
                        for (int i = 0; i < PATIENTS_PER_TRANSACTION; i++) {
                            String patient = s.create(gen.patient(first + i)).id();
                            patientIds.add(patient);
                            String encounter = s.create(gen.encounter(patient)).id();
                            n += 2;
                            for (int o = 0; o < 8; o++) {
                                Resource r = o == 0 ? gen.bloodPressure(patient)
                                        : gen.vitalSign(patient, o % 2 == 0 ? encounter : null);
                                s.create(r);
                                n++;
                            }
                        }
                        return n;
                    }));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return (int) counter.get();
    }

    private void analyze() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("vacuum analyze");
        }
    }

    private void searchLatencies() {
        SyntheticRecords gen = new SyntheticRecords(42);
        int patients = patientIds.size();
        measure("Patient?identifier", i -> "identifier=" + SyntheticRecords.NHS + "|" + gen.nhsNumber(gen.nextInt(patients)), "Patient");
        measure("Patient?family (common prefix)", i -> "family=" + SyntheticRecords.FAMILIES[gen.nextInt(30)].substring(0, 4), "Patient");
        measure("Patient?family&given", i -> "family=" + SyntheticRecords.FAMILIES[gen.nextInt(30)] + "&given="
                + SyntheticRecords.GIVENS[gen.nextInt(20)], "Patient");
        measure("Patient?birthdate", i -> "birthdate=" + java.time.LocalDate.of(1930, 1, 1).plusDays(gen.nextInt(33000)), "Patient");
        measure("Observation?subject&code&date&_sort=-date", i -> "subject=Patient/" + patientIds.get(gen.nextInt(patients))
                + "&code=" + SyntheticRecords.LOINC + "|" + SyntheticRecords.VITALS[gen.nextInt(8)][0] + "&date=ge2021&_sort=-date", "Observation");
        measure("Observation?patient&_sort=-date", i -> "patient=" + patientIds.get(gen.nextInt(patients)) + "&_sort=-date&_count=10", "Observation");
        measure("Encounter?patient&date", i -> "patient=" + patientIds.get(gen.nextInt(patients)) + "&date=ge2022", "Encounter");
        measure("Observation?code (broad)", i -> "code=" + SyntheticRecords.VITALS[gen.nextInt(8)][0], "Observation");
        measure("Observation?code&_sort=-date (broad)", i -> "code=" + SyntheticRecords.VITALS[gen.nextInt(8)][0] + "&_sort=-date&_total=none", "Observation");
        measure("Observation?subject.identifier (chain)", i -> "subject:Patient.identifier=" + SyntheticRecords.NHS + "|"
                + gen.nhsNumber(gen.nextInt(patients)), "Observation");
        measure("Observation?component-code-value-quantity&patient", i -> "patient=" + patientIds.get(gen.nextInt(patients))
                + "&component-code-value-quantity=8480-6$gt140", "Observation");
        measure("Patient?_id&_revinclude=Observation:subject", i -> "_id=" + patientIds.get(gen.nextInt(patients))
                + "&_revinclude=Observation:subject", "Patient");
    }

    private void measure(String label, IntFunction<String> query, String type) {
        for (int i = 0; i < 30; i++) {
            repository.search(SearchFixture.request(type, query.apply(i), false));
        }
        int runs = 300;
        long[] nanos = new long[runs];
        int results = 0;
        for (int i = 0; i < runs; i++) {
            String q = query.apply(i);
            long t = System.nanoTime();
            results += repository.search(SearchFixture.request(type, q, false)).matches().size();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("SEARCH %-52s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (avg %.1f results)%n", label,
                nanos[runs / 2] / 1e6, nanos[runs * 95 / 100] / 1e6, nanos[runs * 99 / 100] / 1e6,
                results / (double) runs);
    }

    private void explainTypicalSearches() throws SQLException {
        SqlSearchEngine engine = new SqlSearchEngine(registry, ServerBase.none(), RepositorySettings.defaults(),
                Clock.systemUTC());
        String patient = patientIds.get(patientIds.size() / 2);
        explain(engine, "Patient", "identifier=" + SyntheticRecords.NHS + "|9000000123");
        explain(engine, "Patient", "family=patel");
        explain(engine, "Patient", "birthdate=1970-05-05");
        explain(engine, "Observation", "subject=Patient/" + patient + "&code=" + SyntheticRecords.LOINC
                + "|8867-4&date=ge2021&_sort=-date");
        explain(engine, "Encounter", "patient=" + patient + "&date=ge2022");
    }

    private void explain(SqlSearchEngine engine, String type, String query) throws SQLException {
        SearchQuery parsed = engine.parse(new SearchRequest(type, QueryStrings.parse(query), false));
        Sql sql = engine.pageSql(parsed);
        Sql explain = new Sql().add("explain (analyze, costs off, timing off, summary on) ").add(sql.text());
        explain.binds().addAll(sql.binds());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = explain.prepare(c);
             ResultSet rs = ps.executeQuery()) {
            System.out.println("EXPLAIN " + type + "?" + query);
            while (rs.next()) {
                System.out.println("    " + rs.getString(1));
            }
        }
    }
}
