package org.charnwood.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes demo data to a folder from the command line:
 * <pre>
 *   DemoDataCli bundles --out DIR [--patients N] [--seed S] [--today YYYY-MM-DD]
 *   DemoDataCli ndjson  --out DIR [--patients N] [--seed S] [--today YYYY-MM-DD]
 *   DemoDataCli synthea --in SYNTHEA_DIR --out DIR [--seed S]
 * </pre>
 * {@code bundles} writes {@code trust.json} and one transaction per patient; {@code ndjson} writes one
 * {@code <ResourceType>.ndjson} per type; {@code synthea} adapts a folder of Synthea bundles. Defaults: 1,000
 * patients, seed 1, today = {@link PopulationSpec#DEFAULT_TODAY}.
 */
public final class DemoDataCli {

    private DemoDataCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(usage());
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("Unexpected argument: " + args[i]);
                err.println(usage());
                return 2;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        if (!options.containsKey("out")) {
            err.println("--out is required");
            return 2;
        }
        Path dir = Path.of(options.get("out"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));
        int patients = Integer.parseInt(options.getOrDefault("patients", "1000"));
        LocalDate today = options.containsKey("today") ? LocalDate.parse(options.get("today"))
                : PopulationSpec.DEFAULT_TODAY;
        PopulationSpec spec = new PopulationSpec(patients, seed, today);
        TrustShape trust = new TrustShapeGenerator().generate();
        long started = System.nanoTime();
        switch (args[0]) {
            case "bundles" -> {
                int written = new BundleWriter(trust).writeBundles(dir, spec);
                report(out, written + " patient bundles and trust.json", written, started);
            }
            case "ndjson" -> {
                NdjsonExport export = new NdjsonWriter(trust).writeNdjson(dir, spec);
                report(out, export.totalResources() + " resources in " + export.resourceCounts().size()
                        + " NDJSON files", export.patients(), started);
                export.resourceCounts().forEach((type, n) -> out.printf("  %-20s %,d%n", type, n));
            }
            case "synthea" -> {
                if (!options.containsKey("in")) {
                    err.println("--in is required for synthea");
                    return 2;
                }
                int written = new SyntheaAdapter(trust, seed).adaptFolder(Path.of(options.get("in")), dir);
                report(out, written + " adapted Synthea bundles", written, started);
            }
            default -> {
                err.println("Unknown command: " + args[0]);
                err.println(usage());
                return 2;
            }
        }
        return 0;
    }

    private static void report(PrintStream out, String what, int patients, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("Wrote %s in %.1f s (%.0f patients/s)%n", what, seconds, patients / Math.max(seconds, 1e-9));
    }

    private static String usage() {
        return """
                Usage:
                  DemoDataCli bundles --out DIR [--patients N] [--seed S] [--today YYYY-MM-DD]
                  DemoDataCli ndjson  --out DIR [--patients N] [--seed S] [--today YYYY-MM-DD]
                  DemoDataCli synthea --in SYNTHEA_DIR --out DIR [--seed S]""";
    }
}
