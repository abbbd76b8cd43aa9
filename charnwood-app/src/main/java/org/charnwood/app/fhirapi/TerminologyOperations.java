package org.charnwood.app.fhirapi;

import org.charnwood.app.terminology.ImplicitValueSets;
import org.charnwood.app.terminology.ServedTerminology;
import org.charnwood.app.terminology.TerminologySearch;
import org.charnwood.app.terminology.TerminologyServer;
import org.charnwood.app.terminology.TerminologySettings;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.dmd.DmdProduct;
import org.charnwood.terminology.dmd.DmdProducts;
import org.charnwood.terminology.dmd.ProductCheck;
import org.charnwood.terminology.ecl.EclExpression;
import org.charnwood.terminology.snomed.Concept;
import org.charnwood.terminology.snomed.Designation;
import org.charnwood.terminology.snomed.HistoricalAssociation;
import org.charnwood.terminology.snomed.MapTarget;
import org.charnwood.terminology.snomed.SearchHit;
import org.charnwood.terminology.snomed.SearchRequest;
import org.charnwood.terminology.snomed.SnomedIds;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The FHIR terminology operations over the served SNOMED CT and dm+d releases: CodeSystem/$lookup,
 * CodeSystem/$validate-code, CodeSystem/$subsumes, ValueSet/$validate-code and ValueSet/$expand on SNOMED CT
 * implicit value sets, and ConceptMap/$translate along SNOMED CT historical associations and the CTV3 and Read v2
 * maps. GET with query parameters or POST with a Parameters body; errors are OperationOutcomes.
 */
@Component
class TerminologyOperations {

    static final String CTV3_SYSTEM = "http://read.info/ctv3";
    static final String READ_V2_SYSTEM = "http://read.info/readv2";
    private static final Set<String> OPERATIONS = Set.of("CodeSystem/lookup", "CodeSystem/validate-code",
            "CodeSystem/subsumes", "ValueSet/validate-code", "ValueSet/expand", "ConceptMap/translate");
    private static final int MAX_EXPANSION = 1000;

    private final TerminologyServer server;
    private final TerminologySearch search;
    private final Long readV2Refset;

    TerminologyOperations(TerminologyServer server, TerminologySearch search, TerminologySettings settings) {
        this.server = server;
        this.search = search;
        this.readV2Refset = settings.readV2MapRefset();
    }

    boolean handles(FhirRoute route) {
        return route.isType() && OPERATIONS.contains(route.type() + "/" + route.operation());
    }

    ResponseEntity<byte[]> handle(FhirCall call) {
        if (!call.method().equals("GET") && !call.method().equals("POST")) {
            throw new MethodNotAllowed("$" + call.route().operation() + " takes GET or POST", List.of("GET", "POST"));
        }
        OperationParameters p = OperationParameters.of(call);
        Resource out = switch (call.route().type() + "/" + call.route().operation()) {
            case "CodeSystem/lookup" -> lookup(p);
            case "CodeSystem/validate-code" -> validateInCodeSystem(p);
            case "CodeSystem/subsumes" -> subsumes(p);
            case "ValueSet/validate-code" -> validateInValueSet(p);
            case "ConceptMap/translate" -> translate(p);
            case "ValueSet/expand" -> expand(p);
            default -> throw new IllegalStateException("not a terminology operation: " + call.route());
        };
        return FhirResponses.resource(out, call.format(), 200, new HttpHeaders());
    }

    // --- the code asked about -------------------------------------------------------------------------

    private record Asked(String system, String code, String display) {
    }

    private static Asked asked(OperationParameters p, String codeName, String codingName, String systemName) {
        Coding coding = p.coding(codingName);
        if (coding != null) {
            if (!coding.hasCode()) {
                throw OperationParameters.missing(codingName + " has no code");
            }
            return new Asked(coding.getSystem(), coding.getCode(), coding.getDisplay());
        }
        String code = p.get(codeName);
        if (code == null) {
            throw OperationParameters.missing(codeName + " (or " + codingName + ") is required");
        }
        return new Asked(p.get(systemName), code, p.get("display"));
    }

