package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The profiles and extension definitions of the loaded packages (and R4's own), each compiled the
 * first time it is needed and kept: snapshot generation and compilation cost milliseconds per
 * definition, a walk against the result microseconds. Thread-safe.
 */
final class CompiledProfiles {
    private static final Logger log = LoggerFactory.getLogger(CompiledProfiles.class);

    final R4Definitions r4;
    final ConformancePackages packages;
    private final ProfileCompiler compiler;
    private final UcumUnits ucum = new UcumUnits();
    private final Map<String, Optional<CompiledProfile>> compiled = new ConcurrentHashMap<>();

    CompiledProfiles(R4Definitions r4, List<String> packageLocations) {
        this.r4 = r4;
        this.packages = new ConformancePackages(r4, packageLocations);
        this.compiler = new ProfileCompiler(r4, packages);
    }

    /** The compiled profile (or extension definition) with this URL; null when no package or R4 defines it as a constraint. */
    CompiledProfile profile(String url) {
        if (url == null) {
            return null;
        }
        String key = Terminology.withoutVersion(url);
        Optional<CompiledProfile> found = compiled.get(key);
        if (found == null) {
            found = compile(key);
            if (found.isPresent() || compiled.size() < 10_000) {
                compiled.put(key, found);
            }
        }
        return found.orElse(null);
    }

    /** The compiled definition of an extension by its URL; null when unknown. */
    CompiledProfile extension(String url) {
        CompiledProfile profile = profile(url);
        return profile != null && "Extension".equals(profile.type()) ? profile : null;
    }

    Terminology terminology() {
        return packages.terminology;
    }

    UcumUnits ucum() {
        return ucum;
    }

    /** True for a profile a resource can claim: a constraint on a type, from a package or R4. */
    boolean knows(String url) {
        return profile(url) != null;
    }

    /** Compiles every profile and extension definition of the loaded packages now. */
    void compileAll() {
        long started = System.nanoTime();
        for (String url : packages.packageProfiles()) {
            profile(url);
        }
        log.info("Compiled {} profiles and extensions in {} ms", packages.packageProfiles().size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Every compiled definition that falls back to HAPI's instance validator, with the rules that could not be compiled. */
    Map<String, List<String>> fallbacks() {
        Map<String, List<String>> found = new TreeMap<>();
        compiled.values().forEach(profile -> profile.filter(p -> !p.compiled())
                .ifPresent(p -> found.put(p.url(), p.fallbacks())));
        return found;
    }

    /**
     * One compilation at a time: the definitions are HAPI model objects shared with other
     * validators, and HAPI's getters are not safe to call from several threads at once.
     */
    private synchronized Optional<CompiledProfile> compile(String url) {
        Optional<CompiledProfile> done = compiled.get(url);
        if (done != null) {
            return done;
        }
        Optional<StructureDefinition> definition = packages.definition(url);
        if (definition.isEmpty() || definition.get().getDerivation() != TypeDerivationRule.CONSTRAINT) {
            return Optional.empty();
        }
        CompiledProfile profile = compiler.compile(definition.get());
        if (!profile.compiled()) {
            log.info("The profile {} is checked by HAPI's instance validator: {}", url, profile.fallbacks());
        }
        return Optional.of(profile);
    }
}
