package org.charnwood.app.demo;

import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.PopulationSpec;
import org.charnwood.demo.TrustShape;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads the synthetic trust (services, sites, wards and beds, teams, staff) and a population of
 * synthetic patients of Leicester, Leicestershire and Rutland on first start, through the same
 * transaction-bundle path a partner system uses. Runs only with {@code charnwood.demo.enabled}
 * (the {@code demo} profile); a database that already holds the trust is left as it is.
 */
@Component
@ConditionalOnProperty(name = "charnwood.demo.enabled", havingValue = "true")
class DemoDataLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

    private final FhirRepository repository;
    private final DemoDataSettings settings;
    private final Clock clock;

    DemoDataLoader(FhirRepository repository, DemoDataSettings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (alreadyLoaded()) {
            log.info("Demo data already present; not loading it again");
            return;
        }
        long start = System.nanoTime();
        BundleWriter writer = BundleWriter.forStandardTrust();
        BundleProcessor bundles = new BundleProcessor(repository);
        bundles.process(writer.trustBundle(), ReturnPreference.MINIMAL);
        AtomicInteger resources = new AtomicInteger(writer.trust().resources().size());
        PopulationSpec spec = new PopulationSpec(settings.patients(), settings.seed(), LocalDate.now(clock));
        writer.patientBundles(spec).forEach(bundle -> {
            resources.addAndGet(bundle.getEntry().size());
            bundles.process(bundle, ReturnPreference.MINIMAL);
        });
        log.info("Loaded demo data: {} patients, {} resources in {} ms", settings.patients(), resources.get(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private boolean alreadyLoaded() {
        try {
            repository.read("Organization", TrustShape.TRUST_ORGANIZATION_ID);
            return true;
        } catch (FhirException e) {
            return false;
        }
    }
}
