package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UriType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One pass over a resource that claims (or must meet) profiles. The walk follows the compiled R4
 * type rules, so it reaches every element, and lays the claimed profiles' compiled rules over the
 * elements they constrain. Wherever it is, it also checks what HAPI's instance validator checks
 * everywhere once a profile is in play: extensions against their definitions (value, sub-extensions,
 * bindings, where they may be used), codes against the code systems held in full, UCUM units, and
 * that identifier systems are absolute. Single use, not shared between threads.
 */
final class ProfileWalk {
    private static final Base[] NO_VALUES = new Base[0];
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

    /** A claimed profile that is not compiled, with the resource claiming it and where that resource is. */
    record Fallback(Resource resource, String path, String profile) {
    }

    private final CompiledProfiles profiles;
    private final R4Definitions defs;
    private final Findings findings;
    private final ElementPath path = new ElementPath();
    private final TypeRules primitiveRules;
    private final List<Fallback> fallbacks = new ArrayList<>();
    private Scope scope;

    /** The resource being walked, the one FHIRPath sees as %rootResource, and what references can resolve to. */
    private static final class Scope {
        final Resource resource;
        final Resource root;
        final Scope container;
        /** Resource types by fullUrl of the outermost bundle's entries; empty outside bundles. */
        final Map<String, String> bundleTypes;

        Scope(Resource resource, Scope container, Map<String, String> bundleTypes) {
            this.resource = resource;
            this.container = container;
            this.root = container == null ? resource : container.root;
            this.bundleTypes = bundleTypes;
        }
    }

    ProfileWalk(CompiledProfiles profiles, R4Definitions defs, Findings findings) {
        this.profiles = profiles;
        this.defs = defs;
        this.findings = findings;
        // A primitive's only children that can carry anything are its extensions.
        TypeRules primitive = new TypeRules("Element", false);
        primitive.children(List.of(defs.type("Extension").child("extension")));
        this.primitiveRules = primitive;
    }

    /** Walks the resource; {@code required} are profiles it must meet besides those it claims. */
    void run(Resource resource, List<CompiledProfile> required) {
        path.push(resource.fhirType(), -1, null);
        visitResource(resource, null, required);
        path.pop();
    }

    /** Claimed profiles that were not compiled, for the caller to check another way. */
    List<Fallback> fallbacks() {
        return fallbacks;
    }