    private static long sctid(String code) {
        if (code.length() < 6 || code.length() > 18 || code.charAt(0) == '0' || !code.chars().allMatch(Character::isDigit)) {
            throw FhirException.of(400, ErrorCode.CODE_MALFORMED, IssueType.CODEINVALID,
                    "'" + code + "' is not a SNOMED CT identifier (6 to 18 digits)", "code");
        }
        return Long.parseLong(code);
    }

    private static FhirException unknownSystem(String system) {
        return FhirException.of(400, ErrorCode.UNKNOWN_CODE_SYSTEM, IssueType.NOTSUPPORTED, system == null
                ? "system is required: " + ServedTerminology.SNOMED_SYSTEM + " or " + ServedTerminology.DMD_SYSTEM
                : "Code system " + system + " is not served here: use " + ServedTerminology.SNOMED_SYSTEM + " or "
                + ServedTerminology.DMD_SYSTEM, "system");
    }

    // --- CodeSystem/$lookup -------------------------------------------------------------------------

    private Parameters lookup(OperationParameters p) {
        Asked a = asked(p, "code", "coding", "system");
        Set<String> wanted = p.all("property").stream().flatMap(v -> List.of(v.split(",")).stream())
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        ServedTerminology served = server.current();
        if (ServedTerminology.SNOMED_SYSTEM.equals(a.system())) {
            return lookupSnomed(served.requireSnomed(), sctid(a.code()), wanted);
        }
        if (ServedTerminology.DMD_SYSTEM.equals(a.system())) {
            return lookupDmd(served.requireDmd(), sctid(a.code()), wanted);
        }
        throw unknownSystem(a.system());
    }

    private static Parameters lookupSnomed(SnomedRelease release, long id, Set<String> wanted) {
        Concept c = release.concept(id).orElseThrow(() -> FhirException.of(404, ErrorCode.CONCEPT_UNKNOWN,
                IssueType.NOTFOUND, "SNOMED CT concept " + id + " is not in release " + release.release().label(),
                "code"));
        Parameters out = new Parameters();
        out.addParameter("name", "SNOMED CT");
        out.addParameter("version", release.release().label());
        out.addParameter("display", c.preferredTerm() == null ? "" : c.preferredTerm());
        for (Designation d : c.designations()) {
            ParametersParameterComponent designation = out.addParameter().setName("designation");
            designation.addPart().setName("language").setValue(new CodeType(d.languageCode()));
            designation.addPart().setName("use").setValue(use(d));
            designation.addPart().setName("value").setValue(new StringType(d.term()));
        }
        property(out, wanted, "inactive", new BooleanType(!c.active()));
        property(out, wanted, "sufficientlyDefined", new BooleanType(c.sufficientlyDefined()));
        property(out, wanted, "moduleId", new CodeType(Long.toString(c.moduleId())));
        if (c.effectiveTime() > 0) {
            property(out, wanted, "effectiveTime", new StringType(Integer.toString(c.effectiveTime())));
        }
        for (Long parent : c.parents()) {
            property(out, wanted, "parent", new CodeType(parent.toString()));
        }
        for (Long child : c.children()) {
            property(out, wanted, "child", new CodeType(child.toString()));
        }
        return out;
    }

    private static Coding use(Designation d) {
        return switch (d.type()) {
            case FULLY_SPECIFIED_NAME -> new Coding(ServedTerminology.SNOMED_SYSTEM, Long.toString(SnomedIds.FSN),
                    "Fully specified name");
            case DEFINITION -> new Coding(ServedTerminology.SNOMED_SYSTEM, Long.toString(SnomedIds.DEFINITION),
                    "Definition");
            case SYNONYM -> new Coding(ServedTerminology.SNOMED_SYSTEM, Long.toString(SnomedIds.SYNONYM), "Synonym");
        };
    }

    private static void property(Parameters out, Set<String> wanted, String code, org.hl7.fhir.r4.model.Type value) {
        if (!wanted.isEmpty() && !wanted.contains(code)) {
            return;
        }
        ParametersParameterComponent property = out.addParameter().setName("property");
        property.addPart().setName("code").setValue(new CodeType(code));
        property.addPart().setName("value").setValue(value);
    }

