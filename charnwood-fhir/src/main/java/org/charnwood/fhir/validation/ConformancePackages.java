package org.charnwood.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance resources profile validation works from: those of the loaded FHIR packages
 * (UK Core) on top of R4's own. Package StructureDefinitions may carry a differential only, so
 * snapshots are generated with HAPI's snapshot generator the first time a definition is asked for,
 * and kept. Terminology covers the packages' code systems and value sets as well as R4's.
 */
final class ConformancePackages {
    private static final int REMEMBERED_UNKNOWN = 10_000;

    final FhirContext context;
    final IValidationSupport support;
    final Terminology terminology;
    private final List<String> packageProfiles = new ArrayList<>();
    private final Map<String, Optional<StructureDefinition>> snapshots = new ConcurrentHashMap<>();

    /** The FHIR NPM packages at the given classpath locations, as HAPI validation support. */
    static NpmPackageValidationSupport load(FhirContext context, List<String> packages) {
        NpmPackageValidationSupport npm = new NpmPackageValidationSupport(context);
        for (String location : packages) {
            try {
                npm.loadPackageFromClasspath(location);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot load the FHIR package " + location, e);
            }
        }
        return npm;
    }

    ConformancePackages(R4Definitions r4, List<String> packages) {
        this.context = r4.context;
        NpmPackageValidationSupport npm = load(context, packages);
        for (Object sd : npm.fetchAllStructureDefinitions()) {
            if (sd instanceof StructureDefinition definition && definition.getDerivation() == TypeDerivationRule.CONSTRAINT) {
                packageProfiles.add(definition.getUrl());
            }
        }
        // One worker context for every snapshot: left to itself, the generator builds a new one per
        // definition, which is most of the cost of generating a snapshot.
        WorkerContextValidationSupportAdapter worker = new WorkerContextValidationSupportAdapter();
        ValidationSupportChain chain = new ValidationSupportChain(npm, r4.support,
                new SnapshotGeneratingValidationSupport(context, worker));
        worker.setValidationSupport(chain);
        this.support = chain;
        this.terminology = new Terminology(support);
    }

    /** The profiles and extension definitions the loaded packages define (not R4's own). */
    List<String> packageProfiles() {
        return packageProfiles;
    }

    /** The definition with this canonical URL (version ignored), with a snapshot; empty when unknown. */
    Optional<StructureDefinition> definition(String url) {
        String key = Terminology.withoutVersion(url);
        Optional<StructureDefinition> found = snapshots.get(key);
        if (found == null) {
            // Generating a snapshot reads other definitions through the chain; one at a time keeps it simple.
            synchronized (this) {
                found = snapshots.get(key);
                if (found == null) {
                    found = load(key);
                    // Claimed profile URLs come from senders: unknown ones are only remembered up to a point.
                    if (found.isPresent() || snapshots.size() < REMEMBERED_UNKNOWN) {
                        snapshots.put(key, found);
                    }
                }
            }
        }
        return found;
    }

    private Optional<StructureDefinition> load(String url) {
        if (!(support.fetchStructureDefinition(url) instanceof StructureDefinition sd)) {
            return Optional.empty();
        }
        if (sd.hasSnapshot()) {
            return Optional.of(sd);
        }
        StructureDefinition copy = sd.copy();
        Object generated = support.generateSnapshot(new ValidationSupportContext(support), copy, url, null, sd.getName());
        return generated instanceof StructureDefinition withSnapshot && withSnapshot.hasSnapshot()
                ? Optional.of(withSnapshot) : Optional.empty();
    }
}
