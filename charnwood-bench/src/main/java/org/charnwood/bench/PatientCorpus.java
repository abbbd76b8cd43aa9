package org.charnwood.bench;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.demo.BundleWriter;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.function.Function;

/**
 * The demo generator's transaction bundles, encoded to JSON before any clock starts, so what is timed is the
 * server (or the database), not generation or encoding. Encoding runs on all cores; every patient is
 * independent of the others, so order and output are the same as a sequential run.
 */
final class PatientCorpus {

    /** One patient's transaction bundle as JSON, and how many resources it carries. */
    record EncodedBundle(String json, int resources) {
    }

    /** One resource as JSON and its type, as a raw table stores it. */
    record TypedJson(String type, String json) {
    }

    private final BundleWriter writer = BundleWriter.forStandardTrust();

    String trustTransaction() {
        return parser().encodeResourceToString(writer.trustBundle());
    }

    int trustResources() {
        return writer.trust().resources().size();
    }

    /**
     * Each patient's transaction bundle, encoded. With {@code conditional} false the Patient entries lose their
     * {@code ifNoneExist}, for measuring a server that cannot yet search by identifier.
     */
    List<EncodedBundle> transactions(int patients, long seed, boolean conditional) {
        return encode(patients, seed, bundle -> {
            if (!conditional) {
                bundle.getEntry().forEach(e -> e.getRequest().setIfNoneExist(null));
            }
            return new EncodedBundle(parser().encodeResourceToString(bundle), bundle.getEntry().size());
        });
    }

    /** The resources of the same bundles, each encoded on its own, one list per bundle. */
    List<List<TypedJson>> resources(int patients, long seed) {
        return encode(patients, seed, bundle -> {
            IParser parser = parser();
            return bundle.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .map((Resource r) -> new TypedJson(r.fhirType(), parser.encodeResourceToString(r)))
                    .toList();
        });
    }

    private <T> List<T> encode(int patients, long seed, Function<Bundle, T> encoding) {
        return writer.patientBundles(patients, seed).parallel().map(encoding).toList();
    }

    private static IParser parser() {
        // Parsers are cheap to make and not thread-safe: one per use.
        return FhirContexts.r4().newJsonParser().setPrettyPrint(false);
    }
}
