package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The validator the repository runs on every write. Base R4 always (fast, see
 * {@link BaseR4Validator}); then, only for resources that claim a known profile in
 * {@code meta.profile} or whose type has an enforced profile, profile validation: the compiled
 * rules of {@link CompiledProfileValidator}, or HAPI's instance validator ({@link ProfileValidator})
 * when the settings ask for deep validation. A claimed profile the repository does not know is reported as a
 * warning and not checked: refusing it would stop partners sending resources that also claim
 * their own or other nations' profiles, and accepting it silently would hide that nothing was
 * checked. Thread-safe.
 */
public final class RepositoryValidator implements ResourceValidator {
    private static final String CORE_DEFINITION = "http://hl7.org/fhir/StructureDefinition/";

    private final ValidationSettings settings;
    private final BaseR4Validator base;
    private final ProfileConformance profiles;

    /**
     * The validator the application constructs once and hands to the repository.
     *
     * @param settings enforced profiles per resource type; {@link ValidationSettings#defaults()} for none
     * @param base     base R4 validation, normally {@code new BaseR4Validator()}
     * @param profiles profile validation, normally {@link CompiledProfileValidator#ukCore()} (or
     *                 {@link ProfileValidator#ukCore()} for deep validation); slow to build (packages
     *                 are read and indexed), so build it once
     * @throws IllegalArgumentException when an enforced profile is not one {@code profiles} knows,
     *                                  since a misconfiguration must not silently check nothing
     */
    public RepositoryValidator(ValidationSettings settings, BaseR4Validator base, ProfileConformance profiles) {
        this.settings = settings;
        // A modifier extension a loaded package defines is understood; any other is refused by base validation.
        this.base = base.knowingModifierExtensions(profiles::knowsModifierExtension);
        this.profiles = profiles;
        settings.enforcedProfiles().forEach((type, profile) -> {
            if (!profiles.knows(profile)) {
                throw new IllegalArgumentException("The profile " + profile + " enforced for " + type
                        + " is not in any loaded FHIR package");
            }
        });
    }

    /**
     * Base R4 plus UK Core 2.0.2 for resources that claim it, with the given enforced profiles;
     * compiled profile rules unless the settings ask for deep validation.
     */
    public RepositoryValidator(ValidationSettings settings) {
        this(settings, new BaseR4Validator(),
                settings.deepProfileValidation() ? ProfileValidator.ukCore() : CompiledProfileValidator.ukCore());
    }

    /**
     * The profiles a resource of this type may claim from the loaded packages (UK Core's), each checked when claimed;
     * the enforced profile, if any, is among them.
     */
    public List<String> supportedProfiles(String type) {
        return profiles.packageProfilesByType().getOrDefault(type, List.of());
    }

    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>(base.validate(resource));
        if (hasErrors(issues)) {
            // A resource that breaks base R4 is refused already; profile messages would only repeat it.
            return issues;
        }
        Set<String> known = new LinkedHashSet<>();
        collectClaims(resource, known, issues, resource.fhirType());
        String enforced = settings.enforcedProfile(resource.fhirType());
        if (enforced != null || !known.isEmpty()) {
            issues.addAll(profiles.validate(resource, enforced == null ? List.of() : List.of(enforced)));
        }
        return issues;
    }

    /**
     * The profiles claimed by the resource and by every resource inside it (contained, bundle entries, parameters),
     * since the profile walk checks each against its own claims: a contained UK Core Patient is held to UK Core
     * although the Observation holding it claims nothing.
     */
    private void collectClaims(Resource resource, Set<String> known, List<OperationOutcomeIssueComponent> issues,
                               String path) {
        ownClaims(resource, known, issues, path);
        if (resource instanceof DomainResource domain) {
            for (int i = 0; i < domain.getContained().size(); i++) {
                collectClaims(domain.getContained().get(i), known, issues, path + ".contained[" + i + "]");
            }
        }
        if (resource instanceof Bundle bundle) {
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                Resource entry = bundle.getEntry().get(i).getResource();
                if (entry != null) {
                    collectClaims(entry, known, issues, path + ".entry[" + i + "].resource");
                }
            }
        }
        if (resource instanceof Parameters parameters) {
            parameterClaims(parameters.getParameter(), known, issues, path + ".parameter");
        }
    }

    private void parameterClaims(List<Parameters.ParametersParameterComponent> parameters, Set<String> known,
                                 List<OperationOutcomeIssueComponent> issues, String path) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameters.ParametersParameterComponent parameter = parameters.get(i);
            if (parameter.getResource() != null) {
                collectClaims(parameter.getResource(), known, issues, path + "[" + i + "].resource");
            }
            parameterClaims(parameter.getPart(), known, issues, path + "[" + i + "].part");
        }
    }

    private void ownClaims(Resource resource, Set<String> known, List<OperationOutcomeIssueComponent> issues,
                           String path) {
        if (!resource.hasMeta()) {
            return;
        }
        List<CanonicalType> claimed = resource.getMeta().getProfile();
        for (int i = 0; i < claimed.size(); i++) {
            String profile = claimed.get(i).getValue();
            if (profile == null || isBaseDefinition(profile, resource.fhirType())) {
                continue;
            }
            if (profiles.knows(profile)) {
                known.add(profile);
            } else {
                issues.add(FhirException.issue(IssueSeverity.WARNING, ErrorCode.UNKNOWN_PROFILE,
                        IssueType.NOTSUPPORTED, "The profile " + profile + " is not known to this server, so the "
                                + "resource was not checked against it", path + ".meta.profile[" + i + "]"));
            }
        }
    }

    /** Claiming the base definition of the resource's own type adds nothing to base validation. */
    private static boolean isBaseDefinition(String profile, String type) {
        return Terminology.withoutVersion(profile).equals(CORE_DEFINITION + type);
    }

    private static boolean hasErrors(List<OperationOutcomeIssueComponent> issues) {
        for (OperationOutcomeIssueComponent issue : issues) {
            if (issue.getSeverity() == IssueSeverity.ERROR || issue.getSeverity() == IssueSeverity.FATAL) {
                return true;
            }
        }
        return false;
    }
}
