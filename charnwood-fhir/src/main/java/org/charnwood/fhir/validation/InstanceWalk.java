package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over one resource, checking every element against the compiled R4 rules as it goes:
 * cardinality, choice types, primitive formats, required bindings that local terminology can
 * answer, invariants, references, extensions, narrative and NHS numbers. Single use, not shared
 * between threads.
 */
final class InstanceWalk {
    private static final Base[] NONE = new Base[0];

    private final R4Definitions defs;
    private final Findings findings;
    private final ElementPath path = new ElementPath();
    private final DatatypeRules datatypes;
    private ResourceScope scope;
    /** Literal references per resource inside a bundle, for the bundle's own rules; empty otherwise. */
    private final Map<Resource, List<BundleRules.FoundReference>> bundledReferences = new IdentityHashMap<>();
    private int bundleDepth;
    /** Whether a url names a modifier extension this server knows (R4's own, or a loaded package's). */
    private final java.util.function.Predicate<String> knownModifiers;

    InstanceWalk(R4Definitions defs, Findings findings, java.util.function.Predicate<String> knownModifiers) {
        this.defs = defs;
        this.findings = findings;
        this.knownModifiers = knownModifiers;
        this.datatypes = new DatatypeRules(defs, findings, path);
    }

    void run(Resource resource) {
        path.push(resource.fhirType(), -1, null);
        visitResource(resource, null);
        path.pop();
    }

    /** What is tracked per resource: the resources FHIRPath sees as %resource and %rootResource, ids and local references. */
    private static final class ResourceScope {
        final Resource resource;
        final Resource root;
        final ResourceScope container;
        Set<String> elementIds;
        /** Fragment references ({@code #id}) and where they were found; kept on the container's scope. */
        List<String[]> localReferences;
        /** Fragments that narrative links and images point at; they count as references for dom-3. */
        Set<String> narrativeFragments;

        ResourceScope(Resource resource, ResourceScope container) {
            this.resource = resource;
            this.container = container;
            this.root = container == null ? resource : container.root;
        }

        ResourceScope outermost() {
            return container == null ? this : container.outermost();
        }
    }

    private void visitResource(Resource resource, ResourceScope container) {
        TypeRules rules = defs.type(resource.fhirType());
        if (rules == null || !rules.resource) {
            findings.error(ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.NOTSUPPORTED,
                    "'" + resource.fhirType() + "' is not an R4 resource type", path.render());
            return;
        }
        ResourceScope saved = scope;
        scope = new ResourceScope(resource, container);
        boolean bundle = "Bundle".equals(resource.fhirType());
        if (bundle) {
            bundleDepth++;
        }
        try {
            visitChildren(resource, rules);
            checkInvariants(rules.invariants, resource);
            if (container == null) {
                checkLocalReferences(resource);
            }
            ResourceRules.check(resource, defs, findings, path.render(), bundledReferences);
        } finally {
            scope = saved;
            if (bundle) {
                bundleDepth--;
            }
        }
    }

