package org.charnwood.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every populated {@link Reference} in a resource, contained resources included, visiting
 * the same elements as HAPI's {@code FhirTerser.getAllPopulatedChildElementsOfType}, in the same
 * order. The terser asks every element whether it is empty before going into it, and that check
 * walks the element's whole subtree again, so a deep resource is walked many times over; here
 * only References are asked (an empty element can hold nothing but empty References), which
 * makes one walk of the write path several times cheaper.
 */
public final class ResourceReferences {

    private ResourceReferences() {
    }

    /** The non-empty References of the resource, in document order. */
    public static List<Reference> of(Resource resource) {
        List<Reference> found = new ArrayList<>();
        if (resource == null || resource.isEmpty()) {
            return found;
        }
        FhirContext context = FhirContexts.r4();
        visit(context, new IdentityHashMap<>(), resource, context.getResourceDefinition(resource), found);
        return found;
    }

    private static void visit(FhirContext context, Map<Object, Object> seen, IBase element,
                              BaseRuntimeElementDefinition<?> definition, List<Reference> found) {
        // Guards against cycles only (as the terser's stack does): an element reached by two
        // paths is visited twice.
        if (seen.put(element, element) != null) {
            return;
        }
        try {
            visitOnce(context, seen, element, definition, found);
        } finally {
            seen.remove(element);
        }
    }

    private static void visitOnce(FhirContext context, Map<Object, Object> seen, IBase element,
                                  BaseRuntimeElementDefinition<?> definition, List<Reference> found) {
        BaseRuntimeElementDefinition<?> def = definition;
        if (def.getChildType() == ChildTypeEnum.CONTAINED_RESOURCE_LIST) {
            def = context.getElementDefinition(element.getClass());
        }
        if (element instanceof Reference reference) {
            found.add(reference);
            // As the terser does: a reference linked to a resource object without a real id (a
            // bundle entry known by its fullUrl, a contained resource) leads into that resource.
            IBaseResource target = reference.getResource();
            if (target != null && (!target.getIdElement().hasIdPart() || target.getIdElement().isLocal())) {
                visit(context, seen, target, context.getResourceDefinition(target), found);
            }
        }
        ChildTypeEnum kind = def.getChildType();
        if (kind != ChildTypeEnum.RESOURCE && kind != ChildTypeEnum.RESOURCE_BLOCK
                && kind != ChildTypeEnum.COMPOSITE_DATATYPE) {
            return;
        }
        BaseRuntimeElementCompositeDefinition<?> composite = (BaseRuntimeElementCompositeDefinition<?>) def;
        for (BaseRuntimeChildDefinition child : composite.getChildrenAndExtension()) {
            List<? extends IBase> values = child.getAccessor().getValues(element);
            if (values == null || values.isEmpty()) {
                continue;
            }
            for (IBase value : values) {
                if (value == null || value instanceof org.hl7.fhir.r4.model.PrimitiveType<?>
                        || value instanceof org.hl7.fhir.utilities.xhtml.XhtmlNode) {
                    // Primitives hold no References (the terser does not look at their extensions either).
                    continue;
                }
                if (value instanceof Reference && value.isEmpty()) {
                    continue;
                }
                if (child instanceof RuntimeChildDirectResource) {
                    continue;
                }
                BaseRuntimeElementDefinition<?> valueDef = child.getChildElementDefinitionByDatatype(value.getClass());
                if (valueDef == null) {
                    valueDef = context.getElementDefinition(value.getClass());
                }
                visit(context, seen, value, valueDef, found);
            }
        }
    }
}