    private static Parameters lookupDmd(DmdProducts dmd, long id, Set<String> wanted) {
        ProductCheck check = dmd.check(id);
        DmdProduct product = check.product();
        if (product == null) {
            throw FhirException.of(404, ErrorCode.CONCEPT_UNKNOWN, IssueType.NOTFOUND,
                    id + " is not a product in dm+d release " + dmd.release(), "code");
        }
        Parameters out = new Parameters();
        out.addParameter("name", "dm+d");
        out.addParameter("version", dmd.release());
        out.addParameter("display", product.description());
        property(out, wanted, "level", new CodeType(product.level().name()));
        property(out, wanted, "inactive", new BooleanType(check.replaced() || product.invalid()));
        property(out, wanted, "invalid", new BooleanType(product.invalid()));
        if (product.status() != null) {
            property(out, wanted, "status", new StringType(product.status()));
        }
        if (check.replaced()) {
            property(out, wanted, "replacedBy", new CodeType(Long.toString(product.id())));
        }
        for (DmdProduct.Ref parent : product.parents()) {
            property(out, wanted, "parent", new CodeType(Long.toString(parent.id())));
        }
        for (DmdProduct child : dmd.children(product.id())) {
            property(out, wanted, "child", new CodeType(Long.toString(child.id())));
        }
        return out;
    }

    // --- CodeSystem/$validate-code ---------------------------------------------------------------------

    private Parameters validateInCodeSystem(OperationParameters p) {
        Asked a = asked(p, "code", "coding", "url");
        String system = a.system() != null ? a.system() : p.get("system");
        ServedTerminology served = server.current();
        if (ServedTerminology.SNOMED_SYSTEM.equals(system)) {
            return validateSnomed(served, a, null);
        }
        if (ServedTerminology.DMD_SYSTEM.equals(system)) {
            DmdProducts dmd = served.requireDmd();
            if (!isDigits(a.code())) {
                return result(false, "'" + a.code() + "' is not a dm+d product id", null);
            }
            ProductCheck check = dmd.check(Long.parseLong(a.code()));
            if (!check.valid()) {
                return result(false, check.note() + (served.dmdComplete() ? ""
                        : " (the served dm+d release is a partial sample)"), null);
            }
            Parameters out = result(true, check.note(), check.product().description());
            return displayCheck(out, a.display(), List.of(check.product().description(), check.product().name()));
        }
        throw unknownSystem(system);
    }

    private static boolean isDigits(String code) {
        return code.length() >= 6 && code.length() <= 18 && code.chars().allMatch(Character::isDigit);
    }

    /** Whether the code is an active concept of the release (and, with an expression, in its value set). */
    private Parameters validateSnomed(ServedTerminology served, Asked a, EclExpression valueSet) {
        SnomedRelease release = served.requireSnomed();
        if (!isDigits(a.code()) || a.code().charAt(0) == '0') {
            return result(false, "'" + a.code() + "' is not a SNOMED CT concept id", null);
        }
        long id = Long.parseLong(a.code());
        int index = release.index(id);
        if (index < 0) {
            return result(false, "SNOMED CT concept " + id + " is not in release " + release.release().label()
                    + (served.snomedComplete() ? "" : " (a partial release: the code may exist in SNOMED CT)"), null);
        }
        String display = release.preferredTerm(index);
        if (!release.active(index)) {
            List<Long> instead = release.replacements(id);
            Parameters out = result(false, "SNOMED CT concept " + id + " is inactive" + (instead.isEmpty() ? ""
                    : ": use " + instead.stream().map(String::valueOf).collect(Collectors.joining(" or "))), display);
            out.addParameter("inactive", true);
            return out;
        }
        if (valueSet != null && !ImplicitValueSets.matches(valueSet, release, id)) {
            return result(false, "SNOMED CT concept " + id + " |" + display + "| is not in the value set", display);
        }
        List<String> terms = release.concept(id).map(c -> c.designations().stream().map(Designation::term).toList())
                .orElse(List.of());
        return displayCheck(result(true, null, display), a.display(), terms);
    }

