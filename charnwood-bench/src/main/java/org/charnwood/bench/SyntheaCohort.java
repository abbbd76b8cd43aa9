package org.charnwood.bench;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.bench.PatientCorpus.EncodedBundle;
import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.NhsNumber;
import org.charnwood.demo.SyntheaAdapter;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Transaction bundles of Synthea patients for ingest at the foundation's scale: a few hundred patients of
 * Synthea's shape (years of encounters, observations and medication each), several hundred thousand resources.
 *
 * <p>The folder's bundles are each made English once ({@link SyntheaAdapter}) and encoded; patient {@code i} is
 * then bundle {@code i mod n} with its NHS number (in the Patient's identifier and the entry's
 * {@code ifNoneExist}) replaced by one of its own, so every copy creates a new patient. Copies are made as the
 * senders ask for them, one text replacement each, so a few hundred copies of bundles of megabytes never sit
 * in memory together and the load generator spends next to no CPU on them while the clock runs.
 */
final class SyntheaCohort {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    /** The adapter's seed: the NHS numbers of the generated patients' seeds never meet these. */
    private static final long SEED = 11;
    /** Copies take NHS numbers after the adapter's own, which the sources hold. */
    private static final int FIRST_COPY = SyntheaAdapter.FIRST_NHS_INDEX + 10_000;

    private record Source(String json, String nhsNumber, int resources) {
    }

    private final List<Source> sources;

    private SyntheaCohort(List<Source> sources) {
        this.sources = sources;
    }

    /** Reads and adapts every {@code *.json.gz} or {@code *.json} bundle of {@code dir}, by file name. */
    static SyntheaCohort read(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".json.gz") || p.toString().endsWith(".json"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new BenchFailure("no Synthea bundle (*.json.gz) in " + dir);
        }
        IParser parser = FhirContexts.r4().newJsonParser();
        SyntheaAdapter adapter = new SyntheaAdapter(BundleWriter.forStandardTrust().trust(), SEED);
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Bundle bundle;
            try (InputStream file = Files.newInputStream(files.get(i));
                 InputStream in = files.get(i).toString().endsWith(".gz") ? new GZIPInputStream(file) : file) {
                bundle = parser.parseResource(Bundle.class, in);
            }
            adapter.adapt(bundle, i);
            String nhsNumber = nhsNumberOf(bundle);
            if (nhsNumber == null) {
                throw new BenchFailure(files.get(i).getFileName() + " holds no Patient");
            }
            String json = parser.encodeResourceToString(bundle);
            if (!json.contains(identifier(nhsNumber)) || !json.contains(ifNoneExist(nhsNumber))) {
                throw new BenchFailure(files.get(i).getFileName() + ": the NHS number is not where copies replace it");
            }
            sources.add(new Source(json, nhsNumber, bundle.getEntry().size()));
        }
        return new SyntheaCohort(sources);
    }

    int sources() {
        return sources.size();
    }

    /** {@code patients} bundles, each made when it is asked for. */
    List<EncodedBundle> transactions(int patients) {
        return new AbstractList<>() {
            @Override
            public EncodedBundle get(int i) {
                Source source = sources.get(i % sources.size());
                String own = NhsNumber.testNumber(SEED, FIRST_COPY + i).value();
                String json = source.json()
                        .replace(identifier(source.nhsNumber()), identifier(own))
                        .replace(ifNoneExist(source.nhsNumber()), ifNoneExist(own));
                return new EncodedBundle(json, source.resources());
            }

            @Override
            public int size() {
                return patients;
            }
        };
    }

    /** How many resources {@code patients} copies carry, without making them. */
    long resources(int patients) {
        long total = 0;
        for (int i = 0; i < patients; i++) {
            total += sources.get(i % sources.size()).resources();
        }
        return total;
    }

    /** The NHS number as the Patient's identifier is encoded. */
    private static String identifier(String nhsNumber) {
        return "\"system\":\"" + NHS + "\",\"value\":\"" + nhsNumber + "\"";
    }

    /** The NHS number as the Patient entry's {@code ifNoneExist} is encoded. */
    private static String ifNoneExist(String nhsNumber) {
        return NHS + "|" + nhsNumber + "\"";
    }

    private static String nhsNumberOf(Bundle bundle) {
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            if (e.getResource() instanceof Patient p) {
                for (Identifier id : p.getIdentifier()) {
                    if (NHS.equals(id.getSystem())) {
                        return id.getValue();
                    }
                }
            }
        }
        return null;
    }
}
