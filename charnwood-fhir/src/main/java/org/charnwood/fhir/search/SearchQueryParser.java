package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.QueryStrings;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the query parameters of a search into a {@link SearchQuery}: splits names into code,
 * modifier and chain, values into AND (repeated parameter) and OR (comma) alternatives, and checks
 * every name against the registry. Unknown names and malformed values (birthdate=notadate) are refused, or the
 * parameter is ignored with a warning when the client asked for lenient handling; an unsupported modifier is
 * always refused, as R4 requires.
 */
final class SearchQueryParser {

    /** Parameters a system-level search (no resource type) understands, besides the control ones. */
    private static final Map<String, SearchParamType> SYSTEM_PARAMS = Map.of(
            "_tag", SearchParamType.TOKEN, "_security", SearchParamType.TOKEN,
            "_profile", SearchParamType.URI, "_source", SearchParamType.URI);
    /** Format parameters the REST layer applies: accepted, and left out of the self query. */
    private static final Set<String> FORMAT = Set.of("_format", "_pretty");
    private static final Set<String> PAGING = Set.of("_count", "_getpagesoffset", "_offset",
            PageCursor.AFTER, PageCursor.BEFORE);
    /** Parameters on the resource row itself, the same whatever its type. */
    private static final Set<String> ANY_TYPE = Set.of("_id", "_lastUpdated", "_type");
    private static final int MAX_CHAIN_DEPTH = 3;

    private final SearchParameterRegistry registry;
    private final ServerBase serverBase;
    private final int defaultPageSize;
    private final int maxPageSize;
    private volatile List<CanonicalTarget> everyCanonicalTarget;