    private static Parameters displayCheck(Parameters out, String display, List<String> terms) {
        if (display != null && terms.stream().noneMatch(t -> t.equalsIgnoreCase(display))) {
            Parameters wrong = new Parameters();
            wrong.addParameter("result", false);
            wrong.addParameter("message", "The display '" + display + "' is not a term of this code");
            out.getParameter().stream().filter(x -> x.getName().equals("display")).findFirst()
                    .ifPresent(x -> wrong.addParameter().setName("display").setValue(x.getValue()));
            return wrong;
        }
        return out;
    }

    private static Parameters result(boolean ok, String message, String display) {
        Parameters out = new Parameters();
        out.addParameter("result", ok);
        if (message != null) {
            out.addParameter("message", message);
        }
        if (display != null) {
            out.addParameter("display", display);
        }
        return out;
    }

    // --- ValueSet/$validate-code ---------------------------------------------------------------------

    private Parameters validateInValueSet(OperationParameters p) {
        String url = p.require("url", "a SNOMED CT implicit value set such as http://snomed.info/sct?fhir_vs=isa/404684003");
        EclExpression expression = ImplicitValueSets.parse(ImplicitValueSets.ecl(url));
        Asked a = asked(p, "code", "coding", "system");
        if (!ServedTerminology.SNOMED_SYSTEM.equals(a.system())) {
            if (a.system() == null) {
                throw OperationParameters.missing("system is required with code");
            }
            return result(false, "Code system " + a.system() + " is not in the value set " + url, null);
        }
        return validateSnomed(server.current(), a, expression);
    }

    // --- ValueSet/$expand ----------------------------------------------------------------------------

