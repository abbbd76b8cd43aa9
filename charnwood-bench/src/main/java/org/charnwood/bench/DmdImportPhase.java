package org.charnwood.bench;

import org.charnwood.terminology.dmd.DmdImportResult;
import org.charnwood.terminology.dmd.DmdImporter;
import org.charnwood.terminology.dmd.DmdProducts;
import org.charnwood.terminology.dmd.DmdReleaseFiles;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Random;
import java.util.stream.Stream;

/**
 * dm+d at full size: generates a synthetic release the size of a current NHSBSA one, imports it into a scratch
 * PostgreSQL (the same importer and schema the application uses), then times what follows an import: building
 * the in-memory {@link DmdProducts}, typeahead searches, a repeated import of the same files and the import of
 * a second release that replaces the first.
 */
final class DmdImportPhase implements Phase {

    private final int vmps;
    private final int amps;
    private final int ampps;
    private final int searches;
    private final long seed;

    DmdImportPhase(int vmps, int amps, int ampps, int searches, long seed) {
        this.vmps = vmps;
        this.amps = amps;
        this.ampps = ampps;
        this.searches = searches;
        this.seed = seed;
    }

    static DmdImportPhase from(Options o) {
        o.allowOnly("vmps", "amps", "ampps", "searches", "seed");
        return new DmdImportPhase(o.integer("vmps", 20_000), o.integer("amps", 150_000),
                o.integer("ampps", 300_000), o.integer("searches", 2_000), o.integer("seed", 4));
    }

    @Override
    public Report run() throws Exception {
        SyntheticDmdRelease synthetic = new SyntheticDmdRelease(Math.max(1, vmps / 7), vmps, amps, ampps);
        try (ScratchFolder folder = ScratchFolder.create("charnwood-dmd-release");
             ScratchPostgres postgres = ScratchPostgres.start()) {
            long t0 = System.nanoTime();
            int vmpps = synthetic.write(folder.path(), seed);
            double generated = seconds(t0);
            long bytes = size(folder.path());

            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(postgres.jdbcUrl());
            createSchema(dataSource);
            DmdImporter importer = new DmdImporter(dataSource);

            DmdImportResult first = importer.importRelease(DmdReleaseFiles.of(folder.path()));
            long products = first.products().values().stream().mapToLong(Long::longValue).sum();
            long rows = first.rows().values().stream().mapToLong(Long::longValue).sum();

            long t1 = System.nanoTime();
            DmdImportResult again = importer.importRelease(DmdReleaseFiles.of(folder.path()));
            double repeated = seconds(t1);

            Runtime runtime = Runtime.getRuntime();
            System.gc();
            long heapBefore = runtime.totalMemory() - runtime.freeMemory();
            long t2 = System.nanoTime();
            DmdProducts index = DmdProducts.load(dataSource);
            double indexed = seconds(t2);
            System.gc();
            long heapAfter = runtime.totalMemory() - runtime.freeMemory();

            LatencyStats latencies = new LatencyStats();
            Random random = new Random(seed);
            long hits = 0;
            for (int i = 0; i < searches + 200; i++) {
                String query = SyntheticDmdRelease.query(random);
                long s = System.nanoTime();
                hits += index.search(query, 20).size();
                if (i >= 200) { // the first queries warm the JIT up
                    latencies.record(System.nanoTime() - s);
                }
            }
            LatencyStats lookups = new LatencyStats();
            for (int i = 0; i < searches; i++) {
                long s = System.nanoTime();
                index.check(6_000_000_000_000_000L + random.nextInt(ampps) * 10_000_000L + 1000001L);
                lookups.record(System.nanoTime() - s);
            }

            // a second release: the same files with one name changed, so it is new, loaded beside and switched to
            Path vtm = folder.path().resolve("f_vtm2_9999999.xml");
            Files.writeString(vtm, Files.readString(vtm).replaceFirst("</NM>", " (renamed)</NM>"));
            DmdImportResult second = importer.importRelease(DmdReleaseFiles.of(folder.path()));

            return Report.titled("dm+d release import (synthetic, full size)")
                    .figure("Products (VTM / VMP / AMP / VMPP / AMPP)", synthetic.vtms + " / "
                            + Report.number(vmps, 0) + " / " + Report.number(amps, 0) + " / "
                            + Report.number(vmpps, 0) + " / " + Report.number(ampps, 0))
                    .figure("Release files", Report.number(bytes / 1e6, 0) + " MB of XML (generated in "
                            + Report.number(generated, 1) + " s)")
                    .figure("Rows stored", Report.number(rows, 0))
                    .figure("Import (parse, check, COPY, switch)", Report.number(first.took().toMillis() / 1000.0, 1)
                            + " s (" + Report.number(products / (first.took().toMillis() / 1000.0), 0)
                            + " products/s, " + Report.number(rows / (first.took().toMillis() / 1000.0), 0)
                            + " rows/s)")
                    .figure("Same release again (checksum, no change)", Report.number(repeated, 1) + " s"
                            + (again.alreadyServing() ? "" : " **loaded again**"))
                    .figure("Second release replacing the first", Report.number(second.took().toMillis() / 1000.0, 1)
                            + " s (plus deleting the old rows)")
                    .figure("DmdProducts.load (in-memory index)", Report.number(indexed, 1) + " s, about "
                            + Report.number((heapAfter - heapBefore) / 1e6, 0) + " MB of heap")
                    .latency("Typeahead search (limit 20)", latencies.percentiles())
                    .figure("Mean hits per search", Report.number((double) hits / (searches + 200), 1))
                    .latency("check(code)", lookups.percentiles())
                    .note("Seed " + seed + "; synthetic names built from syllables, one substance per "
                            + "VTM, the real lookup tables of the 2021-08-26 sample. The scratch PostgreSQL has the"
                            + " application's embedded settings; the importer and the search run in this JVM.")
                    .note("Search queries are 3-5 leading letters of a made-up substance name, half of them with a"
                            + " strength (\"prazo 20\"); the first 200 are a warm-up and not counted.")
                    .build();
        }
    }

    /** The dm+d migration, run as the application's Flyway would (the scratch database has nothing else). */
    private static void createSchema(PGSimpleDataSource dataSource) throws Exception {
        String sql;
        try (InputStream in = DmdImporter.class.getClassLoader()
                .getResourceAsStream("db/migration/terminology/V150__dmd_release.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
