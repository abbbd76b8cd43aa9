package org.charnwood.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDatatypeDefinition;
import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeDeclaredChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UriType;

import java.lang.reflect.Field;
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
 * order, and the extensions of primitive values too ({@code "_birthDate": {"extension": [...]}}),
 * which the terser skips: a Reference there is the resource's as much as any other, to be checked,
 * rewritten and kept like the rest. The terser asks every element whether it is empty before going
 * into it, and that check walks the element's whole subtree again, so a deep resource is walked
 * many times over; here only References are asked (an empty element can hold nothing but empty
 * References), which makes one walk of the write path several times cheaper.
 */
public final class ResourceReferences {

    /**
     * Each composite's children less those that cannot hold a Reference at all (the narrative's XHTML).
     * Children that hold only primitives stay, since a primitive value can carry extensions, but are read
     * straight from their field: asking HAPI's reflective accessor for a child's values (which wraps
     * each in a new list) is most of the cost of a walk, and these children are the most numerous.
     */
    private static final Map<BaseRuntimeElementCompositeDefinition<?>, List<Child>> CHILDREN =
            new ConcurrentHashMap<>();

    private static final Set<ChildTypeEnum> PRIMITIVE_KINDS = EnumSet.of(ChildTypeEnum.PRIMITIVE_DATATYPE,
            ChildTypeEnum.ID_DATATYPE);
    private static final Set<ChildTypeEnum> XHTML_KINDS = EnumSet.of(ChildTypeEnum.PRIMITIVE_XHTML,
            ChildTypeEnum.PRIMITIVE_XHTML_HL7ORG);

    private ResourceReferences() {
    }

    /**
     * A child of a composite to walk.
     *
     * @param primitives the field of a child declared with one primitive type (holding a value or a list of
     *                   them), or null to go through the accessor
     */
    private record Child(BaseRuntimeChildDefinition definition, Field primitives) {
    }

    private static List<Child> children(BaseRuntimeElementCompositeDefinition<?> composite) {
        List<Child> kept = new ArrayList<>();
        for (BaseRuntimeChildDefinition child : composite.getChildrenAndExtension()) {
            ChildTypeEnum only = onlyType(child);
            if (only != null && XHTML_KINDS.contains(only)) {
                continue;
            }
            Field field = null;
            if (only != null && PRIMITIVE_KINDS.contains(only)
                    && child instanceof BaseRuntimeDeclaredChildDefinition declared) {
                field = accessible(declared.getField());
            }
            kept.add(new Child(child, field));
        }
        return List.copyOf(kept);
    }

    /** The kind of the one type the child is declared with; null for choice and extension children. */
    private static ChildTypeEnum onlyType(BaseRuntimeChildDefinition child) {
        if (!(child instanceof BaseRuntimeChildDatatypeDefinition datatype)) {
            return null;
        }
        BaseRuntimeElementDefinition<?> type = datatype.getChildByName(datatype.getElementName());
        return type == null ? null : type.getChildType();
    }

    private static Field accessible(Field field) {
        try {
            field.setAccessible(true);
            return field;
        } catch (RuntimeException notOpen) {
            // The accessor reads it instead, a little more slowly.
            return null;
        }
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
        return walk(resource, false, null);
    }

    /**
     * The References {@link #ownedBy} finds, in the same walk also adding to {@code uris} every populated element
     * of type uri, url, canonical, oid or uuid (all {@link UriType}s in HAPI's model): a transaction replaces its
     * placeholders in those too.
     */
    public static List<Reference> ownedBy(Resource resource, List<UriType> uris) {
        return walk(resource, false, uris);
    }

    private static List<Reference> walk(Resource resource, boolean followLinks, List<UriType> uris) {
        List<Reference> found = new ArrayList<>();
        if (resource == null || resource.isEmpty()) {
            return found;
        }
        FhirContext context = FhirContexts.r4();
        new Walk(context, followLinks, found, uris).visit(resource, context.getResourceDefinition(resource));
        return found;
    }

    private static List<Reference> walk(Resource resource, boolean followLinks) {
        return walk(resource, followLinks, null);
    }

    /** @param uris where to add the uri-typed elements found, or null when they are not wanted */
    private record Walk(FhirContext context, boolean followLinks, List<Reference> found, List<UriType> uris,
                        Map<Object, Object> seen, BaseRuntimeElementDefinition<?> extensionDefinition) {

        Walk(FhirContext context, boolean followLinks, List<Reference> found, List<UriType> uris) {
            this(context, followLinks, found, uris, new IdentityHashMap<>(),
                    context.getElementDefinition(Extension.class));
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
            for (Child walked : CHILDREN.computeIfAbsent(composite, ResourceReferences::children)) {
                if (walked.primitives != null) {
                    visitPrimitives(read(walked.primitives, element));
                    continue;
                }
                BaseRuntimeChildDefinition child = walked.definition;
                List<? extends IBase> values = child.getAccessor().getValues(element);
                if (values == null || values.isEmpty()) {
                    continue;
                }
                for (IBase value : values) {
                    if (value instanceof PrimitiveType<?> primitive) {
                        visitPrimitive(primitive);
                        continue;
                    }
                    if (value == null || value instanceof org.hl7.fhir.utilities.xhtml.XhtmlNode) {
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

        /** The value of a primitive child's field: a primitive, a list of them, or null. */
        private void visitPrimitives(Object value) {
            if (value instanceof PrimitiveType<?> primitive) {
                visitPrimitive(primitive);
            } else if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof PrimitiveType<?> primitive) {
                        visitPrimitive(primitive);
                    }
                }
            }
        }

        private void visitPrimitive(PrimitiveType<?> primitive) {
            if (uris != null && primitive instanceof UriType uri && uri.hasValue()) {
                uris.add(uri);
            }
            visitExtensions(primitive);
        }

        /**
         * A primitive's extensions, where a Reference may be ({@code "_birthDate": {"extension": [...]}}). Nearly
         * every primitive has none, and is passed over at once.
         */
        private void visitExtensions(PrimitiveType<?> primitive) {
            if (primitive.hasExtension()) {
                for (Extension extension : primitive.getExtension()) {
                    visit(extension, extensionDefinition);
                }
            }
        }

        private static Object read(Field field, IBase element) {
            try {
                return field.get(element);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("HAPI model field " + field + " cannot be read", e);
            }
        }
    }
}