    SearchQueryParser(SearchParameterRegistry registry, ServerBase serverBase, int defaultPageSize, int maxPageSize) {
        this.registry = registry;
        this.serverBase = serverBase;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    /** An unknown parameter name: refused, or skipped with a warning under lenient handling. */
    static final class UnknownParameter extends RuntimeException {
        UnknownParameter(String message) {
            super(message, null, false, false);
        }
    }

    /** A criterion's value that cannot be read (a date that is not one): refused, or its parameter skipped under
     * lenient handling. */
    static final class MalformedValue extends RuntimeException {
        MalformedValue(String name, String problem) {
            super("Invalid search parameter '" + name + "': " + problem, null, false, false);
        }
    }

    SearchQuery parse(SearchRequest request, Instant now) {
        String type = request.resourceType();
        if (type != null && !registry.isResourceType(type)) {
            throw FhirException.of(404, ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.NOTSUPPORTED,
                    "'" + type + "' is not a FHIR R4 resource type");
        }
        // A search across the types _type names takes the parameters they all define (R4 search.html#all).
        List<String> across = type == null ? typesNamed(request.parameters()) : null;
        ValueConditions conditions = new ValueConditions(serverBase, now);
        List<Criterion> where = new ArrayList<>();
        List<SortKey> sort = new ArrayList<>();
        List<IncludeSpec> includes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        StringBuilder self = new StringBuilder();
        int count = defaultPageSize;
        int offset = 0;
        PageCursor cursor = null;
        TotalMode total = TotalMode.BOUNDED;
        boolean summaryCount = false;

        for (Map.Entry<String, List<String>> entry : request.parameters().entrySet()) {
            String name = entry.getKey();
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            List<String> values = entry.getValue().stream().filter(v -> v != null && !v.isEmpty()).toList();
            if (name.indexOf(0) >= 0 || values.stream().anyMatch(v -> v.indexOf(0) >= 0)) {
                // No value can hold it, and the database refuses it in text: a malformed request, not a search.
                throw invalid(name.replace(String.valueOf((char) 0), "%00"), "it holds a NUL character (%00)");
            }
            if (values.isEmpty() || FORMAT.contains(base)) {
                continue;
            }
            try {
                switch (base) {
                    case "_count" -> count = Math.min(nonNegative(name, last(values)), maxPageSize);
                    case "_getpagesoffset", "_offset" -> offset = nonNegative(name, last(values));
                    case PageCursor.AFTER, PageCursor.BEFORE -> cursor = cursor(name, last(values), cursor);
                    case "_total" -> total = total(last(values));
                    case "_summary" -> summaryCount = summary(last(values));
                    case "_elements" -> {
                        // applied by the REST layer; kept in the self query
                    }
                    case "_sort" -> {
                        List<SortKey> keys = sort(type, across, values, request.lenient() ? warnings : null);
                        sort.addAll(keys);
                        if (!keys.isEmpty()) {
                            // The keys applied, so that the links ask for the order the page was given in.
                            self.append(self.isEmpty() ? "" : "&").append("_sort=").append(QueryStrings.encode(
                                    String.join(",", keys.stream().map(SortKey::written).toList())));
                        }
                        continue;
                    }
                    case "_include", "_revinclude" -> includes.addAll(includes(name, values));
                    default -> {
                        // All of a parameter's values are read before any is applied, so one that is skipped
                        // under lenient handling is skipped whole.
                        List<Criterion> these = new ArrayList<>();
                        for (String value : values) {
                            these.add(across == null ? criterion(type, name, value, 0, conditions)
                                    : acrossTypes(across, name, value, conditions));
                        }
                        where.addAll(these);
                    }
                }
            } catch (UnknownParameter e) {
                if (!request.lenient()) {
                    throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER, e.getMessage());
                }
                warnings.add(e.getMessage() + "; it was ignored");
                continue;
            } catch (MalformedValue e) {
                if (!request.lenient()) {
                    throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, e.getMessage());
                }
                warnings.add(e.getMessage() + "; it was ignored");
                continue;
            }
            if (!PAGING.contains(base)) {
                for (String value : values) {
                    self.append(self.isEmpty() ? "" : "&").append(QueryStrings.encode(name)).append('=')
                            .append(QueryStrings.encode(value));
                }
            }
        }
        if (request.conditional() && where.stream().noneMatch(SearchQueryParser::filters)) {
            // Result controls, format parameters and empty values select nothing: searched as they are, they
            // would match every resource of the type, and the create, update or delete would act on all of them.
            throw FhirException.of(400, ErrorCode.CONDITIONAL_WITHOUT_CRITERIA, IssueType.INVALID,
                    "A conditional request needs at least one search criterion with a value (parameters such as"
                            + " _format, _pretty, _count, _summary, _elements, _sort, _total and _include do not"
                            + " select resources); this one would match every " + (type == null ? "resource" : type));
        }
        if (cursor != null && cursor.values().size() != sort.size()) {
            throw invalid(cursor.before() ? PageCursor.BEFORE : PageCursor.AFTER, "the paging token was made for"
                    + " another _sort; follow the links of the search's bundle, or start again from its first page");
        }
        if (cursor != null) {
            for (int i = 0; i < sort.size(); i++) {
                String value = cursor.values().get(i);
                if (value != null && !sort.get(i).readsBack(value)) {
                    throw invalid(cursor.before() ? PageCursor.BEFORE : PageCursor.AFTER, "not a paging token for"
                            + " this search: its value for " + sort.get(i).code() + " was not cut under this _sort;"
                            + " follow the links of the search's bundle, or start again from its first page");
                }
            }
        }
        return new SearchQuery(type, new Criterion.AllOf(where), sort, includes, summaryCount ? 0 : count, offset,
                summaryCount ? TotalMode.ACCURATE : total, summaryCount, warnings, self.toString(), cursor);
    }

    /** Whether a criterion can leave any resource out: an empty AllOf or an always-true constant cannot. */
    private static boolean filters(Criterion criterion) {
        return switch (criterion) {
            case Criterion.AllOf all -> all.conditions().stream().anyMatch(SearchQueryParser::filters);
            case Criterion.Constant constant -> !constant.value();
            default -> true;
        };
    }

    // ---- criteria ---------------------------------------------------------------------------

    /**
     * The types a system-level search is confined to by {@code _type}, in the order named, or null when it names
     * none. Each occurrence must hold, so with several only the types every one names can match.
     */
    private List<String> typesNamed(Map<String, List<String>> parameters) {
        List<String> occurrences = parameters.get("_type");
        if (occurrences == null) {
            return null;
        }
        Set<String> types = null;
        for (String occurrence : occurrences) {
            if (occurrence == null || occurrence.isEmpty()) {
                continue;
            }
            Set<String> named = new LinkedHashSet<>();
            for (String alternative : ValueSyntax.split(occurrence, ',')) {
                String t = ValueSyntax.unescape(alternative);
                if (t.isEmpty()) {
                    continue;
                }
                if (!registry.isResourceType(t)) {
                    throw invalid("_type", "'" + t + "' is not a resource type");
                }
                named.add(t);
            }
            if (types == null) {
                types = named;
            } else {
                types.retainAll(named);
            }
        }
        return types == null ? null : List.copyOf(types);
    }

    /**
     * One parameter occurrence of a search across the types {@code _type} names: the parameter must be defined and
     * searchable for every one of them, and be of one kind (string, token...) on all, as a parameter common to them
     * is. Each type's resources are matched by that type's own definition of it, so that a parameter stored under
     * other codes for one type (a derived one) still finds them.
     */
    private Criterion acrossTypes(List<String> types, String name, String value, ValueConditions conditions) {
        String code = name.startsWith("_has:") ? "_has" : name.split("[:.]", 2)[0];
        if (ANY_TYPE.contains(code)) {
            return criterion(null, name, value, 0, conditions);
        }
        SearchParameterDefinition first = null;
        List<Criterion.OfType> branches = new ArrayList<>();
        for (String t : types) {
            if (!code.equals("_has")) {
                SearchParameterDefinition def = commonDefinition(types, t, code, "");
                if (first == null) {
                    first = def;
                } else if (def.type() != first.type()) {
                    throw invalid(name, "it is a " + first.type().code() + " parameter of " + types.get(0)
                            + " but a " + def.type().code() + " parameter of " + t
                            + ", so it is not one parameter common to the types searched");
                }
            }
            branches.add(new Criterion.OfType(t, criterion(t, name, value, 0, conditions)));
        }
        return new Criterion.AnyType(branches);
    }

    /** A parameter's definition for one of the types a search across several names; unknown if not defined there. */
    private SearchParameterDefinition commonDefinition(List<String> types, String type, String code, String where) {
        return registry.find(type, code).filter(SearchParameterDefinition::searchable).orElseThrow(
                () -> new UnknownParameter("Unknown search parameter '" + code + "'" + where + " for resource type "
                        + type + ": a search across several types (_type=" + String.join(",", types)
                        + ") takes only parameters defined for every one of them"));
    }

    private Criterion criterion(String type, String name, String value, int depth, ValueConditions conditions) {
        if (name.startsWith("_has:")) {
            return reverseChain(type, name, value, depth, conditions);
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            return chain(type, name.substring(0, dot), name.substring(dot + 1), value, depth, conditions);
        }
        int colon = name.indexOf(':');
        String code = colon < 0 ? name : name.substring(0, colon);
        String modifier = colon < 0 ? null : name.substring(colon + 1);
        List<String> alternatives = ValueSyntax.split(value, ',').stream().filter(v -> !v.isEmpty()).toList();
        if (alternatives.isEmpty()) {
            return new Criterion.AllOf(List.of());
        }
        if ("missing".equals(modifier) && (code.equals("_id") || code.equals("_lastUpdated"))) {
            // every resource has an id and a lastUpdated
            return new Criterion.Constant(!missingFlag(name, value));
        }
        switch (code) {
            case "_id" -> {
                // _id is a token parameter (Resource-id), so it takes :not as any token does.
                if (!"not".equals(modifier)) {
                    requireNoModifier(name, modifier);
                }
                return new Criterion.Ids(alternatives.stream().map(ValueSyntax::unescape).toList(), modifier != null);
            }
            case "_lastUpdated" -> {
                requireNoModifier(name, modifier);
                List<ValueCondition> dates = new ArrayList<>();
                for (String alternative : alternatives) {
                    dates.add(valueOf(name, () -> conditions.date(alternative)));
                }
                return new Criterion.ResourceColumns(
                        resource -> column -> resource + ".last_updated", dates);
            }
            case "_type" -> {
                requireNoModifier(name, modifier);
                List<String> types = alternatives.stream().map(ValueSyntax::unescape).toList();
                for (String t : types) {
                    if (!registry.isResourceType(t)) {
                        throw invalid(name, "'" + t + "' is not a resource type");
                    }
                }
                return new Criterion.Types(types);
            }
            default -> {
            }
        }
        SearchParameterDefinition def = definition(type, code);
        if ("missing".equals(modifier)) {
            StoredRows rows = StoredRows.of(def);
            // A Reference with only an identifier has no reference row, only the identifier's token rows; a
            // derived parameter's target type cannot be told from those, so they count only where it has none.
            String alsoIn = def.type() == SearchParamType.REFERENCE && rows.targetType() == null ? "idx_token" : null;
            return new Criterion.Missing(IndexTable.of(def.type()), rows, missingFlag(name, value), alsoIn);
        }
        boolean negated = false;
        String valueModifier = modifier;
        if (modifier != null) {
            switch (def.type()) {
                case TOKEN -> {
                    negated = modifier.equals("not");
                    if (modifier.equals("of-type") && def.expression() != null && !def.expression()
                            .toLowerCase(java.util.Locale.ROOT).contains("identifier")) {
                        // R4 defines :of-type for Identifier values only; elsewhere no row has a type to match.
                        throw invalid(name, "the modifier ':of-type' applies only to identifier parameters,"
                                + " and " + code + " is not one");
                    }
                }
                case REFERENCE -> {
                    if (modifier.equals("identifier")) {
                        // Reference.identifier values are stored as tokens under the reference's code; a
                        // derived parameter's target type cannot be told from them, so it is not applied.
                        List<ValueCondition> anyOf = new ArrayList<>();
                        for (String alternative : alternatives) {
                            anyOf.add(valueOf(name, () -> conditions.token(alternative, null)));
                        }
                        return new Criterion.IndexMatch("idx_token", type,
                                new StoredRows(StoredRows.of(def).params(), null), anyOf, false, null);
                    }
                    if (!registry.isResourceType(modifier)) {
                        throw invalid(name, "the modifier ':" + modifier + "' is not supported for reference "
                                + "parameters (use a resource type, :identifier or :missing)");
                    }
                    if (!def.targets().isEmpty() && !def.targets().contains(modifier)) {
                        throw invalid(name, code + " cannot refer to a " + modifier + " (it refers to "
                                + String.join(", ", def.targets()) + ")");
                    }
                }
                case STRING, URI -> {
                }
                default -> throw invalid(name, "the modifier ':" + modifier + "' is not supported for "
                        + def.type().code() + " parameters");
            }
        }
        String finalModifier = negated ? null : valueModifier;
        List<ValueCondition> anyOf = new ArrayList<>();
        for (String alternative : alternatives) {
            anyOf.add(valueOf(name, () -> conditions.forType(def.type(), alternative, finalModifier, def)));
        }
        List<String> patients = null;
        if (def.type() == SearchParamType.REFERENCE && !negated) {
            patients = new ArrayList<>();
            for (String alternative : alternatives) {
                String id = conditions.patientId(alternative, finalModifier, StoredRows.of(def).targetType());
                if (id == null) {
                    patients = null;
                    break;
                }
                patients.add(id);
            }
        }
        return new Criterion.IndexMatch(IndexTable.of(def.type()), type, StoredRows.of(def), anyOf, negated,
                patients);
    }

    /** The definition of a parameter on the type, or on every type for a system-level search. */
    private SearchParameterDefinition definition(String type, String code) {
        if (type == null) {
            SearchParamType systemType = SYSTEM_PARAMS.get(code);
            if (systemType == null) {
                throw new UnknownParameter("Unknown search parameter '" + code + "' for a search across all types"
                        + " (supported: _id, _lastUpdated, _tag, _profile, _security, _source, _type; name the"
                        + " types with _type to search by the parameters they share)");
            }
            return registry.find("Basic", code).orElseThrow();
        }
        SearchParameterDefinition def = registry.find(type, code).orElseThrow(
                () -> new UnknownParameter("Unknown search parameter '" + code + "' for resource type " + type));
        if (!def.searchable()) {
            throw new UnknownParameter("The search parameter '" + code + "' of " + type + " is not supported");
        }
        return def;
    }

    private Criterion chain(String type, String head, String tail, String value, int depth,
                            ValueConditions conditions) {
        if (type == null) {
            throw new UnknownParameter("Chained parameter '" + head + "." + tail + "' needs a resource type");
        }
        if (depth >= MAX_CHAIN_DEPTH) {
            throw invalid(head + "." + tail, "chains may be at most " + MAX_CHAIN_DEPTH + " levels deep");
        }
        int colon = head.indexOf(':');
        String code = colon < 0 ? head : head.substring(0, colon);
        String targetModifier = colon < 0 ? null : head.substring(colon + 1);
        SearchParameterDefinition def = definition(type, code);
        if (def.type() != SearchParamType.REFERENCE) {
            throw invalid(head + "." + tail, "'" + code + "' is a " + def.type().code()
                    + " parameter; only reference parameters can be chained");
        }
        List<String> candidates;
        if (targetModifier != null) {
            if (!registry.isResourceType(targetModifier)
                    || !def.targets().isEmpty() && !def.targets().contains(targetModifier)) {
                throw invalid(head + "." + tail, code + " cannot refer to a " + targetModifier);
            }
            candidates = List.of(targetModifier);
        } else {
            candidates = List.copyOf(def.targets());
        }
        String tailCode = tail.split("[:.]", 2)[0];
        List<Criterion.Chain.Target> targets = new ArrayList<>();
        for (String target : candidates) {
            boolean known = tailCode.equals("_id") || tailCode.equals("_lastUpdated") || tail.startsWith("_has:")
                    || registry.find(target, tailCode).map(SearchParameterDefinition::searchable).orElse(false);
            if (known) {
                targets.add(new Criterion.Chain.Target(target, criterion(target, tail, value, depth + 1, conditions),
                        CanonicalTarget.of(registry, target)));
            }
        }
        if (targets.isEmpty()) {
            throw new UnknownParameter("Unknown search parameter '" + tailCode + "' in chain '" + head + "." + tail
                    + "': no target of " + code + " (" + String.join(", ", candidates) + ") has it");
        }
        return new Criterion.Chain(type, StoredRows.of(def), targets);
    }

    private Criterion reverseChain(String type, String name, String value, int depth, ValueConditions conditions) {
        if (type == null) {
            throw new UnknownParameter("'" + name + "' needs a resource type");
        }
        if (depth >= MAX_CHAIN_DEPTH) {
            throw invalid(name, "chains may be at most " + MAX_CHAIN_DEPTH + " levels deep");
        }
        String[] parts = name.split(":", 4);
        if (parts.length < 4 || parts[3].isEmpty()) {
            throw invalid(name, "expected _has:Type:reference-parameter:parameter");
        }
        String source = parts[1];
        String param = parts[2];
        if (!registry.isResourceType(source)) {
            throw invalid(name, "'" + source + "' is not a resource type");
        }
        SearchParameterDefinition def = definition(source, param);
        if (def.type() != SearchParamType.REFERENCE) {
            throw invalid(name, "'" + param + "' of " + source + " is not a reference parameter");
        }
        // A reference held as a canonical URL names this resource by its url, when the parameter may refer to it.
        StoredRows rows = StoredRows.of(def);
        boolean mayNameIt = (def.targets().isEmpty() || def.targets().contains(type))
                && (rows.targetType() == null || rows.targetType().equals(type));
        return new Criterion.Has(type, source, rows, criterion(source, parts[3], value, depth + 1, conditions),
                mayNameIt ? CanonicalTarget.of(registry, type) : null);
    }

    private static boolean missingFlag(String name, String value) {
        String flag = value.trim();
        if (!flag.equals("true") && !flag.equals("false")) {
            throw new MalformedValue(name, "':missing' takes true or false, not '" + value + "'");
        }
        return flag.equals("true");
    }

    private static ValueCondition valueOf(String name, java.util.function.Supplier<ValueCondition> parse) {
        try {
            return parse.get();
        } catch (ValueConditions.UnsupportedModifier e) {
            throw invalid(name, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MalformedValue(name, e.getMessage());
        }
    }

    private static void requireNoModifier(String name, String modifier) {
        if (modifier != null) {
            throw invalid(name, "the modifier ':" + modifier + "' is not supported here");
        }
    }

    // ---- control parameters -----------------------------------------------------------------

    /**
     * The keys of {@code _sort}. {@code lenientWarnings}: under lenient handling, where an unknown key is reported
     * and left out while the others still apply (the order asked for, less what cannot be known); null when an
     * unknown key refuses the search.
     */
    private List<SortKey> sort(String type, List<String> across, List<String> values, List<String> lenientWarnings) {
        List<SortKey> keys = new ArrayList<>();
        for (String value : values) {
            for (String raw : value.split(",")) {
                String key = raw.trim();
                if (key.isEmpty()) {
                    continue;
                }
                try {
                    keys.add(sortKey(type, across, key));
                } catch (UnknownParameter e) {
                    if (lenientWarnings == null) {
                        throw e;
                    }
                    lenientWarnings.add(e.getMessage() + "; the results are not sorted by it");
                }
            }
        }
        return keys;
    }

    private SortKey sortKey(String type, List<String> across, String key) {
        boolean descending = key.startsWith("-");
        String code = descending ? key.substring(1) : key;
        if (code.equals("_id") || code.equals("_lastUpdated")) {
            return new SortKey(code, null, descending);
        }
        if (type == null && across != null) {
            return sortAcross(across, code, descending);
        }
        if (type == null) {
            throw new UnknownParameter("Cannot sort a search across all types by '" + code
                    + "' (only _id and _lastUpdated, or the parameters the types named by _type share)");
        }
        SearchParameterDefinition def = registry.find(type, code).filter(SearchParameterDefinition::searchable)
                .orElseThrow(() -> new UnknownParameter("Unknown search parameter '" + code
                        + "' in _sort for resource type " + type));
        if (!SortKey.sortable(def.type())) {
            throw invalid("_sort", "cannot sort by the " + def.type().code() + " parameter '" + code + "'");
        }
        return new SortKey(code, def, descending);
    }

    /** A sort key of a search across the types {@code _type} names: by a parameter every one of them defines. */
    private SortKey sortAcross(List<String> types, String code, boolean descending) {
        SearchParameterDefinition first = null;
        Map<String, StoredRows> rowsByType = new LinkedHashMap<>();
        for (String t : types) {
            SearchParameterDefinition def = commonDefinition(types, t, code, " in _sort");
            if (first == null) {
                first = def;
            } else if (def.type() != first.type()) {
                throw invalid("_sort", "'" + code + "' is a " + first.type().code() + " parameter of " + types.get(0)
                        + " but a " + def.type().code() + " parameter of " + t);
            }
            if (!SortKey.sortable(def.type())) {
                throw invalid("_sort", "cannot sort by the " + def.type().code() + " parameter '" + code + "'");
            }
            rowsByType.put(t, StoredRows.of(def));
        }
        boolean storedAlike = rowsByType.values().stream().distinct().count() <= 1;
        return new SortKey(code, first, descending, storedAlike ? null : rowsByType);
    }

    private List<IncludeSpec> includes(String name, List<String> values) {
        boolean reverse = name.startsWith("_revinclude");
        String modifier = name.contains(":") ? name.substring(name.indexOf(':') + 1) : null;
        if (modifier != null && !modifier.equals("iterate") && !modifier.equals("recurse")) {
            throw invalid(name, "the modifier ':" + modifier + "' is not supported (use :iterate)");
        }
        boolean iterate = modifier != null;
        List<IncludeSpec> specs = new ArrayList<>();
        for (String value : values) {
            if (value.equals("*")) {
                specs.add(new IncludeSpec(reverse, null, null, null, null, iterate, canonicalTargets()));
                continue;
            }
            String[] parts = value.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw invalid(name, "'" + value + "' must be Type:parameter or Type:parameter:TargetType");
            }
            if (!registry.isResourceType(parts[0])) {
                throw invalid(name, "'" + parts[0] + "' is not a resource type");
            }
            String param = parts[1].equals("*") ? null : parts[1];
            StoredRows rows = null;
            java.util.Set<String> targets = java.util.Set.of();
            if (param != null) {
                SearchParameterDefinition def = registry.find(parts[0], param).filter(SearchParameterDefinition::searchable)
                        .orElseThrow(() -> new UnknownParameter("Unknown search parameter '" + parts[1] + "' for "
                                + parts[0] + " in " + name));
                if (def.type() != SearchParamType.REFERENCE) {
                    throw invalid(name, "'" + parts[1] + "' of " + parts[0] + " is not a reference parameter");
                }
                rows = StoredRows.of(def);
                targets = def.targets();
            }
            String target = parts.length == 3 ? parts[2] : null;
            if (target != null && !registry.isResourceType(target)) {
                throw invalid(name, "'" + target + "' is not a resource type");
            }
            boolean canRefer = target == null || param == null || (targets.isEmpty() || targets.contains(target))
                    && (rows.targetType() == null || target.equals(rows.targetType()));
            if (!canRefer) {
                // As a chain through the same parameter to that type is refused: the include could never add one.
                throw invalid(name, parts[1] + " of " + parts[0] + " cannot refer to a " + target + " (it refers to "
                        + (rows.targetType() != null ? rows.targetType() : String.join(", ", new java.util.TreeSet<>(targets)))
                        + ")");
            }
            List<CanonicalTarget> canonical = target != null ? CanonicalTarget.among(registry, List.of(target))
                    : rows != null && rows.targetType() != null ? CanonicalTarget.among(registry, List.of(rows.targetType()))
                    : targets.isEmpty() ? canonicalTargets() : CanonicalTarget.among(registry, targets);
            specs.add(new IncludeSpec(reverse, parts[0], param, rows, target, iterate, canonical));
        }
        return specs;
    }

    /** Every type that can be named by canonical URL, for includes of any reference ({@code *}); read once. */
    private List<CanonicalTarget> canonicalTargets() {
        List<CanonicalTarget> all = everyCanonicalTarget;
        if (all == null) {
            all = CanonicalTarget.among(registry, List.of());
            everyCanonicalTarget = all;
        }
        return all;
    }

    private static PageCursor cursor(String name, String value, PageCursor earlier) {
        if (earlier != null) {
            throw invalid(name, "a page is placed by one of _after and _before, not both");
        }
        try {
            return PageCursor.parse(value, name.equals(PageCursor.BEFORE));
        } catch (IllegalArgumentException e) {
            throw invalid(name, e.getMessage());
        }
    }

    private static TotalMode total(String value) {
        return switch (value) {
            case "none" -> TotalMode.NONE;
            case "estimate" -> TotalMode.ESTIMATE;
            case "accurate" -> TotalMode.ACCURATE;
            default -> throw invalid("_total", "'" + value + "' is not one of none, estimate, accurate");
        };
    }

    private static boolean summary(String value) {
        return switch (value) {
            case "count" -> true;
            case "true", "false", "text", "data" -> false;
            default -> throw invalid("_summary", "'" + value + "' is not one of true, text, data, count, false");
        };
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name, "'" + value + "' is not a whole number of zero or more");
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }

    static FhirException invalid(String name, String problem) {
        return FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                "Invalid search parameter '" + name + "': " + problem);
    }
}
