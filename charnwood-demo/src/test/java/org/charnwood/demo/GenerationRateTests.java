package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Measures how fast demo data is made, so the benchmark harness can rely on generating it on the fly. */
class GenerationRateTests {

    private static final TrustShape TRUST = new TrustShapeGenerator().generate();

    @Test
    void generatesAThousandPatientBundlesInSeconds() {
        BundleWriter writer = new BundleWriter(TRUST);
        writer.patientBundles(100, 99).forEach(b -> { });
        long started = System.nanoTime();
        AtomicLong entries = new AtomicLong();
        writer.patientBundles(1_000, 1).forEach(bundle -> entries.addAndGet(bundle.getEntry().size()));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Generated 1,000 patient bundles (%,d resources) in %.2f s: %.0f patients/s, %.0f resources/s%n",
                entries.get(), seconds, 1_000 / seconds, entries.get() / seconds);
        assertThat(seconds).isLessThan(20);
    }

    @Test
    void generatesAndEncodesAThousandPatientBundlesInSeconds() {
        BundleWriter writer = new BundleWriter(TRUST);
        IParser parser = FhirContexts.r4().newJsonParser();
        long started = System.nanoTime();
        AtomicLong bytes = new AtomicLong();
        writer.patientBundles(1_000, 1).forEach(bundle -> bytes.addAndGet(parser.encodeResourceToString(bundle).length()));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Generated and encoded 1,000 patient bundles (%,d MB JSON) in %.2f s: %.0f patients/s%n",
                bytes.get() / 1_000_000, seconds, 1_000 / seconds);
        assertThat(seconds).isLessThan(30);
    }

    @Test
    void writesAThousandPatientsAsNdjsonInSeconds(@TempDir Path dir) {
        long started = System.nanoTime();
        NdjsonExport export = new NdjsonWriter(TRUST).writeNdjson(dir, 1_000, 1);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Wrote 1,000 patients as NDJSON (%,d resources) in %.2f s: %.0f patients/s%n",
                export.totalResources(), seconds, 1_000 / seconds);
        assertThat(seconds).isLessThan(30);
    }
}
