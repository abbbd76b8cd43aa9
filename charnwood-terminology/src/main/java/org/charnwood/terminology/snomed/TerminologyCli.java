package org.charnwood.terminology.snomed;

import org.charnwood.fhir.FhirException;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line for loading SNOMED CT into Charnwood's database:
 * <pre>
 *   load &lt;release folder or zip&gt; [more ...]   load an RF2 snapshot (e.g. the UK monolith from TRUD) and serve it
 *   load-demo-codes                           load the demo code list as a partial release
 *   status                                    show the release being served
 * </pre>
 * The database is given by {@code --url}, {@code --user}, {@code --password} or the environment variables
 * {@code CHARNWOOD_DB_URL}, {@code CHARNWOOD_DB_USER}, {@code CHARNWOOD_DB_PASSWORD}. Charnwood must have
 * started once against that database, so that its migrations have made the {@code snomed} schema.
 */
public final class TerminologyCli {

    private TerminologyCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String url = System.getenv().getOrDefault("CHARNWOOD_DB_URL", "jdbc:postgresql://localhost:5432/postgres");
        String user = System.getenv().getOrDefault("CHARNWOOD_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("CHARNWOOD_DB_PASSWORD", "");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                default -> rest.add(args[i]);
            }
        }
        if (rest.isEmpty()) {
            return usage();
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        try {
            requireSchema(dataSource);
            ImportListener progress = new ImportListener() {
                @Override
                public void fileStarted(ReleaseFiles.Rf2File file) {
                    System.out.println("reading " + file.displayName());
                }

                @Override
                public void fileFinished(ReleaseFiles.Rf2File file, long rowsRead, long rowsStored) {
                    System.out.printf("  %,d rows read, %,d stored%n", rowsRead, rowsStored);
                }

                @Override
                public void step(String description) {
                    System.out.println(description);
                }
            };
            SnomedImporter importer = new SnomedImporter(dataSource, progress);
            switch (rest.get(0)) {
                case "load" -> {
                    if (rest.size() < 2) {
                        return usage();
                    }
                    report(importer.load(rest.subList(1, rest.size()).stream().map(Path::of).toList()));
                }
                case "load-demo-codes" -> report(importer.loadCodeList(DemoCodes.LABEL, DemoCodes.load()));
                case "status" -> {
                    var current = new SnomedReleaseReader(dataSource).current();
                    System.out.println(current.map(r -> "serving release " + r.releaseId() + ": " + r.label()
                            + " (" + r.effectiveTime() + (r.isComplete() ? ")" : ", partial)"))
                            .orElse("no SNOMED CT release loaded"));
                }
                default -> {
                    return usage();
                }
            }
            return 0;
        } catch (FhirException e) {
            System.err.println("REFUSED: " + e.getMessage());
            System.err.println("The release being served has not changed.");
            return 1;
        } catch (RuntimeException e) {
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        }
    }

    private static void report(ImportOutcome outcome) {
        if (outcome.unchanged()) {
            System.out.println("release already loaded and served (release " + outcome.releaseId() + "): nothing done");
        } else {
            System.out.printf("loaded %s as release %d in %d s: %s%n", outcome.label(), outcome.releaseId(),
                    outcome.took().toSeconds(), outcome.rows());
        }
    }

    private static void requireSchema(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("select to_regclass('snomed.current_release') is not null")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("the database has no snomed schema: start Charnwood once against it"
                        + " so that its migrations create the terminology tables");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect: " + e.getMessage(), e);
        }
    }

    private static int usage() {
        System.err.println("""
                usage: terminology.sh [--url jdbc:postgresql://host:port/db] [--user u] [--password p] <command>
                  load <release folder or zip> [more ...]   load an RF2 snapshot edition and serve it
                  load-demo-codes                           load the demo code list (a partial release)
                  status                                    show the release being served""");
        return 2;
    }
}