    private ValueSet expand(OperationParameters p) {
        String url = p.require("url", "a SNOMED CT implicit value set such as http://snomed.info/sct?fhir_vs=isa/404684003");
        String filter = p.get("filter");
        int count = p.number("count", 100, MAX_EXPANSION);
        int offset = p.number("offset", 0, Integer.MAX_VALUE);
        boolean activeOnly = p.flag("activeOnly", true);
        boolean designations = p.flag("includeDesignations", false);
        String ecl = ImplicitValueSets.ecl(url);
        EclExpression expression = ImplicitValueSets.parse(ecl);
        SnomedRelease release = server.current().requireSnomed();
        BitSet members = ImplicitValueSets.evaluate(expression, release, search.budget());
        if (activeOnly) {
            for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
                if (!release.active(i)) {
                    members.clear(i);
                }
            }
        }
        List<Integer> page = new ArrayList<>();
        int total;
        if (filter != null) {
            // Ranked typeahead inside the value set; the total is of the matches the search returns.
            List<SearchHit> hits = members.isEmpty() ? List.of()
                    : release.search(SearchRequest.of(filter, MAX_EXPANSION * 10).within(members));
            total = hits.size();
            for (int k = offset; k < hits.size() && page.size() < count; k++) {
                page.add(release.index(hits.get(k).conceptId()));
            }
        } else {
            total = members.cardinality();
            int skipped = 0;
            for (int i = members.nextSetBit(0); i >= 0 && page.size() < count; i = members.nextSetBit(i + 1)) {
                if (skipped++ >= offset) {
                    page.add(i);
                }
            }
        }
        ValueSet vs = new ValueSet();
        vs.setUrl(url);
        vs.setStatus(PublicationStatus.ACTIVE);
        vs.setName("SNOMED CT implicit value set");
        ValueSet.ValueSetExpansionComponent expansion = vs.getExpansion();
        expansion.setIdentifier("urn:uuid:" + UUID.randomUUID());
        expansion.setTimestamp(new Date());
        expansion.setTotal(total);
        expansion.setOffset(offset);
        expansion.addParameter().setName("version").setValue(new UriType(ServedTerminology.SNOMED_SYSTEM
                + "|" + release.release().label()));
        if (filter != null) {
            expansion.addParameter().setName("filter").setValue(new StringType(filter));
        }
        expansion.addParameter().setName("count").setValue(new IntegerType(count));
        expansion.addParameter().setName("offset").setValue(new IntegerType(offset));
        expansion.addParameter().setName("activeOnly").setValue(new BooleanType(activeOnly));
        expansion.addParameter().setName("includeDesignations").setValue(new BooleanType(designations));
        for (int i : page) {
            long id = release.conceptId(i);
            ValueSet.ValueSetExpansionContainsComponent contains = expansion.addContains()
                    .setSystem(ServedTerminology.SNOMED_SYSTEM).setCode(Long.toString(id))
                    .setDisplay(release.preferredTerm(i));
            if (!release.active(i)) {
                contains.setInactive(true);
            }
            if (designations) {
                release.concept(id).ifPresent(c -> c.designations().forEach(d -> contains.addDesignation()
                        .setLanguage(d.languageCode()).setUse(use(d)).setValue(d.term())));
            }
        }
        return vs;
    }

    // --- CodeSystem/$subsumes ------------------------------------------------------------------------

    private Parameters subsumes(OperationParameters p) {
        Coding codingA = p.coding("codingA");
        Coding codingB = p.coding("codingB");
        String system = p.get("system");
        String a = codingA != null ? codingA.getCode() : p.get("codeA");
        String b = codingB != null ? codingB.getCode() : p.get("codeB");
        if (system == null && codingA != null) {
            system = codingA.getSystem();
        }
        if (a == null || b == null) {
            throw OperationParameters.missing("codeA and codeB (or codingA and codingB) are required");
        }
        if (!ServedTerminology.SNOMED_SYSTEM.equals(system)) {
            throw unknownSystem(system);
        }
        if (codingB != null && codingB.hasSystem() && !ServedTerminology.SNOMED_SYSTEM.equals(codingB.getSystem())) {
            throw unknownSystem(codingB.getSystem());
        }
        SnomedRelease release = server.current().requireSnomed();
        Parameters out = new Parameters();
        out.addParameter().setName("outcome").setValue(new CodeType(release.subsumption(sctid(a), sctid(b)).code()));
        return out;
    }

    // --- ConceptMap/$translate -----------------------------------------------------------------------

    private Parameters translate(OperationParameters p) {
        Asked a = asked(p, "code", "coding", "system");
        if (a.system() == null) {
            throw OperationParameters.missing("system is required with code");
        }
        String target = p.get("targetsystem") != null ? p.get("targetsystem") : p.get("target");
        SnomedRelease release = server.current().requireSnomed();
        Parameters out = new Parameters();
        List<ParametersParameterComponent> matches = new ArrayList<>();
        if (ServedTerminology.SNOMED_SYSTEM.equals(a.system())) {
            long id = sctid(a.code());
            if (release.index(id) < 0) {
                throw FhirException.of(404, ErrorCode.CONCEPT_UNKNOWN, IssueType.NOTFOUND,
                        "SNOMED CT concept " + id + " is not in release " + release.release().label(), "code");
            }
            if (target == null || ServedTerminology.SNOMED_SYSTEM.equals(target)
                    || target.startsWith(ServedTerminology.SNOMED_SYSTEM + "?fhir_vs")) {
                for (HistoricalAssociation h : release.associations(id)) {
                    matches.add(match(equivalence(h.refsetId()), ServedTerminology.SNOMED_SYSTEM,
                            Long.toString(h.targetId()), release.display(h.targetId()).orElse(null),
                            "http://snomed.info/sct?fhir_cm=" + h.refsetId()));
                }
            }
            if (target == null || !target.startsWith(ServedTerminology.SNOMED_SYSTEM)) {
                for (MapTarget m : server.maps().targets(id)) {
                    String system = mapSystem(m.refsetId());
                    if (system != null && (target == null || target.equals(system))) {
                        matches.add(match("equivalent", system, m.target(), null,
                                "http://snomed.info/sct?fhir_cm=" + m.refsetId()));
                    }
                }
            }
        } else if (CTV3_SYSTEM.equals(a.system()) || READ_V2_SYSTEM.equals(a.system())) {
            Long refset = CTV3_SYSTEM.equals(a.system()) ? Long.valueOf(SnomedIds.CTV3_MAP) : readV2Refset;
            if (refset != null) {
                for (MapTarget m : server.maps().sources(refset, a.code())) {
                    matches.add(match("equivalent", ServedTerminology.SNOMED_SYSTEM, Long.toString(m.conceptId()),
                            release.display(m.conceptId()).orElse(null), "http://snomed.info/sct?fhir_cm=" + refset));
                }
            }
        } else {
            throw FhirException.of(400, ErrorCode.UNKNOWN_CODE_SYSTEM, IssueType.NOTSUPPORTED, "Translations from "
                    + a.system() + " are not served here: translate from " + ServedTerminology.SNOMED_SYSTEM + ", "
                    + CTV3_SYSTEM + " or " + READ_V2_SYSTEM, "system");
        }
        out.addParameter("result", !matches.isEmpty());
        if (matches.isEmpty()) {
            out.addParameter("message", "No translation of " + a.code() + " from " + a.system()
                    + (target == null ? "" : " to " + target) + " in release " + release.release().label());
        }
        matches.forEach(out::addParameter);
        return out;
    }

    private String mapSystem(long refsetId) {
        if (refsetId == SnomedIds.CTV3_MAP) {
            return CTV3_SYSTEM;
        }
        return readV2Refset != null && refsetId == readV2Refset ? READ_V2_SYSTEM : null;
    }

    /** How the target of a historical association stands to the inactive concept, as ConceptMap equivalence. */
    static String equivalence(long refsetId) {
        if (refsetId == SnomedIds.SAME_AS) {
            return "equal";
        }
        if (refsetId == SnomedIds.REPLACED_BY || refsetId == SnomedIds.MOVED_TO) {
            return "equivalent";
        }
        if (refsetId == SnomedIds.WAS_A) {
            return "wider";
        }
        if (refsetId == SnomedIds.POSSIBLY_EQUIVALENT_TO || refsetId == SnomedIds.POSSIBLY_REPLACED_BY
                || refsetId == SnomedIds.PARTIALLY_EQUIVALENT_TO) {
            return "inexact";
        }
        return "relatedto";
    }

    private static ParametersParameterComponent match(String equivalence, String system, String code, String display,
                                                      String source) {
        ParametersParameterComponent match = new ParametersParameterComponent().setName("match");
        match.addPart().setName("equivalence").setValue(new CodeType(equivalence));
        match.addPart().setName("concept").setValue(new Coding(system, code, display));
        match.addPart().setName("source").setValue(new UriType(source));
        return match;
    }

    /**
     * {@code GET /metadata?mode=terminology}: what the terminology operations serve, as a TerminologyCapabilities
     * resource: the code systems loaded (with the release each is at) and what $expand, $validate-code and
     * $translate support.
     */
    org.hl7.fhir.r4.model.TerminologyCapabilities capabilities(String baseUrl) {
        var caps = new org.hl7.fhir.r4.model.TerminologyCapabilities();
        caps.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        caps.setDate(new java.util.Date());
        caps.setKind(org.hl7.fhir.r4.model.TerminologyCapabilities.CapabilityStatementKind.INSTANCE);
        caps.setName("CharnwoodTerminology");
        caps.setTitle("Charnwood terminology service");
        caps.getImplementation().setDescription("Charnwood terminology service").setUrl(baseUrl);
        ServedTerminology served = server.current();
        if (served.snomed() != null) {
            var system = caps.addCodeSystem().setUri(ServedTerminology.SNOMED_SYSTEM);
            system.addVersion().setCode(served.snomed().release().label()).setIsDefault(true)
                    .setCompositional(false);
        }
        if (served.dmd() != null) {
            caps.addCodeSystem().setUri(ServedTerminology.DMD_SYSTEM).addVersion().setCode(served.dmd().release())
                    .setIsDefault(true);
        }
        caps.getExpansion().setHierarchical(false).setPaging(true).setIncomplete(false)
                .setTextFilter("Words of the filter match the starts of words in a concept's descriptions.");
        caps.getValidateCode().setTranslations(false);
        caps.getTranslation().setNeedsMap(true);
        caps.getClosure().setTranslation(false);
        return caps;
    }
}
