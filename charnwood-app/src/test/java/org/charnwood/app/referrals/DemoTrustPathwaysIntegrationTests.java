package org.charnwood.app.referrals;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.demo.BundleWriter;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.hl7.fhir.r4.model.HealthcareService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped pathways loaded over the demo trust, as the demo profile starts: after the demo data. */
class DemoTrustPathwaysIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    PathwayLoader loader;

    @Autowired
    ServiceDirectory directory;

    @Autowired
    FhirRepository repository;

    @Test
    void theDemoTrustsServicesGainTheirDirectoryDetailsAndEveryPathwayLoadsOnce() {
        // As the demo loader does it: the trust's directory through the transaction-bundle path.
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(), ReturnPreference.MINIMAL);

        assertThat(loader.loadShipped()).isEqualTo(PathwayLoader.shipped().size());

        HealthcareService service = http.get("/fhir/HealthcareService/district-nursing").resource(HealthcareService.class);
        assertThat(service.getProvidedBy().getReference()).isEqualTo("Organization/trust-r9c");
        assertThat(service.getAvailableTime()).isNotEmpty();
        var entry = directory.find("district-nursing").orElseThrow();
        assertThat(entry.hours()).containsExactly("Every day, 24 hours");
        assertThat(entry.locations()).isNotEmpty().allSatisfy(l -> assertThat(l).contains(", "));
        assertThat(loader.loadShipped()).as("loading again changes nothing").isZero();
    }
}
