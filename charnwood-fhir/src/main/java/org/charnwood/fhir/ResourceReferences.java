package org.charnwood.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDatatypeDefinition;
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
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds every populated {@link Reference} in a resource, contained resources included, visiting
 * the same elements as HAPI's {@code FhirTerser.getAllPopulatedChildElementsOfType}, in the same
 * order. The terser asks every element whether it is empty before going into it, and that check
 * walks the element's whole subtree again, so a deep resource is walked many times over; here
 * only References are asked (an empty element can hold nothing but empty References), which
 * makes one walk of the write path several times cheaper.
 */
public final class ResourceReferences {

    /**
     * Each composite's children less those that can only hold primitives: their values would be
     * skipped anyway, and asking HAPI's reflective accessor for them is most of the cost of a walk.
     */
    private static final Map<BaseRuntimeElementCompositeDefinition<?>, List<BaseRuntimeChildDefinition>>
            CHILDREN_THAT_CAN_HOLD_REFERENCES = new ConcurrentHashMap<>();

    private static final Set<ChildTypeEnum> PRIMITIVE_KINDS = EnumSet.of(ChildTypeEnum.PRIMITIVE_DATATYPE,
            ChildTypeEnum.ID_DATATYPE, ChildTypeEnum.PRIMITIVE_XHTML, ChildTypeEnum.PRIMITIVE_XHTML_HL7ORG);

    private ResourceReferences() {
    }

    private static List<BaseRuntimeChildDefinition> childrenThatCanHoldReferences(
            BaseRuntimeElementCompositeDefinition<?> composite) {
        List<BaseRuntimeChildDefinition> kept = new ArrayList<>();
        for (BaseRuntimeChildDefinition child : composite.getChildrenAndExtension()) {
            if (!onlyPrimitives(child)) {
                kept.add(child);
            }
        }
        return List.copyOf(kept);
    }

    /**
     * Whether the child is declared with one type and that type is a primitive (whose values the walk
     * skips). Choice and extension children are kept whatever they may hold.
     */
    private static boolean onlyPrimitives(BaseRuntimeChildDefinition child) {
        if (!(child instanceof BaseRuntimeChildDatatypeDefinition datatype)) {
            return false;
        }
        BaseRuntimeElementDefinition<?> type = datatype.getChildByName(datatype.getElementName());
        return type != null && PRIMITIVE_KINDS.contains(type.getChildType());
    }

    /**
     * The non-empty References of the resource, in document order, including those of resources
     * that a reference is linked to and that have no id of their own (as the terser finds them).
     */
    public static List<Reference> of(Resource resource) {
        return walk(resource, true);
    }

    /**
     * The non-empty References of the resource itself and its contained resources, without going
     * into resources its references are linked to. In a parsed transaction bundle every
     * {@code urn:uuid} reference is linked to the entry it names, so following links would walk
     * each entry once for every reference to it, although each entry is visited in its own turn.
     */
    public static List<Reference> ownedBy(Resource resource) {
        return walk(resource, false);
    }

    private static List<Reference> walk(Resource resource, boolean followLinks) {
        List<Reference> found = new ArrayList<>();
        if (resource == null || resource.isEmpty()) {
            return found;
        }
        FhirContext context = FhirContexts.r4();
        new Walk(context, followLinks, found).visit(resource, context.getResourceDefinition(resource));
        return found;
    }

    private record Walk(FhirContext context, boolean followLinks, List<Reference> found, Map<Object, Object> seen) {

        Walk(FhirContext context, boolean followLinks, List<Reference> found) {
            this(context, followLinks, found, new IdentityHashMap<>());
        }

        private void visit(IBase element, BaseRuntimeElementDefinition<?> definition) {
            // Guards against cycles only (as the terser's stack does): an element reached by two
            // paths is visited twice.
            if (seen.put(element, element) != null) {
                return;
            }
            try {
                visitOnce(element, definition);
            } finally {
                seen.remove(element);
            }
        }

        private void visitOnce(IBase element, BaseRuntimeElementDefinition<?> definition) {
            BaseRuntimeElementDefinition<?> def = definition;
            if (def.getChildType() == ChildTypeEnum.CONTAINED_RESOURCE_LIST) {
                def = context.getElementDefinition(element.getClass());
            }
            if (element instanceof Reference reference) {
                found.add(reference);
                // As the terser does: a reference linked to a resource object without a real id (a
                // bundle entry known by its fullUrl, a contained resource) leads into that resource.
                IBaseResource target = reference.getResource();
                if (followLinks && target != null
                        && (!target.getIdElement().hasIdPart() || target.getIdElement().isLocal())) {
                    visit(target, context.getResourceDefinition(target));
                }
            }
            ChildTypeEnum kind = def.getChildType();
            if (kind != ChildTypeEnum.RESOURCE && kind != ChildTypeEnum.RESOURCE_BLOCK
                    && kind != ChildTypeEnum.COMPOSITE_DATATYPE) {
                return;
            }
            BaseRuntimeElementCompositeDefinition<?> composite = (BaseRuntimeElementCompositeDefinition<?>) def;
            for (BaseRuntimeChildDefinition child : CHILDREN_THAT_CAN_HOLD_REFERENCES.computeIfAbsent(composite,
                    ResourceReferences::childrenThatCanHoldReferences)) {
                List<? extends IBase> values = child.getAccessor().getValues(element);
                if (values == null || values.isEmpty()) {
                    continue;
                }
                for (IBase value : values) {
                    if (value == null || value instanceof org.hl7.fhir.r4.model.PrimitiveType<?>
                            || value instanceof org.hl7.fhir.utilities.xhtml.XhtmlNode) {
                        // Primitives hold no References (the terser skips their extensions too).
                        continue;
                    }
                    if (value instanceof Reference && value.isEmpty()) {
                        continue;
                    }
                    if (child instanceof RuntimeChildDirectResource) {
                        continue;
                    }
                    BaseRuntimeElementDefinition<?> valueDef =
                            child.getChildElementDefinitionByDatatype(value.getClass());
                    if (valueDef == null) {
                        valueDef = context.getElementDefinition(value.getClass());
                    }
                    visit(value, valueDef);
                }
            }
        }
    }
}
