package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetFilterComponent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules for the definitional resources a trust may keep in the repository (value sets, code
 * systems, search parameters, capability statements and the like), which other resources and the
 * server itself will interpret: a definition that contradicts itself is refused before anything
 * relies on it.
 */
final class ConformanceResourceRules {

    /** The R4 concept properties every code system may use, with their types. */
    private static final String CONCEPT_PROPERTIES = "http://hl7.org/fhir/concept-properties#";
    private static final Map<String, PropertyType> STANDARD_PROPERTIES = Map.of(
            "inactive", PropertyType.BOOLEAN,
            "deprecated", PropertyType.DATETIME,
            "notSelectable", PropertyType.BOOLEAN,
            "parent", PropertyType.CODE,
            "child", PropertyType.CODE);

    private static final Set<String> CANONICAL_RESOURCES = Set.of("ActivityDefinition", "CapabilityStatement",
            "ChargeItemDefinition", "CodeSystem", "CompartmentDefinition", "ConceptMap", "EffectEvidenceSynthesis",
            "EventDefinition", "Evidence", "EvidenceVariable", "ExampleScenario", "GraphDefinition",
            "ImplementationGuide", "Library", "Measure", "MessageDefinition", "OperationDefinition", "PlanDefinition",
            "Questionnaire", "ResearchDefinition", "ResearchElementDefinition", "RiskEvidenceSynthesis",
            "SearchParameter", "StructureDefinition", "StructureMap", "TerminologyCapabilities", "TestScript",
            "ValueSet");

    private ConformanceResourceRules() {
    }

    static void check(Resource resource, R4Definitions defs, Findings findings, String path) {
        if (!CANONICAL_RESOURCES.contains(resource.fhirType())) {
            return;
        }
        checkCanonicalUrl(resource, findings, path);
        switch (resource) {
            case CodeSystem cs -> checkCodeSystem(cs, findings, path);
            case ValueSet vs -> checkValueSet(vs, findings, path);
            case SearchParameter sp -> checkSearchParameter(sp, defs, findings, path);
            case CapabilityStatement cap -> checkCapabilityStatement(cap, defs, findings, path);
            default -> {
            }
        }
    }

