package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionSlicingComponent;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionSlicingDiscriminatorComponent;
import org.hl7.fhir.r4.model.ElementDefinition.SlicingRules;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.ExtensionContextType;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionContextComponent;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a profile's snapshot into {@link ProfileElement} rules. Every snapshot element is
 * compared with the R4 element it derives from ({@code ElementDefinition.base}), or, inside an
 * extension slice, with the extension's own definition; only what is stricter is kept, because base
 * R4 validation has already checked the rest. What cannot be compiled is recorded as a fallback
 * (the profile then goes to HAPI's instance validator), never silently dropped.
 */
final class ProfileCompiler {
    private static final String CORE = ExtensionDefinitions.CORE_PREFIX;
    /** Invariants the R4 base validator checks natively, or deliberately not at all (see R4Definitions). */
    private static final Set<String> NOT_COMPILED = Set.of("ele-1", "ext-1", "txt-1", "txt-2", "dom-3", "ref-1", "dom-6");

    private final R4Definitions r4;
    private final ConformancePackages packages;
    private final Map<String, ElementDefinition> r4Elements = new HashMap<>();

    ProfileCompiler(R4Definitions r4, ConformancePackages packages) {
        this.r4 = r4;
        this.packages = packages;
        for (Object o : r4.support.fetchAllStructureDefinitions()) {
            if (o instanceof StructureDefinition sd && sd.hasSnapshot() && sd.getUrl().startsWith(CORE)
                    && sd.getDerivation() != TypeDerivationRule.CONSTRAINT) {
                for (ElementDefinition e : sd.getSnapshot().getElement()) {
                    if (!e.hasSliceName()) {
                        r4Elements.putIfAbsent(e.getPath(), e);
                    }
                }
            }
        }
    }

    /** A snapshot element with the elements under it, as the element ids nest them. */
    private static final class Node {
        final ElementDefinition element;
        final List<Node> children = new ArrayList<>();
        final List<Node> slices = new ArrayList<>();

        Node(ElementDefinition element) {
            this.element = element;
        }

        String id() {
            return element.hasId() ? element.getId() : element.getPath();
        }

        /** The instance property name: the last id segment without slice name or [x]. */
        String name() {
            String id = id();
            String last = id.substring(id.lastIndexOf('.') + 1);
            int colon = last.indexOf(':');
            if (colon >= 0) {
                last = last.substring(0, colon);
            }
            return last.endsWith("[x]") ? last.substring(0, last.length() - 3) : last;
        }

        Node child(String name) {
            for (Node child : children) {
                if (child.name().equals(name)) {
                    return child;
                }
            }
            return null;
        }
    }

    /** Where the "base" of an element is looked up: R4, or an extension's own definition inside its slice. */
    private record BaseScope(String rootId, Map<String, ElementDefinition> extensionElements) {
        static final BaseScope R4 = new BaseScope(null, Map.of());
    }

    /** What one compilation collects besides the rules. */
    private static final class Run {
        final String url;
        final List<String> fallbacks = new ArrayList<>();

        Run(String url) {
            this.url = url;
        }
    }

    CompiledProfile compile(StructureDefinition sd) {
        Run run = new Run(sd.getUrl());
        List<ElementDefinition> elements = sd.getSnapshot().getElement();
        Node root = new Node(elements.get(0));
        Map<String, Node> byId = new HashMap<>();
        byId.put(root.id(), root);
        for (int i = 1; i < elements.size(); i++) {
            Node node = new Node(elements.get(i));
            String id = node.id();
            int dot = id.lastIndexOf('.');
            String last = id.substring(dot + 1);
            if (last.contains("/")) {
                run.fallbacks.add(id + ": re-slicing is not compiled");
                continue;
            }
            int colon = last.indexOf(':');
            Node parent = colon >= 0 ? byId.get(id.substring(0, dot + 1 + colon)) : byId.get(id.substring(0, Math.max(dot, 0)));
            if (parent == null) {
                run.fallbacks.add(id + ": no parent element in the snapshot");
                continue;
            }
            (colon >= 0 ? parent.slices : parent.children).add(node);
            byId.put(id, node);
        }
        ProfileElement rootRules = element(root, BaseScope.R4, List.of(r4.type(sd.getType())), run);
        boolean modifier = "Extension".equals(sd.getType()) && elements.get(0).getIsModifier();
        return new CompiledProfile(sd.getUrl(), sd.getType(), rootRules, contexts(sd), modifier, List.copyOf(run.fallbacks));
    }

    private static List<String> contexts(StructureDefinition sd) {
        if (!"Extension".equals(sd.getType())) {
            return List.of();
        }
        List<String> contexts = new ArrayList<>();
        for (StructureDefinitionContextComponent context : sd.getContext()) {
            if (context.getType() == ExtensionContextType.FHIRPATH) {
                return List.of(); // a FHIRPath context is not checked: anywhere goes
            }
            contexts.add(context.getExpression());
        }
        return contexts;
    }

    /**
     * @param owners the R4 type rules of the element holding this one (to check names exist); may
     *               contain nulls for primitive or unknown types
     */
    private ProfileElement element(Node node, BaseScope scope, List<TypeRules> owners, Run run) {
        ElementDefinition e = node.element;
        ElementDefinition base = base(e, node.id(), scope);
        ProfileElement rules = new ProfileElement(node.name(), node.id(), run.url);
        rules.min = e.getMin();
        rules.max = max(e.getMax());
        int baseMin = base == null ? 0 : base.getMin();
        int baseMax = base == null ? Integer.MAX_VALUE : max(base.getMax());
        rules.checkCardinality = rules.min > baseMin || rules.max < baseMax;
        if (e.getPath().endsWith("[x]") && base != null) {
            Set<String> types = typeCodes(e);
            if (!types.isEmpty() && !types.equals(typeCodes(base))) {
                rules.types = types;
            }
        }
        Set<String> targets = targets(e, run);
        if (targets != null && !targets.equals(base == null ? null : targets(base, run))) {
            rules.targets = targets;
        }
        rules.typeProfiles = typeProfiles(e, base);
        if (e.hasFixed()) {
            rules.fixed = ExpectedValue.fixed(e.getFixed());
        }
        if (e.hasPattern()) {
            rules.pattern = ExpectedValue.pattern(e.getPattern());
        }
        if (e.hasBinding() && e.getBinding().getStrength() == BindingStrength.REQUIRED && e.getBinding().hasValueSet()
                && !sameRequiredBinding(e, base)) {
            rules.binding = new RequiredBinding(e.getBinding().getValueSet(), packages.terminology);
        }
        rules.invariants = invariants(e, base, run);

        List<TypeRules> childOwners = childOwners(e, base, owners);
        Map<String, ProfileElement> children = new LinkedHashMap<>();
        for (Node child : node.children) {
            if (child.element.hasContentReference()) {
                continue; // the referenced element's own rules are the ones R4 checks there
            }
            if (!knownChild(childOwners, child.name())) {
                run.fallbacks.add(child.id() + ": not an element of " + describe(childOwners));
                continue;
            }
            ProfileElement compiled = element(child, scope, childOwners, run);
            if (!compiled.isEmpty()) {
                children.put(compiled.name, compiled);
            }
        }
        rules.children = Map.copyOf(children);
        if (!node.slices.isEmpty()) {
            rules.slicing = slicing(node, scope, owners, run);
        }
        return rules;
    }

    private Slicing slicing(Node sliced, BaseScope scope, List<TypeRules> owners, Run run) {
        ElementDefinition e = sliced.element;
        // hasSlicing() first: HAPI's getters create what is missing, and these definitions are shared.
        ElementDefinitionSlicingComponent definition = e.hasSlicing() ? e.getSlicing() : null;
        boolean extensions = "extension".equals(sliced.name()) || "modifierExtension".equals(sliced.name());
        List<Slicing.Discriminator> discriminators = new ArrayList<>();
        List<ElementDefinitionSlicingDiscriminatorComponent> declared =
                definition == null ? List.of() : definition.getDiscriminator();
        if (declared.isEmpty()) {
            if (!extensions) {
                run.fallbacks.add(sliced.id() + ": slicing without discriminators");
                return null;
            }
            discriminators.add(new Slicing.Discriminator(Slicing.Kind.VALUE, List.of("url")));
        }
        for (ElementDefinitionSlicingDiscriminatorComponent d : declared) {
            Slicing.Kind kind = switch (d.getType()) {
                case VALUE -> Slicing.Kind.VALUE;
                case PATTERN -> Slicing.Kind.PATTERN;
                case TYPE -> Slicing.Kind.TYPE;
                case EXISTS -> Slicing.Kind.EXISTS;
                default -> null;
            };
            String path = d.getPath();
            if (kind == null || path.contains("(") || path.contains("[")) {
                run.fallbacks.add(sliced.id() + ": discriminator " + d.getType().toCode() + " on '" + path + "' is not compiled");
                return null;
            }
            discriminators.add(new Slicing.Discriminator(kind, "$this".equals(path) ? List.of() : List.of(path.split("\\."))));
        }
        List<Slicing.Slice> slices = new ArrayList<>();
        for (Node slice : sliced.slices) {
            BaseScope sliceScope = scope;
            String extensionUrl = extensionProfile(slice.element);
            if (extensionUrl != null) {
                sliceScope = extensionScope(slice.id(), extensionUrl);
            }
            ProfileElement rules = element(slice, sliceScope, owners, run);
            Object[] values = new Object[discriminators.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = discriminatorValue(slice, discriminators.get(i), extensionUrl);
                if (values[i] == null) {
                    run.fallbacks.add(slice.id() + ": no value for the discriminator '"
                            + String.join(".", discriminators.get(i).path()) + "'");
                    return null;
                }
            }
            slices.add(new Slicing.Slice(slice.element.getSliceName(), rules, values));
        }
        boolean closed = definition != null && definition.getRules() == SlicingRules.CLOSED;
        boolean relativeUrlsClosed = extensions && e.getPath().equals("Extension.extension");
        return new Slicing(discriminators.toArray(new Slicing.Discriminator[0]), closed,
                definition != null && definition.getOrdered(),
                relativeUrlsClosed, slices.toArray(new Slicing.Slice[0]));
    }

    /** The value a slice's values must show at the discriminator's path, or null when the profile does not say. */
    private static Object discriminatorValue(Node slice, Slicing.Discriminator discriminator, String extensionUrl) {
        List<String> path = discriminator.path();
        if (discriminator.kind() == Slicing.Kind.TYPE) {
            if (!path.isEmpty() || slice.element.getType().size() != 1) {
                return null;
            }
            return slice.element.getType().get(0).getCode();
        }
        if (extensionUrl != null && path.equals(List.of("url"))) {
            return ExpectedValue.text(extensionUrl);
        }
        Node current = slice;
        for (int i = 0; i <= path.size(); i++) {
            ElementDefinition e = current.element;
            if (discriminator.kind() == Slicing.Kind.EXISTS && i == path.size()) {
                return e.getMin() > 0 ? Boolean.TRUE : "0".equals(e.getMax()) ? Boolean.FALSE : null;
            }
            if (e.hasFixed() || e.hasPattern()) {
                ExpectedValue value = e.hasFixed() ? ExpectedValue.fixed(e.getFixed()) : ExpectedValue.pattern(e.getPattern());
                return value.at(path.subList(i, path.size()));
            }
            if (i == path.size()) {
                return null;
            }
            Node next = current.child(path.get(i));
            if (next == null) {
                return null;
            }
            if (!next.slices.isEmpty() && !hasValueBelow(next, path.subList(i + 1, path.size()))) {
                // The path runs into a sliced element (bp: code.coding is sliced, its required slice
                // fixes the code): the value comes from the one required slice that fixes it.
                Node only = null;
                for (Node candidate : next.slices) {
                    if (candidate.element.getMin() > 0 && hasValueBelow(candidate, path.subList(i + 1, path.size()))) {
                        if (only != null) {
                            return null;
                        }
                        only = candidate;
                    }
                }
                if (only == null) {
                    return null;
                }
                next = only;
            }
            current = next;
        }
        return null;
    }

    /** True when following {@code path} from the node reaches a fixed or pattern value. */
    private static boolean hasValueBelow(Node node, List<String> path) {
        Node current = node;
        for (int i = 0; ; i++) {
            if (current.element.hasFixed() || current.element.hasPattern()) {
                return true;
            }
            if (i == path.size()) {
                return false;
            }
            current = current.child(path.get(i));
            if (current == null) {
                return false;
            }
        }
    }

    /** The extension definition a slice of extensions is typed with, or null. */
    private static String extensionProfile(ElementDefinition e) {
        if (e.getType().size() == 1 && "Extension".equals(e.getType().get(0).getCode())
                && e.getType().get(0).hasProfile()) {
            return Terminology.withoutVersion(e.getType().get(0).getProfile().get(0).getValue());
        }
        return null;
    }

    private BaseScope extensionScope(String sliceId, String extensionUrl) {
        Map<String, ElementDefinition> byId = new HashMap<>();
        packages.definition(extensionUrl).ifPresent(sd -> {
            for (ElementDefinition e : sd.getSnapshot().getElement()) {
                byId.put(e.hasId() ? e.getId() : e.getPath(), e);
            }
        });
        return new BaseScope(sliceId, byId);
    }

    private ElementDefinition base(ElementDefinition e, String id, BaseScope scope) {
        if (scope.rootId() != null && id.startsWith(scope.rootId())) {
            ElementDefinition own = scope.extensionElements().get("Extension" + id.substring(scope.rootId().length()));
            if (own != null) {
                return own;
            }
        }
        return e.hasBase() ? r4Elements.get(e.getBase().getPath()) : null;
    }

    private List<TypeRules> childOwners(ElementDefinition e, ElementDefinition base, List<TypeRules> owners) {
        List<TypeRules> found = new ArrayList<>();
        if (base != null && r4.type(base.getPath()) != null && !r4.type(base.getPath()).resource) {
            found.add(r4.type(base.getPath())); // a backbone element
        }
        if (e.getPath().indexOf('.') < 0) {
            found.addAll(owners); // the root: its own type's rules
        }
        for (TypeRefComponent type : e.getType()) {
            TypeRules rules = r4.type(type.getCode());
            found.add(rules); // null for primitives, whose only children are id and extension
        }
        return found;
    }

    private static boolean knownChild(List<TypeRules> owners, String name) {
        if (owners.isEmpty()) {
            return true;
        }
        for (TypeRules owner : owners) {
            if (owner == null) {
                if ("id".equals(name) || "extension".equals(name) || "value".equals(name)) {
                    return true;
                }
            } else if (owner.child(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static String describe(List<TypeRules> owners) {
        List<String> names = new ArrayList<>();
        for (TypeRules owner : owners) {
            names.add(owner == null ? "a primitive" : owner.name);
        }
        return String.join(" or ", names);
    }

    private static Set<String> typeCodes(ElementDefinition e) {
        Set<String> codes = new LinkedHashSet<>();
        for (TypeRefComponent type : e.getType()) {
            codes.add(type.getCode());
        }
        return codes;
    }

    /** Allowed reference target types, or null for any resource. */
    private Set<String> targets(ElementDefinition e, Run run) {
        Set<String> targets = new HashSet<>();
        boolean reference = false;
        for (TypeRefComponent type : e.getType()) {
            if (!"Reference".equals(type.getCode())) {
                continue;
            }
            reference = true;
            if (type.getTargetProfile().isEmpty()) {
                return null;
            }
            for (CanonicalType target : type.getTargetProfile()) {
                String resourceType = targetType(target.getValue());
                if (resourceType == null) {
                    run.fallbacks.add(e.getId() + ": the target profile " + target.getValue() + " is not known");
                    return null;
                }
                if ("Resource".equals(resourceType)) {
                    return null;
                }
                targets.add(resourceType);
            }
        }
        return reference ? targets : null;
    }

    private String targetType(String url) {
        String plain = Terminology.withoutVersion(url);
        String last = plain.substring(plain.lastIndexOf('/') + 1);
        if (plain.startsWith(CORE) && ("Resource".equals(last) || r4.isResourceType(last))) {
            return last;
        }
        return packages.definition(plain).map(StructureDefinition::getType).orElse(null);
    }

    /** Datatype profiles (not extensions, which are checked wherever they appear) the base does not already name. */
    private static String[] typeProfiles(ElementDefinition e, ElementDefinition base) {
        Set<String> baseProfiles = new HashSet<>();
        if (base != null) {
            for (TypeRefComponent type : base.getType()) {
                for (CanonicalType profile : type.getProfile()) {
                    baseProfiles.add(Terminology.withoutVersion(profile.getValue()));
                }
            }
        }
        List<String> profiles = new ArrayList<>();
        for (TypeRefComponent type : e.getType()) {
            if ("Extension".equals(type.getCode())) {
                continue;
            }
            for (CanonicalType profile : type.getProfile()) {
                String url = Terminology.withoutVersion(profile.getValue());
                if (!baseProfiles.contains(url)) {
                    profiles.add(url);
                }
            }
        }
        return profiles.toArray(new String[0]);
    }

    private static boolean sameRequiredBinding(ElementDefinition e, ElementDefinition base) {
        return base != null && base.hasBinding() && base.getBinding().getStrength() == BindingStrength.REQUIRED
                && base.getBinding().hasValueSet()
                && Terminology.withoutVersion(base.getBinding().getValueSet())
                .equals(Terminology.withoutVersion(e.getBinding().getValueSet()));
    }

    private Invariant[] invariants(ElementDefinition e, ElementDefinition base, Run run) {
        Set<String> baseKeys = new HashSet<>();
        if (base != null) {
            for (ElementDefinitionConstraintComponent c : base.getConstraint()) {
                baseKeys.add(c.getKey());
            }
        }
        List<Invariant> compiled = new ArrayList<>();
        for (ElementDefinitionConstraintComponent c : e.getConstraint()) {
            if (baseKeys.contains(c.getKey()) || NOT_COMPILED.contains(c.getKey()) || !c.hasExpression()) {
                continue;
            }
            Invariant invariant = r4.invariants.compile(c);
            if (invariant == null) {
                run.fallbacks.add(e.getId() + ": the invariant " + c.getKey() + " cannot be parsed");
            } else {
                compiled.add(invariant);
            }
        }
        return compiled.toArray(new Invariant[0]);
    }

    private static int max(String max) {
        return max == null || "*".equals(max) ? Integer.MAX_VALUE : Integer.parseInt(max);
    }
}
