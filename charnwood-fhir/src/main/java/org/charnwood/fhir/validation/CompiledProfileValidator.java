package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Profile validation fast enough for every write (tens of microseconds where HAPI's instance
 * validator takes milliseconds): each profile's snapshot is compiled once into rules (see
 * {@link ProfileCompiler}) and a resource is checked in one walk (see {@link ProfileWalk}). A
 * profile with rules that cannot be compiled is checked by HAPI's instance validator instead, for
 * that profile only; {@link #fallbacks()} lists which and why. Thread-safe.
 */
public final class CompiledProfileValidator implements ProfileConformance {
    private static volatile CompiledProfileValidator ukCore;

    private final CompiledProfiles profiles;
    private final List<String> packages;
    /** HAPI's validator for profiles that are not compiled; built the first time one is claimed. */
    private volatile ProfileValidator deep;

    /**
     * @param packages classpath locations of FHIR NPM packages ({@code classpath:...tgz}) whose
     *                 profiles, extensions, value sets and code systems are to be known
     */
    public CompiledProfileValidator(List<String> packages) {
        this(R4Definitions.shared(), packages);
    }

    CompiledProfileValidator(R4Definitions definitions, List<String> packages) {
        this.packages = List.copyOf(packages);
        this.profiles = new CompiledProfiles(definitions, this.packages);
    }

    /**
     * The UK Core 2.0.2 profiles. One instance per process: it holds nothing but compiled
     * definitions, so every repository can share it.
     */
    public static CompiledProfileValidator ukCore() {
        CompiledProfileValidator v = ukCore;
        if (v == null) {
            synchronized (CompiledProfileValidator.class) {
                v = ukCore;
                if (v == null) {
                    v = new CompiledProfileValidator(List.of(ProfileValidator.UK_CORE_PACKAGE));
                    ukCore = v;
                }
            }
        }
        return v;
    }

    @Override
    public boolean knows(String profileUrl) {
        return profiles.knows(profileUrl);
    }

    @Override
    public Map<String, List<String>> packageProfilesByType() {
        Map<String, List<String>> byType = new java.util.TreeMap<>();
        for (String url : profiles.packages.packageProfiles()) {
            CompiledProfile profile = profiles.profile(url);
            if (profile != null && profiles.r4.type(profile.type()) != null
                    && profiles.r4.type(profile.type()).resource) {
                byType.computeIfAbsent(profile.type(), t -> new ArrayList<>()).add(profile.url());
            }
        }
        byType.values().forEach(java.util.Collections::sort);
        return byType;
    }

    @Override
    public boolean knowsModifierExtension(String url) {
        CompiledProfile definition = profiles.extension(url);
        return definition != null && definition.modifier();
    }

    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource, Collection<String> required) {
        List<CompiledProfile> extra = new ArrayList<>();
        for (String url : required) {
            CompiledProfile profile = profiles.profile(url);
            if (profile != null && !(resource.hasMeta() && resource.getMeta().hasProfile(url))) {
                extra.add(profile);
            }
        }
        Findings findings = new Findings();
        ProfileWalk walk = new ProfileWalk(profiles, profiles.r4, findings);
        walk.run(resource, extra);
        List<OperationOutcomeIssueComponent> issues = findings.issues();
        for (ProfileWalk.Fallback fallback : walk.fallbacks()) {
            issues.addAll(deepCheck(fallback));
        }
        return issues;
    }

    /** HAPI's verdict on one resource against one profile, with paths made relative to where the resource is. */
    private List<OperationOutcomeIssueComponent> deepCheck(ProfileWalk.Fallback fallback) {
        List<OperationOutcomeIssueComponent> issues = deep().validateAgainst(fallback.resource(), fallback.profile());
        String type = fallback.resource().fhirType();
        for (OperationOutcomeIssueComponent issue : issues) {
            for (StringType expression : issue.getExpression()) {
                String value = expression.getValue();
                if (value != null && value.startsWith(type) && !fallback.path().equals(type)) {
                    expression.setValue(fallback.path() + value.substring(type.length()));
                }
            }
        }
        return issues;
    }

    private ProfileValidator deep() {
        ProfileValidator v = deep;
        if (v == null) {
            synchronized (this) {
                v = deep;
                if (v == null) {
                    v = new ProfileValidator(packages);
                    deep = v;
                }
            }
        }
        return v;
    }

    /** Compiles every profile and extension of the packages now (a few seconds), so the first write does not wait. */
    @Override
    public void warmUp() {
        profiles.compileAll();
    }

    /**
     * The profiles compiled so far (all of the packages' after {@link #warmUp()}) that are checked by
     * HAPI's instance validator instead, each with the rules that could not be compiled.
     */
    public Map<String, List<String>> fallbacks() {
        return profiles.fallbacks();
    }
}
