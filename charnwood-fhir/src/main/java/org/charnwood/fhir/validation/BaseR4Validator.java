package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.function.Predicate;

/**
 * Base FHIR R4 validation, fast enough to run on every write: structure, cardinality, choice
 * types, primitive formats, required bindings to R4's own code systems, the R4 invariants,
 * references, narrative, the R4 extensions, bundle integrity and NHS number check digits.
 * Thread-safe; the compiled definitions are shared, so instances are cheap.
 */
public final class BaseR4Validator implements ResourceValidator {
    private final R4Definitions definitions;
    /** Modifier extensions defined outside R4 that are known here (a loaded package's). */
    private final Predicate<String> otherModifiers;

    /** Uses the process-wide compiled R4 definitions, compiling them on first use (a few seconds). */
    public BaseR4Validator() {
        this(R4Definitions.shared());
    }

    BaseR4Validator(R4Definitions definitions) {
        this(definitions, url -> false);
    }

    private BaseR4Validator(R4Definitions definitions, Predicate<String> otherModifiers) {
        this.definitions = definitions;
        this.otherModifiers = otherModifiers;
    }

    /**
     * This validator, also accepting the modifier extensions {@code known} says are defined (by a loaded package).
     * Without it only R4's own modifier extensions are accepted in {@code modifierExtension}.
     */
    public BaseR4Validator knowingModifierExtensions(Predicate<String> known) {
        return new BaseR4Validator(definitions, url -> otherModifiers.test(url) || known.test(url));
    }

    private boolean knownModifier(String url) {
        return definitions.extensions.find(url).map(ExtensionDefinitions.Definition::modifier).orElse(false)
                || otherModifiers.test(url);
    }

    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource) {
        Findings findings = new Findings();
        new InstanceWalk(definitions, findings, this::knownModifier).run(resource);
        return findings.issues();
    }

    /**
     * Compiles the definitions and reads the R4 code systems now, so the first writes do not pay
     * for it (HAPI reads all of its bundled code systems from XML on the first look-up, and
     * concurrent first writes would each wait on or repeat that).
     */
    public static void warmUp() {
        R4Definitions.shared().terminology.codeSystem("http://hl7.org/fhir/administrative-gender");
    }
}
