package org.charnwood.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The R4 (4.0.1) definitions compiled into rule tables: one {@link TypeRules} per resource, complex
 * datatype and backbone element, built from the StructureDefinition snapshots that ship with HAPI.
 * Compiling takes a few seconds, once per process, so one instance is shared by every validator.
 */
final class R4Definitions {
    private static final Logger log = LoggerFactory.getLogger(R4Definitions.class);

    /**
     * Invariants checked in Java instead of FHIRPath: ele-1 and ext-1 fall out of the walk itself,
     * txt-1/txt-2 need XHTML inspection FHIRPath cannot do, dom-3 would make FHIRPath visit every
     * descendant of every resource that has contained resources, and ref-1 is answered from the
     * same record of fragment references as dom-3.
     */
    private static final Set<String> CHECKED_NATIVELY = Set.of("ele-1", "ext-1", "txt-1", "txt-2", "dom-3", "ref-1");
    /**
     * dom-6 only says a resource should have a narrative: a best-practice warning that would be
     * attached to nearly every resource a system (rather than a person) writes.
     */
    private static final Set<String> NOT_CHECKED = Set.of("dom-6");

    /**
     * Published R4 invariants that say something other than their own description, replaced by
     * the corrected expression later FHIR versions carry: que-12 reads "more than one enableWhen"
     * but R4 tests for more than two; bdl-8 forbids a version-specific fullUrl, but R4's expression
     * is empty, so false, for an entry without a fullUrl, which a collection or a bundle kept as a
     * resource may well have.
     */
    private static final Map<String, String> CORRECTED = Map.of(
            "que-12", "enableWhen.count() > 1 implies enableBehavior.exists()",
            "bdl-8", "fullUrl.exists() implies fullUrl.contains('/_history/').not()");

    private static volatile R4Definitions shared;

    final FhirContext context;
    final DefaultProfileValidationSupport support;
    final Terminology terminology;
    final ExtensionDefinitions extensions;
    final FhirPathInvariants invariants;
    private final Map<String, TypeRules> types = new HashMap<>();
    private final Map<String, Invariant[]> profileInvariants = new HashMap<>();
    private final Set<String> resourceTypes = new HashSet<>();
    private volatile Map<String, SearchParameter> searchParameters;

    private R4Definitions(FhirContext context) {
        long started = System.nanoTime();
        this.context = context;
        this.support = new DefaultProfileValidationSupport(context);
        this.terminology = new Terminology(support);
        this.extensions = new ExtensionDefinitions(support);
        this.invariants = new FhirPathInvariants(context, support);
        List<StructureDefinition> all = support.fetchAllStructureDefinitions();
        Map<String, StructureDefinition> byType = new HashMap<>();
        for (StructureDefinition sd : all) {
            if (isBaseDefinition(sd)) {
                byType.put(sd.getType(), sd);
                if (sd.getKind() == StructureDefinitionKind.RESOURCE) {
                    resourceTypes.add(sd.getType());
                }
            }
        }
        for (StructureDefinition sd : byType.values()) {
            compile(sd);
        }
        for (StructureDefinition sd : all) {
            if (sd.getKind() == StructureDefinitionKind.COMPLEXTYPE
                    && sd.getDerivation() == TypeDerivationRule.CONSTRAINT && sd.hasSnapshot()
                    && byType.containsKey(sd.getType())) {
                compileProfileInvariants(sd, byType.get(sd.getType()));
            }
        }
        log.info("Compiled R4 rules for {} types in {} ms", types.size(), (System.nanoTime() - started) / 1_000_000);
    }

    static R4Definitions shared() {
        R4Definitions d = shared;
        if (d == null) {
            synchronized (R4Definitions.class) {
                d = shared;
                if (d == null) {
                    d = new R4Definitions(FhirContexts.r4());
                    shared = d;
                }
            }
        }
        return d;
    }

    TypeRules type(String name) {
        return types.get(name);
    }

    boolean isResourceType(String name) {
        return resourceTypes.contains(name);
    }

    /** The R4 search parameters by canonical URL, loaded the first time a definition needs them. */
    Map<String, SearchParameter> searchParameters() {
        Map<String, SearchParameter> found = searchParameters;
        if (found == null) {
            found = new HashMap<>();
            for (Object sp : support.fetchAllSearchParameters()) {
                if (sp instanceof SearchParameter parameter && parameter.hasUrl()) {
                    found.put(parameter.getUrl(), parameter);
                }
            }
            searchParameters = found;
        }
        return found;
    }

    /** The extra invariants a core datatype profile (SimpleQuantity, MoneyQuantity...) adds, by profile URL. */
    Invariant[] profileInvariants(String profileUrl) {
        return profileInvariants.getOrDefault(profileUrl, new Invariant[0]);
    }

    private static boolean isBaseDefinition(StructureDefinition sd) {
        return sd.getDerivation() == TypeDerivationRule.SPECIALIZATION && !sd.getAbstract() && sd.hasSnapshot()
                && (sd.getKind() == StructureDefinitionKind.RESOURCE
                || sd.getKind() == StructureDefinitionKind.COMPLEXTYPE)
                && (!sd.hasFhirVersion() || sd.getFhirVersion() == FHIRVersion._4_0_1);
    }

