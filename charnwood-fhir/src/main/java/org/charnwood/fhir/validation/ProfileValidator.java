package org.charnwood.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates resources against profiles (UK Core, by default) with HAPI's full instance validator.
 * It is thorough but costs milliseconds per resource, so it runs only for resources that claim
 * or must meet a profile; base R4 rules are {@link BaseR4Validator}'s job. Code systems the
 * repository cannot check locally (SNOMED CT, dm+d, LOINC) give warnings, never errors: a valid
 * resource must not be refused because a terminology server is out of reach. Thread-safe.
 */
public final class ProfileValidator implements ProfileConformance {

    /** The UK Core package on the classpath, as shipped in {@code fhir-packages/}. */
    public static final String UK_CORE_PACKAGE = "classpath:fhir-packages/fhir.r4.ukcore.stu2-2.0.2.tgz";

    private final FhirContext context;
    private final ValidationSupportChain support;
    private final FhirValidator validator;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    /** For reading the codes at the location of a terminology message. */
    private final ThreadLocal<FHIRPathEngine> paths;

    /**
     * @param packages classpath locations of FHIR NPM packages ({@code classpath:...tgz}) whose
     *                 profiles, extensions, value sets and code systems are to be known
     */
    public ProfileValidator(List<String> packages) {
        this(R4Definitions.shared(), packages);
    }

    ProfileValidator(R4Definitions definitions, List<String> packages) {
        this.context = definitions.context;
        NpmPackageValidationSupport npm = ConformancePackages.load(context, packages);
        UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(context);
        unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        this.support = new ValidationSupportChain(
                npm,
                definitions.support,
                new CommonCodeSystemsTerminologyService(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context),
                unknownSystems);
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(support);
        instanceValidator.setAnyExtensionsAllowed(true);
        // Unknown profiles are reported by RepositoryValidator as warnings; here they are ignored.
        instanceValidator.setErrorForUnknownProfiles(false);
        // References are checked against the database by the write session, not guessed at here.
        instanceValidator.setAssumeValidRestReferences(true);
        this.validator = context.newValidator().registerValidatorModule(instanceValidator);
        HapiWorkerContext worker = new HapiWorkerContext(context, support);
        this.paths = ThreadLocal.withInitial(() -> new FHIRPathEngine(worker));
    }

    /** The UK Core 2.0.2 profiles. */
    public static ProfileValidator ukCore() {
        return new ProfileValidator(List.of(UK_CORE_PACKAGE));
    }

    /**
     * True when the profile is one this validator can check: a constraint (not a base resource
     * definition, which the base validator covers) from a loaded package or from R4 itself.
     */
    @Override
    public boolean knows(String profileUrl) {
        // Asked for every claimed profile of every resource written, so the answer is remembered
        // (unknown URLs, which come from senders, only up to a point).
        String url = Terminology.withoutVersion(profileUrl);
        Boolean answer = known.get(url);
        if (answer == null) {
            answer = support.fetchStructureDefinition(url) instanceof StructureDefinition sd
                    && sd.getDerivation() == TypeDerivationRule.CONSTRAINT;
            if (answer || known.size() < 10_000) {
                known.put(url, answer);
            }
        }
        return answer;
    }

    @Override
    public boolean knowsModifierExtension(String url) {
        if (!(support.fetchStructureDefinition(Terminology.withoutVersion(url)) instanceof StructureDefinition sd)
                || !"Extension".equals(sd.getType())) {
            return false;
        }
        // A package's definitions may be differentials only: the root element says it either way.
        var elements = sd.hasSnapshot() ? sd.getSnapshot().getElement() : sd.getDifferential().getElement();
        return elements.stream().filter(e -> "Extension".equals(e.getPath())).findFirst()
                .map(org.hl7.fhir.r4.model.ElementDefinition::getIsModifier).orElse(false);
    }

