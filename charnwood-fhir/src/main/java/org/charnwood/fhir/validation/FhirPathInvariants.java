package org.charnwood.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.ElementDefinition.ConstraintSeverity;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the FHIRPath invariants of the R4 definitions against HAPI model objects directly,
 * with expressions parsed once. An engine per thread, since HAPI does not promise the engine is
 * safe to share; parsed expressions are plain data and are shared.
 */
final class FhirPathInvariants {
    private static final Logger log = LoggerFactory.getLogger(FhirPathInvariants.class);

    private final HapiWorkerContext worker;
    private final ThreadLocal<FHIRPathEngine> engines;
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

    FhirPathInvariants(FhirContext context, IValidationSupport support) {
        this.worker = new HapiWorkerContext(context, support);
        this.engines = ThreadLocal.withInitial(() -> new FHIRPathEngine(worker));
    }

    /** The parsed invariant, or null when HAPI's R4 engine cannot parse its expression. */
    Invariant compile(ElementDefinitionConstraintComponent constraint) {
        if (!constraint.hasExpression()) {
            return null;
        }
        try {
            ExpressionNode node = engines.get().parse(constraint.getExpression());
            return new Invariant(constraint.getKey(), constraint.getSeverity() != ConstraintSeverity.WARNING,
                    constraint.getHuman(), node);
        } catch (RuntimeException e) {
            log.debug("Invariant {} is not evaluated: {}", constraint.getKey(), e.getMessage());
            return null;
        }
    }

    /**
     * Whether the invariant holds on {@code focus}; null when the engine could not evaluate it
     * (an unsupported function, say), in which case the invariant is not held against the sender.
     */
    Boolean holds(Invariant invariant, Base resource, Base rootResource, Base focus) {
        try {
            return engines.get().evaluateToBoolean(null, resource, rootResource, focus, invariant.expression());
        } catch (RuntimeException e) {
            if (reportedFailures.add(invariant.key())) {
                // The type only: the engine's message can quote the value of the resource it was evaluating.
                log.info("Invariant {} could not be evaluated and is skipped: {}", invariant.key(),
                        e.getClass().getName());
            }
            return null;
        }
    }
}