    private void compile(StructureDefinition sd) {
        List<ElementDefinition> elements = sd.getSnapshot().getElement();
        boolean resource = sd.getKind() == StructureDefinitionKind.RESOURCE;
        TypeRules root = new TypeRules(sd.getType(), resource);
        root.invariants = invariants(elements.get(0).getConstraint(), Set.of());
        Map<String, TypeRules> nodes = new HashMap<>();
        Map<TypeRules, List<ElementRule>> children = new HashMap<>();
        nodes.put(elements.get(0).getPath(), root);
        children.put(root, new ArrayList<>());
        Map<ElementRule, String> contentReferences = new HashMap<>();
        for (int i = 1; i < elements.size(); i++) {
            ElementDefinition e = elements.get(i);
            if (e.hasSliceName()) {
                continue;
            }
            String path = e.getPath();
            int dot = path.lastIndexOf('.');
            TypeRules parent = nodes.get(path.substring(0, dot));
            if (parent == null) {
                continue;
            }
            boolean hasChildren = i + 1 < elements.size() && elements.get(i + 1).getPath().startsWith(path + ".");
            ElementRule rule = rule(parent, e, path.substring(dot + 1));
            if (hasChildren) {
                TypeRules node = new TypeRules(path, false);
                node.invariants = invariants(e.getConstraint(), Set.of());
                nodes.put(path, node);
                children.put(node, new ArrayList<>());
                rule.backbone = node;
            } else {
                rule.invariants = invariants(e.getConstraint(), Set.of());
            }
            if (e.hasContentReference()) {
                contentReferences.put(rule, e.getContentReference().substring(e.getContentReference().indexOf('#') + 1));
            }
            if (e.hasBinding() && e.getBinding().getStrength() == BindingStrength.REQUIRED
                    && e.getBinding().hasValueSet() && bindable(rule.types)) {
                rule.binding = new RequiredBinding(e.getBinding().getValueSet(), terminology);
            }
            children.get(parent).add(rule);
        }
        contentReferences.forEach((rule, target) -> rule.backbone = nodes.get(target));
        children.forEach(TypeRules::children);
        types.put(sd.getType(), root);
        nodes.forEach((path, node) -> {
            if (node != root) {
                types.put(path, node);
            }
        });
    }

    private ElementRule rule(TypeRules parent, ElementDefinition e, String rawName) {
        boolean choice = rawName.endsWith("[x]");
        String name = choice ? rawName.substring(0, rawName.length() - 3) : rawName;
        List<String> codes = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        boolean anyTarget = false;
        String typeProfile = null;
        for (TypeRefComponent type : e.getType()) {
            codes.add(type.getCode());
            if ("Reference".equals(type.getCode())) {
                if (type.getTargetProfile().isEmpty()) {
                    anyTarget = true;
                }
                for (CanonicalType target : type.getTargetProfile()) {
                    String t = target.getValue().substring(target.getValue().lastIndexOf('/') + 1);
                    if ("Resource".equals(t) || !target.getValue().startsWith(ExtensionDefinitions.CORE_PREFIX)) {
                        anyTarget = true;
                    }
                    targets.add(t);
                }
            }
            if (type.hasProfile()) {
                typeProfile = type.getProfile().get(0).getValue();
            }
        }
        ElementRule.Kind kind = kind(parent, name, codes);
        int max = "*".equals(e.getMax()) ? Integer.MAX_VALUE : Integer.parseInt(e.getMax());
        return new ElementRule(name, e.getMin(), max, kind, codes.toArray(new String[0]),
                choice ? Set.copyOf(codes) : null,
                anyTarget || targets.isEmpty() ? null : Set.copyOf(targets), typeProfile, e.getPath());
    }

    private static ElementRule.Kind kind(TypeRules parent, String name, List<String> codes) {
        if ("id".equals(name)) {
            return parent.resource ? ElementRule.Kind.RESOURCE_ID : ElementRule.Kind.ELEMENT_ID;
        }
        if ("Extension".equals(parent.name) && "url".equals(name)) {
            return ElementRule.Kind.EXTENSION_URL;
        }
        if ("Narrative".equals(parent.name) && "div".equals(name)) {
            return ElementRule.Kind.NARRATIVE_DIV;
        }
        if (codes.size() == 1 && "Resource".equals(codes.get(0))) {
            return ElementRule.Kind.RESOURCE;
        }
        return ElementRule.Kind.PLAIN;
    }

    private static boolean bindable(String[] codes) {
        for (String code : codes) {
            switch (code) {
                case "code", "Coding", "CodeableConcept" -> {
                    return true;
                }
                default -> {
                }
            }
        }
        return false;
    }

    private Invariant[] invariants(List<ElementDefinitionConstraintComponent> constraints, Set<String> exclude) {
        List<Invariant> compiled = new ArrayList<>();
        for (ElementDefinitionConstraintComponent c : constraints) {
            if (CHECKED_NATIVELY.contains(c.getKey()) || NOT_CHECKED.contains(c.getKey())
                    || exclude.contains(c.getKey())) {
                continue;
            }
            if (CORRECTED.containsKey(c.getKey())) {
                c = c.copy().setExpression(CORRECTED.get(c.getKey()));
            }
            Invariant invariant = invariants.compile(c);
            if (invariant != null) {
                compiled.add(invariant);
            }
        }
        return compiled.toArray(new Invariant[0]);
    }

    private void compileProfileInvariants(StructureDefinition profile, StructureDefinition base) {
        Set<String> baseKeys = new HashSet<>();
        for (ElementDefinitionConstraintComponent c : base.getSnapshot().getElementFirstRep().getConstraint()) {
            baseKeys.add(c.getKey());
        }
        Invariant[] extra = invariants(profile.getSnapshot().getElementFirstRep().getConstraint(), baseKeys);
        if (extra.length > 0) {
            profileInvariants.put(profile.getUrl(), extra);
        }
    }
}
