package org.charnwood.bench;

/**
 * The benchmark command line. Each subcommand runs one phase and prints its report as markdown on standard
 * output; warnings and failures go to standard error and a failed phase exits with status 1, so a script can
 * tell a broken run from a slow one.
 */
public final class BenchCli {

    static final String USAGE = """
            usage: java -jar charnwood-bench.jar <command> [--option value ...]
              ingest        --base URL [--patients 300] [--concurrency 4] [--seed 1] [--warmup 0]
                            [--server-pid PID --postgres-pid PID]
              search        --base URL [--duration 60] [--warmup 10] [--concurrency 4] [--seed 1]
                            [--server-pid PID --postgres-pid PID]
              baseline      [--patients 300] [--concurrency 4] [--seed 1]
              bulk          --base URL [--patients 300] [--seed 2] [--baseline true] [--writers <cores>]
              bulk-baseline [--patients 300] [--seed 2] [--writers <cores>]
              scale         --base URL [--small 1000] [--large 20000] [--duration 60] [--warmup 10]
                            [--settle 90] [--concurrency 4] [--seed 3]
              dmd-import    [--vmps 20000] [--amps 150000] [--ampps 300000] [--searches 2000] [--seed 4]
              scheduling    [--seconds 30] [--seed 1] [--sizes 250/25,1000/100]
              rostering     [--weeks 4,6] [--staff 30] [--seed 1] [--limits 0.5,1,2,5,10,30]
              terminology   [--concepts 500000] [--duration 30] [--threads 2] [--seed 4]
                            (no server: synthetic RF2 into a scratch PostgreSQL; run with -Xmx1g)
              record-summary --base URL --synthea FILE [--username demo.nurse] [--password charnwood-demo]
                            [--requests 300] [--warmup 30]
                            (a server with the demo profile: the staff record summary page, signed in)
            URL is the FHIR base, e.g. http://localhost:8080/fhir; with the server's and its PostgreSQL's process
            ids (Linux), ingest and search also report the server's CPU per resource or request.""";

    private BenchCli() {
    }

    public static void main(String[] args) {
        // The embedded PostgreSQL logs every start at info; the report is what matters here.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int status;
        try {
            Report report = phase(Options.parse(args)).run();
            System.out.println(report.markdown());
            status = 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (BenchFailure e) {
            if (e.partial() != null) {
                System.out.println(e.partial().markdown());
            }
            System.out.println("**FAILED:** " + e.getMessage().replace("\n", "  \n") + "\n");
            System.err.println("FAILED: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static Phase phase(Options options) {
        return switch (options.command()) {
            case "ingest" -> IngestPhase.from(options);
            case "search" -> SearchPhase.from(options);
            case "baseline" -> BaselinePhase.from(options);
            case "bulk" -> BulkPhase.from(options);
            case "export" -> ExportPhase.from(options);
            case "bulk-baseline" -> BulkBaselinePhase.from(options);
            case "scale" -> ScalePhase.from(options);
            case "dmd-import" -> DmdImportPhase.from(options);
            case "scheduling" -> SchedulingPhase.from(options);
            case "rostering" -> RosteringPhase.from(options);
            case "terminology" -> TerminologyPhase.from(options);
            case "record-summary" -> RecordSummaryPhase.from(options);
            default -> throw new IllegalArgumentException("unknown command '" + options.command() + "'");
        };
    }
}