    /** Visits the children of a node; true when at least one child other than an element id has content. */
    private boolean visitChildren(Base node, TypeRules rules) {
        boolean content = false;
        for (ElementRule rule : rules.children) {
            if (rule.kind == ElementRule.Kind.NARRATIVE_DIV) {
                content |= visitNarrativeDiv((Narrative) node, rule);
                continue;
            }
            Base[] values = values(node, rule);
            int present = 0;
            for (int i = 0; i < values.length; i++) {
                Base value = values[i];
                if (value == null) {
                    continue;
                }
                int depth = path.depth();
                path.push(rule.name, rule.repeats() ? i : -1, rule.choice() ? value.fhirType() : null);
                try {
                    if (visitValue(value, rule)) {
                        present++;
                    }
                } finally {
                    path.truncate(depth);
                }
            }
            if (present > 0 && rule.kind != ElementRule.Kind.ELEMENT_ID) {
                content = true;
            }
            if (present < rule.min) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.REQUIRED,
                        rule.definitionPath + ": minimum required = " + rule.min + ", but only found " + present,
                        path.renderChild(rule.name));
            } else if (present > rule.max) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE,
                        rule.definitionPath + ": max allowed = " + rule.max + ", but found " + present,
                        path.renderChild(rule.name));
            }
        }
        return content;
    }

    private static Base[] values(Base node, ElementRule rule) {
        try {
            Base[] values = node.getProperty(rule.hash, rule.name, false);
            return values == null ? NONE : values;
        } catch (RuntimeException e) {
            // The model class has no such property: the definition and HAPI disagree, nothing to check.
            return NONE;
        }
    }

    private boolean visitValue(Base value, ElementRule rule) {
        switch (rule.kind) {
            case RESOURCE_ID -> {
                return visitResourceId((PrimitiveType<?>) value);
            }
            case ELEMENT_ID -> {
                return visitElementId((PrimitiveType<?>) value);
            }
            case EXTENSION_URL -> {
                return visitExtensionUrl((PrimitiveType<?>) value);
            }
            case RESOURCE -> {
                if (value instanceof Resource nested) {
                    visitResource(nested, "contained".equals(rule.name) ? scope : null);
                    return true;
                }
                return false;
            }
            default -> {
            }
        }
        if (value instanceof Extension modifier && "modifierExtension".equals(rule.name)) {
            checkModifier(modifier);
        }
        String modelType = value.fhirType();
        if (rule.choice() && !rule.choiceTypes.contains(modelType)) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE,
                    "The type " + modelType + " is not allowed for " + rule.definitionPath + " (allowed: "
                            + String.join(", ", rule.types) + ")", path.render());
        }
        if (value instanceof PrimitiveType<?> primitive) {
            return visitPrimitive(primitive, rule);
        }
        TypeRules rules = rule.backbone != null ? rule.backbone
                : defs.type(rule.choice() || rule.type() == null ? modelType : rule.type());
        if (rules == null) {
            return !value.isEmpty();
        }
        if (!visitChildren(value, rules)) {
            if (value instanceof Reference reference && reference.getResource() != null) {
                checkReference(reference, rule); // a reference by object: the encoder will write it out
                return true;
            }
            if (value instanceof Element element && element.hasId()) {
                emptyElement();
            }
            return false;
        }
        visitDatatype(value, rules.name, rule);
        checkInvariants(rules.invariants, value);
        checkInvariants(rule.invariants, value);
        if (rule.typeProfile != null) {
            checkInvariants(defs.profileInvariants(rule.typeProfile), value);
        }
        return true;
    }

    private boolean visitPrimitive(PrimitiveType<?> primitive, ElementRule rule) {
        String text = primitive.getValueAsString();
        boolean extended = primitive.hasExtension();
        if (primitive.hasId()) {
            recordElementId(primitive.getId());
        }
        if (extended) {
            visitExtensions(primitive.getExtension());
        }
        String type = primitive.fhirType();
        if (text == null) {
            if (!extended) {
                if (primitive.hasId()) {
                    emptyElement();
                }
                return false;
            }
            if (rule.binding != null) {
                // An extension (such as data-absent-reason) does not stand in for a required code.
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.CODEINVALID,
                        "No code provided, and a code is required from the value set " + rule.binding.valueSet,
                        path.render());
            }
            return true;
        }
        String problem = PrimitiveFormats.problem(type, text);
        if (problem == null && primitive instanceof IntegerType integer) {
            problem = PrimitiveFormats.integerProblem(type, integer.getValue());
        } else if (problem == null && primitive instanceof DecimalType decimal) {
            problem = PrimitiveFormats.decimalProblem(decimal.getValue(), text);
        }
        if (problem != null) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE, problem, path.render());
        }
        if (rule.binding != null && !(primitive instanceof Enumeration<?>)) {
            ValueSetMembership members = rule.binding.membership();
            if (members.checkable() && !members.containsCode(text)) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.CODEINVALID,
                        "The value '" + text + "' is not in the value set " + rule.binding.valueSet
                                + ", and a code is required from this value set", path.render());
            }
        }
        if (text.length() > 1 && text.charAt(0) == '#' && ("canonical".equals(type) || "uri".equals(type))) {
            // Counts as pointing at a contained resource (dom-3), but a uri need not name one.
            noteLocalReference(text, false);
        }
        checkInvariants(rule.invariants, primitive);
        return true;
    }

    /**
     * A modifier extension changes the meaning of the element holding it (it may negate it), so R4 says a system that
     * does not understand one must not process the element as if it were absent (extensibility.html#modifierExtension).
     * A repository that stored and served the resource would do exactly that for every reader after it; one this
     * server does not know as a modifier extension is refused instead. An extension without a url is refused already.
     */
    private void checkModifier(Extension extension) {
        String url = extension.getUrl();
        if (url == null || url.isEmpty() || knownModifiers.test(url)) {
            return;
        }
        findings.error(ErrorCode.INVALID_RESOURCE, IssueType.NOTSUPPORTED, "The modifier extension " + url
                + " is not known here as a modifier extension, and a resource carrying a modifier extension the"
                + " server does not understand is refused", path.render());
    }

    private void visitExtensions(List<Extension> extensions) {
        TypeRules extensionRules = defs.type("Extension");
        ElementRule rule = extensionRules.child("extension");
        for (int i = 0; i < extensions.size(); i++) {
            int depth = path.depth();
            path.push("extension", i, null);
            try {
                Extension extension = extensions.get(i);
                if (visitChildren(extension, extensionRules)) {
                    visitDatatype(extension, "Extension", rule);
                }
            } finally {
                path.truncate(depth);
            }
        }
    }

    private boolean visitResourceId(PrimitiveType<?> id) {
        // HAPI keeps a parsed id qualified (Patient/123/_history/1); only the id part is the element's value.
        String text = id instanceof org.hl7.fhir.r4.model.IdType idType ? idType.getIdPart() : id.getValueAsString();
        if (text == null) {
            return false;
        }
        String problem = PrimitiveFormats.idProblem(text);
        if (problem != null || text.isEmpty()) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE,
                    "Invalid resource id: " + (problem == null ? "it is empty" : problem), path.render());
        }
        return true;
    }

    private boolean visitElementId(PrimitiveType<?> id) {
        String text = id.getValueAsString();
        if (text == null || text.isEmpty()) {
            return false;
        }
        String problem = PrimitiveFormats.problem("string", text);
        if (problem != null) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE, "Invalid element id: " + problem, path.render());
        }
        recordElementId(text);
        return true;
    }

    private boolean visitExtensionUrl(PrimitiveType<?> url) {
        String text = url.getValueAsString();
        if (text == null || text.isEmpty()) {
            return false;
        }
        String problem = PrimitiveFormats.problem("uri", text);
        if (problem != null) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE, problem, path.render());
        }
        return true;
    }

    private void recordElementId(String id) {
        if (scope.elementIds == null) {
            scope.elementIds = new HashSet<>();
        }
        if (!scope.elementIds.add(id)) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                    "Duplicate id value '" + id + "': element ids must be unique within a resource", path.render());
        }
    }

    private void emptyElement() {
        findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT,
                "Constraint failed: ele-1: All FHIR elements must have a @value or children", path.render());
    }

    private boolean visitNarrativeDiv(Narrative narrative, ElementRule rule) {
        if (!narrative.hasDiv()) {
            if (rule.min > 0 && (narrative.hasStatus() || narrative.hasExtension())) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.REQUIRED,
                        "Narrative.div: minimum required = 1, but only found 0", path.renderChild("div"));
            }
            return false;
        }
        path.push("div", -1, null);
        try {
            Set<String> containedIds = new HashSet<>();
            for (Resource contained : containedOf(scope.resource)) {
                if (contained.getIdElement().getIdPart() != null) {
                    containedIds.add(contained.getIdElement().getIdPart());
                }
            }
            Set<String> fragments = NarrativeRules.check(narrative.getDiv(), containedIds, findings, path.render());
            if (!fragments.isEmpty()) {
                ResourceScope outermost = scope.outermost();
                if (outermost.narrativeFragments == null) {
                    outermost.narrativeFragments = new HashSet<>();
                }
                outermost.narrativeFragments.addAll(fragments);
            }
        } finally {
            path.pop();
        }
        return true;
    }

    private static List<Resource> containedOf(Resource resource) {
        return resource instanceof org.hl7.fhir.r4.model.DomainResource domain && domain.hasContained()
                ? domain.getContained() : List.of();
    }

    /** Checks that belong to a datatype rather than to the element holding it. */
    private void visitDatatype(Base value, String type, ElementRule rule) {
        switch (type) {
            case "Identifier" -> datatypes.checkNhsNumber((Identifier) value);
            case "Reference" -> checkReference((Reference) value, rule);
            case "Coding" -> datatypes.checkCoding((Coding) value, rule);
            case "CodeableConcept" -> datatypes.checkCodeableConcept((CodeableConcept) value, rule);
            case "Attachment" -> datatypes.checkAttachment((Attachment) value);
            case "Extension" -> datatypes.checkExtension((Extension) value);
            default -> {
            }
        }
    }

    private void checkReference(Reference reference, ElementRule rule) {
        String ref = reference.getReference();
        if (ref == null || ref.isEmpty()) {
            // Code may point at a contained resource by object; HAPI writes the #id when encoding.
            if (reference.getResource() instanceof Resource target && target.getIdElement().getIdPart() != null) {
                noteLocalReference("#" + target.getIdElement().getIdPart(), false);
            }
            return;
        }
        if (ref.charAt(0) == '#') {
            noteLocalReference(ref, true);
            return;
        }
        if (bundleDepth > 0) {
            bundledReferences.computeIfAbsent(scope.outermost().resource, r -> new ArrayList<>())
                    .add(new BundleRules.FoundReference(ref, path.renderChild("reference")));
        }
        String malformed = ReferenceTarget.relativeProblem(ref, defs);
        if (malformed != null) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE, malformed, path.renderChild("reference"));
            return;
        }
        String type = ReferenceTarget.impliedType(ref, defs);
        if (type == null) {
            return;
        }
        if (rule.referenceTargets != null && !rule.referenceTargets.contains(type)) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, "The type '" + type
                    + "' implied by the reference URL " + ref + " is not a valid target for " + rule.definitionPath
                    + " (must be one of " + String.join(", ", rule.referenceTargets.stream().sorted().toList()) + ")",
                    path.renderChild("reference"));
        }
        if (reference.hasType() && !type.equals(reference.getType())) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, "The reference " + ref
                    + " points at a " + type + " but its type says " + reference.getType(), path.renderChild("type"));
        }
    }

    private void noteLocalReference(String ref, boolean mustResolve) {
        ResourceScope outermost = scope.outermost();
        if (outermost.localReferences == null) {
            outermost.localReferences = new ArrayList<>();
        }
        outermost.localReferences.add(new String[] {ref.substring(1), mustResolve ? path.render() : null});
    }

    /**
     * ref-1 and dom-3 for the resource and its contained resources: fragment references must
     * name a contained resource, and every contained resource must be referred to (or refer back
     * to the container), since a contained resource that nothing points at has no meaning.
     */
    private void checkLocalReferences(Resource resource) {
        List<Resource> contained = containedOf(resource);
        List<String[]> refs = scope.localReferences == null ? List.of() : scope.localReferences;
        if (contained.isEmpty() && refs.isEmpty()) {
            return;
        }
        Map<String, Resource> byId = new HashMap<>();
        for (Resource c : contained) {
            byId.put(c.getIdElement().getIdPart(), c);
        }
        Set<String> referenced = new HashSet<>();
        if (scope.narrativeFragments != null) {
            referenced.addAll(scope.narrativeFragments);
        }
        for (String[] ref : refs) {
            if (ref[0].isEmpty()) {
                continue;
            }
            referenced.add(ref[0]);
            if (ref[1] != null && !byId.containsKey(ref[0])) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.NOTFOUND,
                        "Unable to resolve the reference '#" + ref[0] + "': there is no contained resource with that id",
                        ref[1]);
            }
        }
        for (int i = 0; i < contained.size(); i++) {
            Resource c = contained.get(i);
            String id = c.getIdElement().getIdPart();
            // A contained resource without an id can only come from code, not from a parsed body (the
            // parser refuses it); HAPI gives it an id, and the reference its #id, when encoding.
            if (id != null && !referenced.contains(id) && !refersBackToContainer(c)) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT,
                        "Constraint failed: dom-3: the contained resource '" + id + "' is not referenced from elsewhere "
                                + "in the resource and does not refer to its container",
                        path.renderChild("contained[" + i + "]"));
            }
        }
    }

    private boolean refersBackToContainer(Resource contained) {
        for (Reference ref : defs.context.newTerser().getAllPopulatedChildElementsOfType(contained, Reference.class)) {
            if ("#".equals(ref.getReference())) {
                return true;
            }
        }
        return false;
    }

    private void checkInvariants(Invariant[] invariants, Base focus) {
        for (Invariant invariant : invariants) {
            Boolean holds = defs.invariants.holds(invariant, scope.resource, scope.root, focus);
            if (Boolean.FALSE.equals(holds)) {
                findings.add(invariant.error() ? IssueSeverity.ERROR : IssueSeverity.WARNING,
                        ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT,
                        "Constraint failed: " + invariant.key() + ": " + invariant.human(), path.render());
            }
        }
    }
}
