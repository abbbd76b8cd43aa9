package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Demo data as FHIR R4 transaction Bundles: one for the trust's directory (PUTs with stable ids, load it first)
 * and one per patient (POSTs with {@code urn:uuid} fullUrls, the Patient made conditional on its NHS number so
 * a bundle loaded twice does not duplicate the person).
 */
public final class BundleWriter {

    private final TrustShape trust;

    public BundleWriter(TrustShape trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** A writer over the standard trust directory. */
    public static BundleWriter forStandardTrust() {
        return new BundleWriter(new TrustShapeGenerator().generate());
    }

    public TrustShape trust() {
        return trust;
    }

    /** The trust directory as a transaction of PUTs. */
    public Bundle trustBundle() {
        return trust.transaction();
    }

    /** Patient transaction bundles for {@code count} patients of dataset {@code seed}, generated lazily. */
    public Stream<Bundle> patientBundles(int count, long seed) {
        return patientBundles(PopulationSpec.of(count, seed));
    }

    public Stream<Bundle> patientBundles(PopulationSpec spec) {
        PopulationGenerator generator = new PopulationGenerator(trust, spec);
        return generator.patients(spec.count(), ReferenceStyle.TRANSACTION).map(BundleWriter::transaction);
    }

    /**
     * One patient's record as a transaction; the record must have been generated with
     * {@link ReferenceStyle#TRANSACTION}. The record is consumed: its resources go into the bundle as they are
     * and lose their ids, which the fullUrls now carry.
     */
    public static Bundle transaction(PatientRecord record) {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        for (Resource resource : record.resources()) {
            String id = resource.getIdElement().getIdPart();
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(resource);
            // The server assigns ids to POSTed resources; the fullUrl alone carries the link between entries.
            resource.setId((String) null);
            entry.getRequest().setMethod(HTTPVerb.POST).setUrl(resource.fhirType());
            if (resource instanceof Patient) {
                entry.getRequest().setIfNoneExist("identifier=" + UkCore.NHS_NUMBER_SYSTEM + "|"
                        + record.nhsNumber().value());
            }
        }
        return bundle;
    }

    /**
     * Writes {@code trust.json} and one {@code patient-<nnnnnn>.json} per patient into {@code dir}, streaming:
     * only one patient is in memory at a time. Returns the number of patient bundles written.
     */
    public int writeBundles(Path dir, PopulationSpec spec) {
        IParser parser = FhirContexts.r4().newJsonParser();
        try {
            Files.createDirectories(dir);
            write(parser, trustBundle(), dir.resolve("trust.json"));
            Iterator<Bundle> bundles = patientBundles(spec).iterator();
            int n = 0;
            while (bundles.hasNext()) {
                write(parser, bundles.next(), dir.resolve(String.format("patient-%06d.json", n)));
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(IParser parser, Bundle bundle, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            parser.encodeResourceToWriter(bundle, out);
        }
    }
}
