package org.charnwood.terminology.dmd;

import org.charnwood.fhir.FhirException;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Command line: loads a dm+d release downloaded from NHS TRUD into a PostgreSQL database whose {@code dmd} schema
 * the application's migrations have made.
 *
 * <pre>
 * java -cp charnwood-terminology.jar:... org.charnwood.terminology.dmd.DmdLoadCommand \
 *     --url jdbc:postgresql://localhost:5432/charnwood --user charnwood [--password secret] \
 *     /path/to/nhsbsa_dmd_X.zip-or-folder
 * </pre>
 *
 * The password may instead come from the {@code PGPASSWORD} environment variable, so it need not appear in the
 * process list. Exit status: 0 loaded (or already served), 1 refused, 2 wrong arguments or database failure.
 */
public final class DmdLoadCommand {

    private DmdLoadCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns the exit status, for tests and for embedding. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        String user = null;
        String password = System.getenv("PGPASSWORD");
        String release = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = i + 1 < args.length ? args[++i] : null;
                case "--user" -> user = i + 1 < args.length ? args[++i] : null;
                case "--password" -> password = i + 1 < args.length ? args[++i] : null;
                case "--help", "-h" -> {
                    usage(out);
                    return 0;
                }
                default -> release = args[i];
            }
        }
        if (url == null || release == null) {
            usage(err);
            return 2;
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        try {
            DmdImportResult result = new DmdImporter(dataSource).importRelease(DmdReleaseFiles.of(Path.of(release)),
                    new DmdImportListener() {
                        @Override
                        public void fileFinished(String file, long records) {
                            out.printf("%-45s %,10d records%n", file, records);
                        }
                    });
            if (result.alreadyServing()) {
                out.println("dm+d release " + result.releaseName() + " is already being served; nothing changed");
            } else {
                out.printf("dm+d release %s is now served (%.1f s)%n", result.releaseName(),
                        result.took().toMillis() / 1000.0);
            }
            for (Map.Entry<ProductLevel, Long> level : result.products().entrySet()) {
                out.printf("  %-5s %,10d%n", level.getKey(), level.getValue());
            }
            return 0;
        } catch (DmdReleaseRefused e) {
            err.println(e.getMessage());
            err.println("The release being served is unchanged.");
            return 1;
        } catch (FhirException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private static void usage(PrintStream to) {
        to.println("usage: DmdLoadCommand --url <jdbc:postgresql://...> [--user <user>] [--password <password>]"
                + " <release folder or zip>");
        to.println("Loads an NHSBSA dm+d XML release (from NHS TRUD) and makes it the served release.");
        to.println("The password may also be given in PGPASSWORD.");
    }
}
