package org.charnwood.fhir.search;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

import java.util.List;

/**
 * Expressions outside the fast subset, evaluated by HAPI's R4 FHIRPath engine. The parsed tree is
 * kept; engines are per thread because the engine keeps evaluation state.
 */
final class FhirPathElementPath implements ElementPath {

    private static final class Engines {
        // Built on first use only: the worker context loads the core StructureDefinitions.
        static final HapiWorkerContext WORKER = new HapiWorkerContext(FhirContexts.r4(),
                new DefaultProfileValidationSupport(FhirContexts.r4()));
        static final ThreadLocal<FHIRPathEngine> ENGINE = ThreadLocal.withInitial(() -> {
            FHIRPathEngine engine = new FHIRPathEngine(WORKER);
            engine.setHostServices(new ReferenceTypeResolver());
            return engine;
        });
    }

    private final String expression;
    private volatile ExpressionNode parsed;

    /** Parsing waits for first use, so loading the registry does not start the FHIRPath engine. */
    FhirPathElementPath(String expression) {
        this.expression = expression;
    }

    /** Parses now, so a bad expression is refused when it is registered rather than when it is used. */
    void check() {
        parsed();
    }

    @Override
    public List<Base> select(Resource resource, Base focus) {
        return Engines.ENGINE.get().evaluate(null, resource, resource, focus, parsed());
    }

    private ExpressionNode parsed() {
        ExpressionNode node = parsed;
        if (node == null) {
            node = Engines.ENGINE.get().parse(expression);
            parsed = node;
        }
        return node;
    }

    @Override
    public String toString() {
        return expression;
    }

    /**
     * Answers {@code resolve()} with an empty resource of the referenced type: enough for the
     * {@code resolve() is T} tests search expressions make, without reading the database.
     */
    private static final class ReferenceTypeResolver implements IHostApplicationServices {
        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
            ReferenceTarget target = ReferenceTarget.parseAny(url);
            if (target == null || target.type() == null || !FhirContexts.r4().getResourceTypes().contains(target.type())) {
                return null;
            }
            return (Base) FhirContexts.r4().getResourceDefinition(target.type()).newInstance();
        }

        @Override
        public List<Base> resolveConstant(FHIRPathEngine engine, Object appContext, String name,
                                          FHIRPathConstantEvaluationMode mode) throws PathEngineException {
            return List.of();
        }

        @Override
        public TypeDetails resolveConstantType(FHIRPathEngine engine, Object appContext, String name,
                                               FHIRPathConstantEvaluationMode mode) throws PathEngineException {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return null;
        }

        @Override
        public TypeDetails checkFunction(FHIRPathEngine engine, Object appContext, String functionName,
                                         TypeDetails focus, List<TypeDetails> parameters) throws PathEngineException {
            return null;
        }

        @Override
        public List<Base> executeFunction(FHIRPathEngine engine, Object appContext, List<Base> focus,
                                          String functionName, List<List<Base>> parameters) {
            return List.of();
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url)
                throws FHIRException {
            return false;
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }
}
