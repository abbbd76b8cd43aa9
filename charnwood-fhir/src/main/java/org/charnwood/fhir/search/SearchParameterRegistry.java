package org.charnwood.fhir.search;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.SearchParameter.SearchParameterComponentComponent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every search parameter the repository knows, per resource type. Starts from the official FHIR R4
 * SearchParameter definitions that HAPI ships ({@value #R4_DEFINITIONS}), so coverage follows the
 * specification rather than a hand-written list; further parameters can be {@link #register registered}
 * at runtime. Reads are lock-free; registration replaces a type's table atomically.
 */
public final class SearchParameterRegistry {

    /** The R4 search-parameters bundle inside {@code hapi-fhir-validation-resources-r4}. */
    public static final String R4_DEFINITIONS = "org/hl7/fhir/r4/model/sp/search-parameters.json";

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_\\-]*");
    private static volatile List<SearchParameter> official;

    private final Set<String> resourceTypes;
    private final Set<String> domainResourceTypes;
    private final ElementPathCompiler compiler;
    private final Map<String, ElementPath> compiled = new ConcurrentHashMap<>();
    private final Map<String, SearchParameter> byUrl = new ConcurrentHashMap<>();
    private final Map<String, TypeTable> byType = new ConcurrentHashMap<>();

    /** The parameters of one resource type. */
    private record TypeTable(Map<String, SearchParameterDefinition> byCode, List<SearchParameterDefinition> indexed) {
        static TypeTable of(Map<String, SearchParameterDefinition> defined) {
            return kept(Derivations.apply(defined));
        }

        /** A table whose derivations are already decided. */
        static TypeTable kept(Map<String, SearchParameterDefinition> byCode) {
            List<SearchParameterDefinition> indexed = byCode.values().stream()
                    .filter(SearchParameterDefinition::searchable)
                    .filter(d -> d.derivation() == null)
                    .filter(d -> !d.code().equals("_id") && !d.code().equals("_lastUpdated"))
                    .toList();
            return new TypeTable(Map.copyOf(byCode), indexed);
        }
    }

    private SearchParameterRegistry(List<SearchParameter> definitions) {
        this.resourceTypes = Set.copyOf(new TreeSet<>(FhirContexts.r4().getResourceTypes()));
        Set<String> domain = new TreeSet<>();
        for (String type : resourceTypes) {
            RuntimeResourceDefinition def = FhirContexts.r4().getResourceDefinition(type);
            if (DomainResource.class.isAssignableFrom(def.getImplementingClass())) {
                domain.add(type);
            }
        }
        this.domainResourceTypes = Set.copyOf(domain);
        this.compiler = new ElementPathCompiler(resourceTypes);
        for (SearchParameter sp : definitions) {
            if (sp.hasUrl()) {
                byUrl.putIfAbsent(sp.getUrl(), sp);
            }
        }
        Map<String, Map<String, SearchParameterDefinition>> tables = new HashMap<>();
        for (SearchParameter sp : definitions) {
            for (String type : baseTypes(sp)) {
                tables.computeIfAbsent(type, t -> new LinkedHashMap<>()).putIfAbsent(sp.getCode(), define(sp, type));
            }
        }
        for (String type : resourceTypes) {
            byType.put(type, TypeTable.of(tables.getOrDefault(type, Map.of())));
        }
        // Parse the few expressions the fast path cannot take now: the FHIRPath engine loads the
        // core StructureDefinitions (a couple of seconds) and that belongs in start-up, not in the
        // first write that happens to need it.
        compiled.values().forEach(path -> {
            if (path instanceof FhirPathElementPath fallback) {
                fallback.check();
            }
        });
    }

    /** A registry holding the official R4 search parameters (the bundle is parsed once per JVM). */
    public static SearchParameterRegistry r4() {
        return new SearchParameterRegistry(officialDefinitions());
    }

    private static List<SearchParameter> officialDefinitions() {
        List<SearchParameter> loaded = official;
        if (loaded == null) {
            synchronized (SearchParameterRegistry.class) {
                loaded = official;
                if (loaded == null) {
                    loaded = readBundle();
                    official = loaded;
                }
            }
        }
        return loaded;
    }

    private static List<SearchParameter> readBundle() {
        try (InputStream in = SearchParameterRegistry.class.getClassLoader().getResourceAsStream(R4_DEFINITIONS)) {
            if (in == null) {
                throw new IllegalStateException(R4_DEFINITIONS + " is not on the classpath");
            }
            Bundle bundle = FhirContexts.r4().newJsonParser()
                    .parseResource(Bundle.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<SearchParameter> out = new ArrayList<>();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof SearchParameter sp) {
                    out.add(sp);
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parameter {@code code} of the resource type, if there is one. */
    public Optional<SearchParameterDefinition> find(String resourceType, String code) {
        TypeTable table = byType.get(resourceType);
        return table == null ? Optional.empty() : Optional.ofNullable(table.byCode().get(code));
    }

    /** Every parameter of the type, searchable or not. */
    public Collection<SearchParameterDefinition> all(String resourceType) {
        TypeTable table = byType.get(resourceType);
        return table == null ? List.of() : table.byCode().values();
    }

    /**
     * The parameters whose values are written to the index tables for the type: every searchable one
     * except {@code _id} and {@code _lastUpdated}, which are columns of {@code fhir_resource}, and
     * those derived from others ({@link SearchParameterDefinition.Derivation}).
     */
    public List<SearchParameterDefinition> indexed(String resourceType) {
        TypeTable table = byType.get(resourceType);
        return table == null ? List.of() : table.indexed();
    }

    public Set<String> resourceTypes() {
        return resourceTypes;
    }

    public boolean isResourceType(String type) {
        return resourceTypes.contains(type);
    }

    /**
     * Adds (or replaces, by code, on each base type) a search parameter. Resources written from now on
     * are indexed for it; resources already stored are not re-indexed by this call.
     *
     * @throws FhirException 422 when the definition is incomplete or its expression cannot be compiled
     */
    public synchronized void register(SearchParameter sp) {
        String code = sp.getCode();
        if (code == null || !CODE.matcher(code).matches()) {
            throw invalid("SearchParameter.code '" + code + "' must be letters, digits, '-' or '_'", "SearchParameter.code");
        }
        if (sp.getType() == null || sp.getType().toCode() == null) {
            throw invalid("SearchParameter " + code + " has no type", "SearchParameter.type");
        }
        if (!sp.hasExpression()) {
            throw invalid("SearchParameter " + code + " has no expression", "SearchParameter.expression");
        }
        Set<String> types = baseTypes(sp);
        if (types.isEmpty()) {
            throw invalid("SearchParameter " + code + " has no known base resource type", "SearchParameter.base");
        }
        for (SearchParameterComponentComponent component : sp.getComponent()) {
            if (!byUrl.containsKey(component.getDefinition())) {
                throw invalid("Composite component " + component.getDefinition() + " of " + code
                        + " is not a known SearchParameter", "SearchParameter.component.definition");
            }
        }
        Map<String, SearchParameterDefinition> defined = new LinkedHashMap<>();
        for (String type : types) {
            SearchParameterDefinition definition;
            try {
                definition = define(sp, type);
                if (definition.path() instanceof FhirPathElementPath fallback) {
                    fallback.check();
                }
            } catch (RuntimeException e) {
                throw invalid("The expression of SearchParameter " + code + " cannot be compiled: " + e.getMessage(),
                        "SearchParameter.expression");
            }
            defined.put(type, definition);
        }
        if (sp.hasUrl()) {
            byUrl.put(sp.getUrl(), sp);
        }
        defined.forEach((type, definition) -> {
            // Existing parameters keep how they are stored (their rows are already written); only the
            // new one may be derived, and parameters derived from one it replaces become stored.
            Map<String, SearchParameterDefinition> table = new LinkedHashMap<>();
            byType.get(type).byCode().forEach((c, d) -> table.put(c,
                    d.derivation() != null && d.derivation().params().contains(code) ? d.derivedFrom(null) : d));
            table.put(code, definition.derivedFrom(Derivations.against(definition, table.values())));
            byType.put(type, TypeTable.kept(table));
        });
    }

    private static FhirException invalid(String message, String expression) {
        return FhirException.unprocessable(ErrorCode.INVALID_RESOURCE, message, expression);
    }

    private Set<String> baseTypes(SearchParameter sp) {
        Set<String> types = new LinkedHashSet<>();
        for (CodeType base : sp.getBase()) {
            String b = base.getCode();
            if ("Resource".equals(b)) {
                types.addAll(resourceTypes);
            } else if ("DomainResource".equals(b)) {
                types.addAll(domainResourceTypes);
            } else if (resourceTypes.contains(b)) {
                types.add(b);
            }
        }
        return types;
    }

    /**
     * The expression of a composite's component. R4's DocumentReference {@code relationship} gives its two parts each
     * other's expressions (the reference part {@code code}, the token part {@code target}), so nothing was ever
     * indexed for it; where a part's own definition selects another of the composite's expressions and not the one
     * given, that one is taken.
     */
    private String componentExpression(SearchParameter composite, SearchParameterComponentComponent c,
                                       SearchParameter part) {
        String own = part.getExpression();
        String given = c.getExpression();
        if (own == null || own.endsWith("." + given)) {
            return given;
        }
        for (SearchParameterComponentComponent other : composite.getComponent()) {
            if (other.hasExpression() && own.endsWith("." + other.getExpression())) {
                return other.getExpression();
            }
        }
        return given;
    }

    private SearchParameterDefinition define(SearchParameter sp, String type) {
        SearchParamType paramType = SearchParamType.fromCode(sp.getType().toCode());
        String expression = sp.hasExpression()
                ? compiler.narrow(sp.getExpression(), type, domainResourceTypes.contains(type))
                : null;
        ElementPath path = expression == null ? null : compiled.computeIfAbsent(expression, compiler::compile);
        Set<String> targets = new LinkedHashSet<>();
        sp.getTarget().forEach(t -> targets.add(t.getCode()));
        List<SearchParameterDefinition.Component> components = new ArrayList<>();
        for (SearchParameterComponentComponent c : sp.getComponent()) {
            SearchParameter part = byUrl.get(c.getDefinition());
            if (part == null || part.getType() == null || !c.hasExpression()) {
                components.clear();
                break;
            }
            String partExpression = componentExpression(sp, c, part);
            components.add(new SearchParameterDefinition.Component(c.getDefinition(),
                    SearchParamType.fromCode(part.getType().toCode()), partExpression,
                    compiled.computeIfAbsent(partExpression, compiler::compile)));
        }
        return new SearchParameterDefinition(sp.getUrl(), sp.getCode(), type, paramType, expression, path,
                Set.copyOf(targets), List.copyOf(components), null);
    }
}