    private static void checkCanonicalUrl(Resource resource, Findings findings, String path) {
        Base[] url = resource.getProperty("url".hashCode(), "url", false);
        if (url.length == 1 && url[0].primitiveValue() != null) {
            String value = url[0].primitiveValue();
            if (!PrimitiveFormats.isAbsoluteUri(value)) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVALID,
                        "Canonical URLs must be absolute URLs if they are not fragment references (" + value + ")",
                        path + ".url");
            }
        }
    }

    private static void checkCodeSystem(CodeSystem cs, Findings findings, String path) {
        CodeSystemContentMode content = cs.getContent();
        if (content == CodeSystemContentMode.NOTPRESENT && cs.hasConcept()) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                    "The code system says it has no content present, but concepts are found", path + ".concept");
        }
        if (cs.hasSupplements() && content != CodeSystemContentMode.SUPPLEMENT) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                    "CodeSystem Supplements SHALL have a content value of 'supplement'", path + ".content");
        }
        int concepts = count(cs.getConcept());
        if (content == CodeSystemContentMode.COMPLETE && cs.hasCount() && cs.getCount() != concepts) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "The code system is complete, but the "
                    + "number of concepts (" + concepts + ") does not match the stated total number (" + cs.getCount()
                    + ")", path + ".count");
        }
        Map<String, PropertyType> declared = new HashMap<>();
        Set<String> uris = new HashSet<>();
        for (int i = 0; i < cs.getProperty().size(); i++) {
            PropertyComponent property = cs.getProperty().get(i);
            String at = path + ".property[" + i + "]";
            if (property.hasCode() && declared.put(property.getCode(), property.getType()) != null) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                        "A property is already defined with the code '" + property.getCode() + "'", at + ".code");
            }
            if (property.hasUri()) {
                if (!uris.add(property.getUri())) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                            "A property is already defined with the URI '" + property.getUri() + "'", at + ".uri");
                }
                checkStandardProperty(property, findings, at);
            }
        }
        checkConceptProperties(cs.getConcept(), declared, findings, path + ".concept");
    }

    private static void checkStandardProperty(PropertyComponent property, Findings findings, String at) {
        if (!property.getUri().startsWith(CONCEPT_PROPERTIES)) {
            return;
        }
        String name = property.getUri().substring(CONCEPT_PROPERTIES.length());
        PropertyType expected = STANDARD_PROPERTIES.get(name);
        if (expected == null) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "Unknown CodeSystem Property '"
                    + property.getUri() + "'. If you are creating your own property, do not create it in the HL7 namespace",
                    at + ".uri");
        } else if (property.hasType() && property.getType() != expected) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "Wrong type '" + property.getType().toCode()
                    + "': The URI '" + property.getUri() + "' identifies a property that has the type '"
                    + expected.toCode() + "'", at + ".type");
        }
    }

    private static void checkConceptProperties(List<ConceptDefinitionComponent> concepts,
                                               Map<String, PropertyType> declared, Findings findings, String at) {
        for (int c = 0; c < concepts.size(); c++) {
            ConceptDefinitionComponent concept = concepts.get(c);
            String here = at + "[" + c + "]";
            for (int p = 0; p < concept.getProperty().size(); p++) {
                ConceptPropertyComponent property = concept.getProperty().get(p);
                String where = here + ".property[" + p + "]";
                if (!property.hasCode() || !property.hasValue()) {
                    continue;
                }
                if (!declared.containsKey(property.getCode())) {
                    if (!STANDARD_PROPERTIES.containsKey(property.getCode())) {
                        findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "The property '"
                                + property.getCode() + "' is not defined by the code system", where + ".code");
                    }
                    continue;
                }
                PropertyType type = declared.get(property.getCode());
                String valueType = property.getValue().fhirType();
                if (type != null && !matches(type, valueType)) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "The property '" + property.getCode()
                            + "' has the type " + type.toCode() + " but the value is a " + valueType, where + ".value");
                }
            }
            checkConceptProperties(concept.getConcept(), declared, findings, here + ".concept");
        }
    }

    private static boolean matches(PropertyType type, String valueType) {
        return switch (type) {
            case CODE -> "code".equals(valueType);
            case CODING -> "Coding".equals(valueType);
            case STRING -> "string".equals(valueType);
            case INTEGER -> "integer".equals(valueType);
            case BOOLEAN -> "boolean".equals(valueType);
            case DATETIME -> "dateTime".equals(valueType);
            case DECIMAL -> "decimal".equals(valueType);
            default -> true;
        };
    }

    private static int count(List<ConceptDefinitionComponent> concepts) {
        int n = concepts.size();
        for (ConceptDefinitionComponent concept : concepts) {
            n += count(concept.getConcept());
        }
        return n;
    }

    private static void checkValueSet(ValueSet vs, Findings findings, String path) {
        if (!vs.hasCompose()) {
            return;
        }
        checkIncludes(vs.getCompose().getInclude(), findings, path + ".compose.include");
        checkIncludes(vs.getCompose().getExclude(), findings, path + ".compose.exclude");
    }

    private static void checkIncludes(List<ConceptSetComponent> includes, Findings findings, String at) {
        for (int i = 0; i < includes.size(); i++) {
            ConceptSetComponent include = includes.get(i);
            String here = at + "[" + i + "]";
            if (include.hasSystem() && !PrimitiveFormats.isAbsoluteUri(include.getSystem())) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVALID, "URI values in ValueSet.compose.include.system "
                        + "must be absolute ('" + include.getSystem() + "' is not). To use a contained code system, "
                        + "give its full url", here + ".system");
            }
            for (int f = 0; f < include.getFilter().size(); f++) {
                ConceptSetFilterComponent filter = include.getFilter().get(f);
                if (STANDARD_PROPERTIES.get(filter.getProperty()) == PropertyType.BOOLEAN && filter.hasValue()
                        && !"true".equals(filter.getValue()) && !"false".equals(filter.getValue())) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVALID, "The value for a filter based on property '"
                            + filter.getProperty() + "' must be either 'true' or 'false', not '" + filter.getValue() + "'",
                            here + ".filter[" + f + "].value");
                }
            }
        }
    }

    private static void checkSearchParameter(SearchParameter sp, R4Definitions defs, Findings findings, String path) {
        if (sp.getType() == org.hl7.fhir.r4.model.Enumerations.SearchParamType.COMPOSITE && sp.getComponent().size() < 2) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "When the SearchParameter has a type of "
                    + "'composite', then the SearchParameter must define two or more components", path + ".component");
        }
        if (!sp.hasDerivedFrom()) {
            return;
        }
        SearchParameter base = defs.searchParameters().get(sp.getDerivedFrom());
        if (base == null) {
            return;
        }
        if (sp.hasType() && base.hasType() && sp.getType() != base.getType()) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "The type " + sp.getType().toCode()
                    + " is different to the type " + base.getType().toCode() + " in the derivedFrom SearchParameter "
                    + sp.getDerivedFrom(), path + ".type");
        }
        Set<String> bases = new HashSet<>();
        for (CodeType code : base.getBase()) {
            bases.add(code.getValue());
        }
        for (int i = 0; i < sp.getBase().size(); i++) {
            String type = sp.getBase().get(i).getValue();
            if (!bases.contains(type) && !bases.contains("Resource") && !bases.contains("DomainResource")) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "The resource type " + type
                        + " is not listed as a base in the SearchParameter this is derived from (" + sp.getDerivedFrom()
                        + ")", path + ".base[" + i + "]");
            }
        }
    }

    private static void checkCapabilityStatement(CapabilityStatement cap, R4Definitions defs, Findings findings,
                                                 String path) {
        for (int r = 0; r < cap.getRest().size(); r++) {
            CapabilityStatementRestComponent rest = cap.getRest().get(r);
            for (int t = 0; t < rest.getResource().size(); t++) {
                CapabilityStatementRestResourceComponent resource = rest.getResource().get(t);
                for (int s = 0; s < resource.getSearchParam().size(); s++) {
                    CapabilityStatementRestResourceSearchParamComponent param = resource.getSearchParam().get(s);
                    SearchParameter definition = param.hasDefinition()
                            ? defs.searchParameters().get(Terminology.withoutVersion(param.getDefinition())) : null;
                    if (definition != null && param.hasType() && definition.hasType()
                            && param.getType() != definition.getType()) {
                        findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "Type mismatch - SearchParameter '"
                                + param.getDefinition() + "' type is " + definition.getType().toCode() + ", but type here is "
                                + param.getType().toCode(), path + ".rest[" + r + "].resource[" + t + "].searchParam["
                                + s + "].type");
                    }
                }
            }
        }
    }
}