    /**
     * Validates against the profiles the resource claims in {@code meta.profile} and, in
     * addition, {@code required}. Each issue's expression is the FHIRPath of the element at fault.
     */
    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource, Collection<String> required) {
        ValidationOptions options = new ValidationOptions();
        for (String profile : required) {
            if (!resource.getMeta().hasProfile(profile)) {
                options.addProfile(profile);
            }
        }
        return issues(resource, validator.validateWithResult(resource, options));
    }

    /**
     * Validates against this one profile only, whatever the resource claims: for profiles the
     * compiled validator falls back on. The claims are taken off a copy so they are not checked twice.
     */
    List<OperationOutcomeIssueComponent> validateAgainst(Resource resource, String profile) {
        Resource copy = resource.copy();
        copy.getMeta().getProfile().clear();
        ValidationOptions options = new ValidationOptions();
        options.addProfile(profile);
        return issues(copy, validator.validateWithResult(copy, options));
    }

    private List<OperationOutcomeIssueComponent> issues(Resource resource, ValidationResult result) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        for (SingleValidationMessage message : result.getMessages()) {
            IssueSeverity severity = severity(message.getSeverity());
            if (severity == null || isNarrativeAdvice(message)) {
                continue;
            }
            String text = message.getMessage();
            if (severity == IssueSeverity.ERROR && isTerminologyMessage(message)
                    && !locallyVerifiable(resource, message.getLocationString())) {
                // The codes there come from terminology we do not hold in full (SNOMED CT, BCP-47
                // languages, dm+d...): HAPI's partial lists cannot prove them wrong.
                severity = IssueSeverity.WARNING;
                text = text + " (not checked: the code system is not available to this server in full)";
            }
            issues.add(FhirException.issue(severity, ErrorCode.PROFILE_NOT_MET, IssueType.PROCESSING,
                    text, message.getLocationString()));
        }
        return issues;
    }

    /** dom-6 (should have a narrative) is left out here for the reason the base validator leaves it out. */
    private static boolean isNarrativeAdvice(SingleValidationMessage message) {
        return message.getMessageId() != null && message.getMessageId().endsWith("#dom-6");
    }

    private static boolean isTerminologyMessage(SingleValidationMessage message) {
        String id = message.getMessageId();
        return id != null && id.regionMatches(true, 0, "Terminology_", 0, "Terminology_".length());
    }

    /**
     * True when every coding at the location uses a code system whose full content is held
     * locally (R4's own, or one from a loaded package), so a terminology error there is real.
     */
    private boolean locallyVerifiable(Resource resource, String location) {
        List<Base> found;
        try {
            found = paths.get().evaluate(resource, location);
        } catch (RuntimeException e) {
            return false;
        }
        boolean any = false;
        for (Base value : found) {
            List<Coding> codings = value instanceof CodeableConcept concept ? concept.getCoding()
                    : value instanceof Coding coding ? List.of(coding) : null;
            if (codings == null) {
                continue; // a plain code: its system is fixed by the binding, which is local
            }
            for (Coding coding : codings) {
                any = true;
                if (!(coding.hasSystem() && support.fetchCodeSystem(coding.getSystem()) instanceof CodeSystem cs
                        && cs.getContent() == CodeSystem.CodeSystemContentMode.COMPLETE && cs.hasConcept())) {
                    return false;
                }
            }
        }
        return any || !found.isEmpty();
    }

    /** Loads every profile of the packages and generates its snapshot, so the first write does not wait. */
    @Override
    public void warmUp() {
        for (Object sd : support.fetchAllStructureDefinitions()) {
            if (sd instanceof StructureDefinition definition && definition.getDerivation() == TypeDerivationRule.CONSTRAINT
                    && definition.getUrl().startsWith("https://fhir.hl7.org.uk/")) {
                support.fetchStructureDefinition(definition.getUrl());
            }
        }
    }

    private static IssueSeverity severity(ResultSeverityEnum severity) {
        return switch (severity) {
            case FATAL -> IssueSeverity.FATAL;
            case ERROR -> IssueSeverity.ERROR;
            case WARNING -> IssueSeverity.WARNING;
            // Information messages (such as which code systems were not checked) are noise to a sender.
            case INFORMATION -> null;
        };
    }
}