    private void visitResource(Resource resource, Scope container, List<CompiledProfile> required) {
        TypeRules rules = defs.type(resource.fhirType());
        if (rules == null) {
            return;
        }
        List<ProfileElement> roots = new ArrayList<>();
        if (resource.hasMeta()) {
            List<CanonicalType> claimed = resource.getMeta().getProfile();
            for (int i = 0; i < claimed.size(); i++) {
                addProfile(resource, profiles.profile(claimed.get(i).getValue()), roots, "meta.profile[" + i + "]");
            }
        }
        for (CompiledProfile profile : required) {
            addProfile(resource, profile, roots, null);
        }
        Scope saved = scope;
        Map<String, String> bundleTypes = saved == null ? new HashMap<>() : saved.bundleTypes;
        scope = new Scope(resource, container, bundleTypes);
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasFullUrl() && entry.getResource() != null) {
                    bundleTypes.put(entry.getFullUrl(), entry.getResource().fhirType());
                }
            }
        }
        try {
            ProfileElement[] overlays = roots.toArray(ProfileElement.NONE);
            visitChildren(resource, rules, overlays, null);
            for (ProfileElement root : overlays) {
                checkInvariants(root, resource);
            }
        } finally {
            scope = saved;
        }
    }

    private void addProfile(Resource resource, CompiledProfile profile, List<ProfileElement> roots, String claim) {
        if (profile == null) {
            return; // unknown: RepositoryValidator has reported it
        }
        if (!profile.type().equals(resource.fhirType()) && !"Resource".equals(profile.type())
                && !"DomainResource".equals(profile.type())) {
            error(IssueType.STRUCTURE, "The profile " + profile.url() + " is for " + profile.type() + ", not "
                    + resource.fhirType(), claim == null ? path.render() : path.renderChild(claim));
            return;
        }
        if (profile.compiled()) {
            roots.add(profile.root());
        } else {
            fallbacks.add(new Fallback(resource, path.render(), profile.url()));
        }
    }

    /**
     * Visits the children of {@code node} as R4 defines them, with {@code overlays} the profile
     * rules that hold for {@code node} itself (their children are the rules for its children).
     */
    private void visitChildren(Base node, TypeRules rules, ProfileElement[] overlays, ElementRule nodeRule) {
        for (ElementRule rule : rules.children) {
            if (rule.kind == ElementRule.Kind.NARRATIVE_DIV) {
                continue;
            }
            ProfileElement[] childRules = childRules(overlays, rule.name);
            Base[] values = values(node, rule);
            if (values.length == 0 && childRules.length == 0) {
                continue;
            }
            ProfileElement[][] perValue = childRules.length == 0 ? null : applicable(values, childRules);
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    visitValue(values[i], rule, perValue == null ? ProfileElement.NONE : perValue[i], i, node, nodeRule);
                }
            }
        }
    }

    private static ProfileElement[] childRules(ProfileElement[] overlays, String name) {
        if (overlays.length == 0) {
            return ProfileElement.NONE;
        }
        ProfileElement[] found = null;
        int n = 0;
        for (ProfileElement overlay : overlays) {
            ProfileElement child = overlay.child(name);
            if (child != null) {
                if (found == null) {
                    found = new ProfileElement[overlays.length];
                }
                found[n++] = child;
            }
        }
        return found == null ? ProfileElement.NONE : n == found.length ? found : Arrays.copyOf(found, n);
    }

    private static Base[] values(Base node, ElementRule rule) {
        try {
            Base[] values = node.getProperty(rule.hash, rule.name, false);
            return values == null ? NO_VALUES : values;
        } catch (RuntimeException e) {
            return NO_VALUES;
        }
    }

    /**
     * Checks the counts the profiles set for one child element and its slices, and works out, for
     * each value, every rule that applies to it: the element's own and those of the slice it is in.
     */
    private ProfileElement[][] applicable(Base[] values, ProfileElement[] childRules) {
        int present = 0;
        for (Base value : values) {
            if (value != null && !value.isEmpty()) {
                present++;
            }
        }
        List<ProfileElement>[] extra = null;
        for (ProfileElement rules : childRules) {
            if (rules.checkCardinality) {
                if (present < rules.min) {
                    error(IssueType.REQUIRED, rules.id + ": minimum required = " + rules.min + ", but only found "
                            + present + " (from " + rules.profile + ")", path.render());
                } else if (present > rules.max) {
                    error(IssueType.STRUCTURE, rules.id + ": max allowed = " + rules.max + ", but found " + present
                            + " (from " + rules.profile + ")", path.render());
                }
            }
            if (rules.slicing != null) {
                if (extra == null) {
                    @SuppressWarnings("unchecked")
                    List<ProfileElement>[] lists = new List[values.length];
                    extra = lists;
                }
                slice(values, rules, extra);
            }
        }
        ProfileElement[][] perValue = new ProfileElement[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (extra == null || extra[i] == null) {
                perValue[i] = childRules;
            } else {
                ProfileElement[] all = Arrays.copyOf(childRules, childRules.length + extra[i].size());
                for (int j = 0; j < extra[i].size(); j++) {
                    all[childRules.length + j] = extra[i].get(j);
                }
                perValue[i] = all;
            }
        }
        return perValue;
    }

    private void slice(Base[] values, ProfileElement sliced, List<ProfileElement>[] extra) {
        Slicing slicing = sliced.slicing;
        int[] counts = new int[slicing.slices.length];
        int last = -1;
        for (int i = 0; i < values.length; i++) {
            Base value = values[i];
            if (value == null || value.isEmpty()) {
                continue;
            }
            int matched = -1;
            for (int s = 0; s < slicing.slices.length && matched < 0; s++) {
                if (matches(value, slicing, slicing.slices[s])) {
                    matched = s;
                }
            }
            String at = path.renderChild(sliced.name + "[" + i + "]");
            if (matched >= 0) {
                counts[matched]++;
                if (extra[i] == null) {
                    extra[i] = new ArrayList<>(2);
                }
                extra[i].add(slicing.slices[matched].rules());
                if (slicing.ordered && matched < last) {
                    error(IssueType.STRUCTURE, "As specified by the profile " + sliced.profile + ", " + sliced.id
                            + " is ordered, but this value (slice " + slicing.slices[matched].name()
                            + ") comes after one of a later slice", at);
                }
                last = Math.max(last, matched);
            } else if (slicing.relativeUrlsClosed && value instanceof Extension extension && extension.hasUrl()
                    && !PrimitiveFormats.isAbsoluteUri(extension.getUrl())) {
                error(IssueType.STRUCTURE, "Sub-extension url '" + extension.getUrl() + "' is not defined by the Extension "
                        + sliced.profile, at);
            } else if (slicing.closed) {
                error(IssueType.STRUCTURE, "This element does not match any known slice defined in the profile "
                        + sliced.profile + " and slicing is CLOSED (" + sliced.id + ")", at);
            }
        }
        for (int s = 0; s < slicing.slices.length; s++) {
            ProfileElement rules = slicing.slices[s].rules();
            if (counts[s] < rules.min) {
                error(IssueType.REQUIRED, counts[s] == 0
                        ? "Slice '" + rules.id + "': a matching slice is required, but not found (from " + rules.profile + ")"
                        : rules.id + ": minimum required = " + rules.min + ", but only found " + counts[s]
                        + " (from " + rules.profile + ")", path.render());
            } else if (counts[s] > rules.max) {
                error(IssueType.STRUCTURE, rules.id + ": max allowed = " + rules.max + ", but found " + counts[s]
                        + " (from " + rules.profile + ")", path.render());
            }
        }
    }

    private static boolean matches(Base value, Slicing slicing, Slicing.Slice slice) {
        for (int d = 0; d < slicing.discriminators.length; d++) {
            Slicing.Discriminator discriminator = slicing.discriminators[d];
            Object expected = slice.values()[d];
            List<Base> found = navigate(value, discriminator.path());
            boolean ok = false;
            switch (discriminator.kind()) {
                case TYPE -> {
                    for (Base item : found) {
                        ok |= expected.equals(item.fhirType());
                    }
                }
                case VALUE, PATTERN -> {
                    for (Base item : found) {
                        ok |= ((ExpectedValue) expected).matches(item);
                    }
                }
                case EXISTS -> ok = ((Boolean) expected) != found.isEmpty();
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Every value found by following property names from {@code value}, through repeating elements too. */
    private static List<Base> navigate(Base value, List<String> names) {
        List<Base> current = List.of(value);
        for (String name : names) {
            List<Base> next = new ArrayList<>(2);
            for (Base item : current) {
                Base[] children;
                try {
                    children = item.getProperty(name.hashCode(), name, false);
                } catch (RuntimeException e) {
                    children = null;
                }
                if (children != null) {
                    for (Base child : children) {
                        if (child != null && !child.isEmpty()) {
                            next.add(child);
                        }
                    }
                }
            }
            current = next;
        }
        return current;
    }

    private void visitValue(Base value, ElementRule rule, ProfileElement[] rules, int index, Base holder,
                            ElementRule holderRule) {
        int depth = path.depth();
        path.push(rule.name, rule.repeats() ? index : -1, rule.choice() ? value.fhirType() : null);
        try {
            if (rule.kind == ElementRule.Kind.RESOURCE) {
                if (value instanceof Resource nested) {
                    visitResource(nested, "contained".equals(rule.name) ? scope : null, List.of());
                }
                return;
            }
            if (rule.kind != ElementRule.Kind.PLAIN) {
                return; // ids and extension urls: nothing a profile here adds to what base R4 checked
            }
            for (ProfileElement r : rules) {
                checkValue(value, r);
            }
            ProfileElement[] overlays = rules;
            if (value instanceof PrimitiveType<?> primitive) {
                if (primitive instanceof UriType uri) {
                    checkOid(uri);
                }
                if (primitive.hasExtension() || overlaysHaveExtensionRules(rules)) {
                    visitChildren(value, primitiveRules, rules, rule);
                }
            } else {
                if (value instanceof Extension extension) {
                    overlays = visitExtension(extension, "modifierExtension".equals(rule.name), rules, holder, holderRule);
                } else if (value instanceof CodeableConcept concept) {
                    checkCodes(concept);
                } else if (value instanceof Coding coding && !(holder instanceof CodeableConcept)) {
                    checkCode(coding);
                } else if (value instanceof Quantity quantity) {
                    checkUnit(quantity);
                } else if (value instanceof Identifier identifier) {
                    checkIdentifierSystem(identifier);
                }
                overlays = withTypeProfiles(value, overlays);
                TypeRules typeRules = rule.backbone != null ? rule.backbone
                        : defs.type(rule.choice() || rule.type() == null ? value.fhirType() : rule.type());
                if (typeRules != null) {
                    visitChildren(value, typeRules, overlays, rule);
                }
            }
            for (ProfileElement r : overlays) {
                checkInvariants(r, value);
            }
        } finally {
            path.truncate(depth);
        }
    }

    private static boolean overlaysHaveExtensionRules(ProfileElement[] rules) {
        for (ProfileElement r : rules) {
            if (r.child("extension") != null) {
                return true;
            }
        }
        return false;
    }

    /** Adds the rules of datatype profiles the element's type names (a profiled Quantity, say). */
    private ProfileElement[] withTypeProfiles(Base value, ProfileElement[] rules) {
        ProfileElement[] result = rules;
        for (ProfileElement r : rules) {
            for (String url : r.typeProfiles) {
                CompiledProfile profile = profiles.profile(url);
                if (profile != null && profile.compiled() && profile.type().equals(value.fhirType())) {
                    checkValue(value, profile.root());
                    result = Arrays.copyOf(result, result.length + 1);
                    result[result.length - 1] = profile.root();
                }
            }
        }
        return result;
    }

    /** An extension with a known definition is checked against it and may only be where the definition says. */
    private ProfileElement[] visitExtension(Extension extension, boolean asModifier, ProfileElement[] rules, Base holder,
                                             ElementRule holderRule) {
        if (!extension.hasUrl()) {
            return rules;
        }
        if (!PrimitiveFormats.isAbsoluteUri(extension.getUrl())) {
            if (!(holder instanceof Extension)) {
                // Only a sub-extension may have a relative url (its name within the outer extension).
                error(IssueType.STRUCTURE, "Extension.url must be an absolute URL", path.render());
            }
            return rules;
        }
        CompiledProfile definition = profiles.extension(extension.getUrl());
        if (definition == null) {
            return rules; // unknown extensions are allowed
        }
        if (!definition.compiled()) {
            return rules;
        }
        if (asModifier != definition.modifier()) {
            error(IssueType.STRUCTURE, "The extension " + definition.url() + (definition.modifier()
                    ? " is a modifier extension and must be used as a modifierExtension"
                    : " must not be used as a modifierExtension (it is a regular extension)"), path.render());
        }
        if (!definition.contexts().isEmpty() && !allowedAt(definition.contexts(), holder, holderRule)) {
            error(IssueType.STRUCTURE, "The extension " + definition.url() + " is not allowed to be used at this point"
                    + " (allowed: " + String.join(", ", definition.contexts()) + ")", path.render());
        }
        checkValue(extension, definition.root());
        ProfileElement[] overlays = Arrays.copyOf(rules, rules.length + 1);
        overlays[rules.length] = definition.root();
        return overlays;
    }

    private boolean allowedAt(List<String> contexts, Base holder, ElementRule holderRule) {
        if (holder == null) {
            return true;
        }
        // The walk has already moved down to the extension: the holder's path is one segment up.
        String plain = path.renderPlain();
        String holderPath = plain.substring(0, Math.max(plain.lastIndexOf('.'), 0));
        for (String context : contexts) {
            if ("Element".equals(context) || "Base".equals(context) || context.equals(holder.fhirType())
                    || context.equals(holderPath)) {
                return true;
            }
            if (holder instanceof Resource) {
                if ("Resource".equals(context) || ("DomainResource".equals(context) && holder instanceof DomainResource)) {
                    return true;
                }
            } else if (holderRule != null && (context.equals(holderRule.definitionPath)
                    || ("BackboneElement".equals(context) && holderRule.backbone != null))) {
                return true;
            }
            if (holder instanceof Extension outer && context.equals(outer.getUrl())) {
                return true;
            }
        }
        return false;
    }

    private void checkValue(Base value, ProfileElement rules) {
        if (rules.types != null && !rules.types.contains(value.fhirType())) {
            error(IssueType.STRUCTURE, "The type " + value.fhirType() + " is not allowed for " + rules.id
                    + " by the profile " + rules.profile + " (allowed: " + String.join(", ", new TreeSet<>(rules.types))
                    + ")", path.render());
        }
        boolean primitiveWithoutValue = value instanceof PrimitiveType<?> primitive && !primitive.hasValue();
        if (rules.fixed != null && !primitiveWithoutValue && !rules.fixed.matches(value)) {
            error(IssueType.VALUE, "Value is '" + describe(value) + "' but is fixed to '" + rules.fixed.describe()
                    + "' in the profile " + rules.profile + "#" + rules.id, path.render());
        }
        if (rules.pattern != null && !primitiveWithoutValue && !rules.pattern.matches(value)) {
            error(IssueType.VALUE, "The value does not match the pattern " + rules.pattern.describe()
                    + " that the profile " + rules.profile + " sets for " + rules.id, path.render());
        }
        if (rules.binding != null) {
            checkBinding(value, rules);
        }
        if (rules.targets != null && value instanceof Reference reference) {
            checkTarget(reference, rules);
        }
    }

    private static String describe(Base value) {
        return value.isPrimitive() ? value.primitiveValue() : value.fhirType();
    }

    /** A required binding that the packages' terminology can expand: HAPI's rules for error and warning. */
    private void checkBinding(Base value, ProfileElement rules) {
        ValueSetMembership members = rules.binding.membership();
        if (!members.checkable()) {
            return; // SNOMED CT, dm+d, languages...: nothing here can say
        }
        String valueSet = rules.binding.valueSet;
        if (value instanceof CodeableConcept concept) {
            if (!concept.hasCoding()) {
                error(IssueType.CODEINVALID, "No code provided, and a code is required from the value set " + valueSet,
                        path.render());
                return;
            }
            boolean local = true;
            for (Coding coding : concept.getCoding()) {
                if (members.contains(coding.getSystem(), coding.getCode())) {
                    return;
                }
                local &= heldInFull(coding.getSystem());
            }
            notInValueSet(local, "None of the codings provided are in the value set " + valueSet
                    + ", and a coding from this value set is required (codes = " + codes(concept.getCoding()) + ")");
        } else if (value instanceof Coding coding) {
            if (!members.contains(coding.getSystem(), coding.getCode())) {
                notInValueSet(heldInFull(coding.getSystem()), "The Coding provided (" + codes(List.of(coding))
                        + ") is not in the value set " + valueSet + ", and a code is required from this value set");
            }
        } else if (value instanceof Quantity quantity) {
            if (quantity.hasCode() && !members.contains(quantity.getSystem(), quantity.getCode())) {
                error(IssueType.CODEINVALID, "The unit (" + quantity.getSystem() + "#" + quantity.getCode()
                        + ") is not in the value set " + valueSet + ", and a code is required from this value set", path.render());
            }
        } else if (value instanceof PrimitiveType<?> primitive) {
            String text = primitive.getValueAsString();
            if (text == null) {
                error(IssueType.CODEINVALID, "No code provided, and a code is required from the value set " + valueSet,
                        path.render());
            } else if (!members.containsCode(text)) {
                error(IssueType.CODEINVALID, "The value provided ('" + text + "') is not in the value set " + valueSet
                        + ", and a code is required from this value set", path.render());
            }
        }
    }

    /** Codes from systems not held in full cannot be proved wrong here, so they only warn. */
    private void notInValueSet(boolean provable, String message) {
        if (provable) {
            error(IssueType.CODEINVALID, message, path.render());
        } else {
            findings.add(IssueSeverity.WARNING, ErrorCode.PROFILE_NOT_MET, IssueType.CODEINVALID,
                    message + " (not checked: the code system is not available to this server in full)", path.render());
        }
    }

    private boolean heldInFull(String system) {
        return system != null && profiles.terminology().codeSystem(system).isPresent();
    }

    private static String codes(List<Coding> codings) {
        List<String> codes = new ArrayList<>();
        for (Coding coding : codings) {
            codes.add(coding.getSystem() + "#" + coding.getCode());
        }
        return String.join(", ", codes);
    }

    private void checkTarget(Reference reference, ProfileElement rules) {
        String type = null;
        String ref = reference.getReference();
        if (ref == null || ref.isEmpty()) {
            if (reference.getResource() instanceof Resource target) {
                type = target.fhirType();
            } else if (reference.hasType()) {
                type = reference.getType();
            }
        } else if (ref.charAt(0) == '#') {
            type = containedType(ref.substring(1));
        } else if (scope.bundleTypes.containsKey(ref)) {
            type = scope.bundleTypes.get(ref);
        } else {
            type = ReferenceTarget.impliedType(ref, defs);
        }
        if (type != null && !rules.targets.contains(type)) {
            error(IssueType.STRUCTURE, "The type '" + type + "' of the reference" + (ref == null ? "" : " " + ref)
                    + " is not a valid target for " + rules.id + " (must be one of "
                    + String.join(", ", new TreeSet<>(rules.targets)) + ")", path.render());
        }
    }

    /** The type of the contained resource with this id, looked up in the resource that contains (or is) this one. */
    private String containedType(String id) {
        Scope owner = scope;
        while (owner.container != null) {
            owner = owner.container;
        }
        if (owner.resource instanceof DomainResource domain) {
            for (Resource contained : domain.getContained()) {
                if (id.equals(contained.getIdElement().getIdPart())) {
                    return contained.fhirType();
                }
            }
        }
        return null;
    }

    /**
     * Codes from code systems held in full (R4's, UK Core's) must be ones they define. As with HAPI
     * (and {@link ProfileValidator}), a concept that also carries a coding from a system not held
     * here (SNOMED CT, LOINC...) only gets a warning: the concept may well be right in that coding.
     */
    private void checkCodes(CodeableConcept concept) {
        boolean provable = true;
        for (Coding coding : concept.getCoding()) {
            provable &= heldInFull(coding.getSystem());
        }
        for (Coding coding : concept.getCoding()) {
            Optional<CodeSystemIndex> codeSystem = coding.hasSystem()
                    ? profiles.terminology().codeSystem(coding.getSystem()) : Optional.empty();
            if (codeSystem.isPresent() && !codeSystem.get().contains(coding.getCode())) {
                notDefined(provable, coding.getSystem(), coding.getCode());
            }
        }
    }

    /** A Coding on its own: a code is checked when there is one. */
    private void checkCode(Coding coding) {
        if (coding.hasSystem() && coding.hasCode()) {
            Optional<CodeSystemIndex> codeSystem = profiles.terminology().codeSystem(coding.getSystem());
            if (codeSystem.isPresent() && !codeSystem.get().contains(coding.getCode())) {
                notDefined(true, coding.getSystem(), coding.getCode());
            }
        }
    }

    private void notDefined(boolean provable, String system, String code) {
        String message = "Unknown code '" + system + "#" + code + "'";
        if (provable) {
            error(IssueType.CODEINVALID, message, path.render());
        } else {
            findings.add(IssueSeverity.WARNING, ErrorCode.PROFILE_NOT_MET, IssueType.CODEINVALID, message
                    + " (not an error: the concept also has codings this server cannot check)", path.render());
        }
    }

    /**
     * HAPI's test for an OID in a uri: the OID syntax, and (its own heuristic) more than a couple
     * of arcs unless under 1.3.
     */
    private void checkOid(UriType uri) {
        String value = uri.getValue();
        if (value != null && value.startsWith("urn:oid:")) {
            String oid = value.substring("urn:oid:".length());
            if (!OID.matcher(oid).matches() || (oid.lastIndexOf('.') < 4 && !oid.startsWith("1.3"))) {
                error(IssueType.VALUE, "OIDs must be valid (" + oid + ")", path.render());
            }
        }
    }

    /** A unit from UCUM must be valid UCUM; one from a code system held in full must be defined there. */
    private void checkUnit(Quantity quantity) {
        if (!quantity.hasCode() || !quantity.hasSystem()) {
            return;
        }
        if (UcumUnits.SYSTEM.equals(quantity.getSystem())) {
            String problem = profiles.ucum().problem(quantity.getCode());
            if (problem != null) {
                error(IssueType.CODEINVALID, "Error processing unit '" + quantity.getCode() + "': " + problem,
                        path.render());
            }
        } else {
            Optional<CodeSystemIndex> codeSystem = profiles.terminology().codeSystem(quantity.getSystem());
            if (codeSystem.isPresent() && !codeSystem.get().contains(quantity.getCode())) {
                notDefined(true, quantity.getSystem(), quantity.getCode());
            }
        }
    }

    /** What HAPI asks of identifier systems: absolute, and the IETF ones used as the IETF says. */
    private void checkIdentifierSystem(Identifier identifier) {
        String system = identifier.getSystem();
        if (system == null) {
            return;
        }
        if (!PrimitiveFormats.isAbsoluteUri(system)) {
            error(IssueType.VALUE, "Identifier.system must be an absolute reference, not a local reference",
                    path.renderChild("system"));
        }
        String value = identifier.getValue();
        if (value == null) {
            return;
        }
        if ("urn:ietf:rfc:3986".equals(system) && !PrimitiveFormats.isAbsoluteUri(value)) {
            error(IssueType.VALUE, "If identifier.system is 'urn:ietf:rfc:3986', then the identifier.value must be a "
                    + "full URI (e.g. start with a scheme), not '" + value + "'", path.render());
        } else if ("https://tools.ietf.org/html/rfc4122".equals(system) && !value.startsWith("urn:uuid:")
                && !UUID.matcher(value).matches()) {
            error(IssueType.VALUE, "The URL 'https://tools.ietf.org/html/rfc4122' is not correct for the identifier '"
                    + value + "'", path.render());
        }
    }

    private void checkInvariants(ProfileElement rules, Base focus) {
        for (Invariant invariant : rules.invariants) {
            Boolean holds = defs.invariants.holds(invariant, scope.resource, scope.root, focus);
            if (Boolean.FALSE.equals(holds)) {
                findings.add(invariant.error() ? IssueSeverity.ERROR : IssueSeverity.WARNING, ErrorCode.PROFILE_NOT_MET,
                        IssueType.INVARIANT, "Constraint failed: " + invariant.key() + ": " + invariant.human()
                                + " (from " + rules.profile + ")", path.render());
            }
        }
    }

    private void error(IssueType type, String message, String expression) {
        findings.error(ErrorCode.PROFILE_NOT_MET, type, message, expression);
    }
}
