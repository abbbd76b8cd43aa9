package org.charnwood.app.fhirapi;

import org.charnwood.app.audit.AuditLog;
import org.charnwood.app.repository.FhirSettings;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;
import org.charnwood.fhir.search.SearchParameterDefinition;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.List;
import java.util.TreeSet;

/** Describes what this server really does, built from the same tables the endpoint routes by. */
@Component
class CapabilityStatementFactory {

    /** What a search across all types takes without {@code _type} (SearchQueryParser's own list, with _id). */
    private static final List<String> SYSTEM_SEARCH_PARAMETERS =
            List.of("_id", "_lastUpdated", "_tag", "_profile", "_security", "_source");

    private final SearchParameterRegistry registry;
    private final FhirSettings settings;
    /** The definitions of the operations other capabilities add, read once (each call of definition() copies). */
    private final List<org.hl7.fhir.r4.model.OperationDefinition> operations;

    /** Which profiles each type may claim and have checked. */
    private final org.charnwood.fhir.validation.RepositoryValidator validator;

    CapabilityStatementFactory(SearchParameterRegistry registry, FhirSettings settings,
                               org.springframework.beans.factory.ObjectProvider<PublishedOperation> operations,
                               org.charnwood.fhir.validation.RepositoryValidator validator) {
        this.registry = registry;
        this.settings = settings;
        this.validator = validator;
        this.operations = operations.orderedStream().map(PublishedOperation::definition).toList();
    }

    private static final List<TypeRestfulInteraction> TYPE_INTERACTIONS = List.of(
            TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE,
            TypeRestfulInteraction.DELETE, TypeRestfulInteraction.HISTORYINSTANCE,
            TypeRestfulInteraction.HISTORYTYPE, TypeRestfulInteraction.CREATE, TypeRestfulInteraction.SEARCHTYPE);

    /** Type, operation name and definition of the terminology operations (see TerminologyOperations). */
    private static final String[][] TERMINOLOGY_OPERATIONS = {
            {"CodeSystem", "lookup", "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup"},
            {"CodeSystem", "validate-code", "http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code"},
            {"CodeSystem", "subsumes", "http://hl7.org/fhir/OperationDefinition/CodeSystem-subsumes"},
            {"ValueSet", "expand", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand"},
            {"ValueSet", "validate-code", "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code"},
            {"ConceptMap", "translate", "http://hl7.org/fhir/OperationDefinition/ConceptMap-translate"}};

    /**
     * SMART App Launch: bearer tokens from this server's own authorisation server, whose endpoints sit beside
     * {@code /fhir} (discovery also at {@code /fhir/.well-known/smart-configuration}).
     */
    private static CapabilityStatement.CapabilityStatementRestSecurityComponent security(String baseUrl) {
        String root = baseUrl.endsWith("/fhir") ? baseUrl.substring(0, baseUrl.length() - "/fhir".length()) : baseUrl;
        var security = new CapabilityStatement.CapabilityStatementRestSecurityComponent();
        security.setCors(false);
        security.addService().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                .setCode("SMART-on-FHIR").setDisplay("SMART-on-FHIR");
        security.setDescription("OAuth 2.0 bearer tokens (SMART App Launch v2); see .well-known/smart-configuration");
        var uris = security.addExtension().setUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        uris.addExtension("authorize", new org.hl7.fhir.r4.model.UriType(root + "/oauth2/authorize"));
        uris.addExtension("token", new org.hl7.fhir.r4.model.UriType(root + "/oauth2/token"));
        uris.addExtension("introspect", new org.hl7.fhir.r4.model.UriType(root + "/oauth2/introspect"));
        uris.addExtension("revoke", new org.hl7.fhir.r4.model.UriType(root + "/oauth2/revoke"));
        return security;
    }

    CapabilityStatement create(String baseUrl) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(new Date());
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.setPublisher("Charnwood");
        cs.getSoftware().setName("Charnwood");
        cs.getImplementation().setDescription("Charnwood FHIR R4 repository").setUrl(baseUrl);
        cs.addFormat("application/fhir+json");
        cs.addFormat("application/fhir+xml");
        cs.addPatchFormat("application/json-patch+json");
        CapabilityStatementRestComponent rest = cs.addRest();
        rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.setSecurity(security(baseUrl));
        for (String type : new TreeSet<>(FhirContexts.r4().getResourceTypes())) {
            if (type.equals("AuditEvent")) {
                auditEvent(rest.addResource());
                continue;
            }
            CapabilityStatementRestResourceComponent r = rest.addResource();
            r.setType(type);
            // A type whose writes must meet a profile (charnwood.fhir.enforced-profiles) says which: it is the
            // profile of everything stored of that type.
            String enforced = settings.enforcedProfiles().get(type);
            if (enforced != null) {
                r.setProfile(enforced);
            }
            // The UK Core profiles a resource of the type may claim in meta.profile, and is then checked against.
            validator.supportedProfiles(type).forEach(r::addSupportedProfile);
            // If-Match is honoured on update, patch and delete (412 when stale): version-aware updates.
            r.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
            r.setReadHistory(true);
            r.setUpdateCreate(true);
            r.setConditionalCreate(true);
            // read and vread answer If-None-Match and If-Modified-Since with 304.
            r.setConditionalRead(CapabilityStatement.ConditionalReadStatus.FULLSUPPORT);
            r.setConditionalUpdate(true);
            r.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.MULTIPLE);
            referencePolicy(r);
            for (TypeRestfulInteraction i : TYPE_INTERACTIONS) {
                r.addInteraction(new ResourceInteractionComponent().setCode(i));
            }
            r.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.PATCH));
            r.addSearchInclude("*");
            r.addSearchRevInclude("*");
            for (SearchParameterDefinition sp : registry.all(type)) {
                if (sp.searchable() || sp.derivation() != null) {
                    var declared = r.addSearchParam().setName(sp.code()).setDefinition(sp.url())
                            .setType(Enumerations.SearchParamType.fromCode(sp.type().name().toLowerCase(java.util.Locale.ROOT)));
                    if (sp.code().equals("phonetic")) {
                        // R4 leaves the algorithm to the server: a client must be told which it is.
                        declared.setDocumentation("Family and given names that sound like the value, by Soundex"
                                + " (smyth finds Smith): each word of a name, and a name of several words whole, against"
                                + " the value read as one name. No modifier but :missing.");
                    }
                }
            }
            for (String[] op : TERMINOLOGY_OPERATIONS) {
                if (op[0].equals(type)) {
                    r.addOperation().setName(op[1]).setDefinition(op[2]);
                }
            }
            for (var definition : operations) {
                if ((definition.getType() || definition.getInstance()) && definition.getResource().stream()
                        .anyMatch(t -> type.equals(t.getValue()))) {
                    r.addOperation().setName(definition.getCode()).setDefinition(definition.getUrl());
                }
            }
            if (type.equals("Patient")) {
                r.addOperation().setName("everything")
                        .setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
                r.addOperation().setName("export")
                        .setDefinition("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export");
            }
            if (type.equals("Group")) {
                r.addOperation().setName("export")
                        .setDefinition("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
            }
        }
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        rest.addOperation().setName("export").setDefinition("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        for (var definition : operations) {
            if (definition.getSystem()) {
                rest.addOperation().setName(definition.getCode()).setDefinition(definition.getUrl());
            }
        }
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.HISTORYSYSTEM);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.SEARCHSYSTEM);
        systemSearchParameters(rest);
        return cs;
    }

    /**
     * The parameters of a search across all types ({@code GET [base]?}): those every resource has, and
     * {@code _type}, which, naming the types, lets the search take any parameter they all define.
     */
    private void systemSearchParameters(CapabilityStatement.CapabilityStatementRestComponent rest) {
        for (String code : SYSTEM_SEARCH_PARAMETERS) {
            var declared = rest.addSearchParam().setName(code);
            registry.find("Basic", code).ifPresentOrElse(sp -> declared.setDefinition(sp.url()).setType(
                    Enumerations.SearchParamType.fromCode(sp.type().name().toLowerCase(java.util.Locale.ROOT))),
                    () -> declared.setType(code.equals("_lastUpdated") ? Enumerations.SearchParamType.DATE
                            : Enumerations.SearchParamType.TOKEN));
        }
        rest.addSearchParam().setName("_type").setType(Enumerations.SearchParamType.TOKEN)
                .setDocumentation("The resource types to search. Naming them, a search may also use, and _sort by,"
                        + " any parameter defined for every one of them (for example _type=Patient,Practitioner"
                        + "&name=smith); a parameter one of them lacks is refused, or ignored with a warning under"
                        + " Prefer: handling=lenient");
    }

    /**
     * Literal references (relative, absolute, to other servers) and logical ones (identifier only) are both
     * stored; local ones must resolve when the server refuses dangling references. Those to other servers are
     * not checked, so the policy is not {@code local}, and logical references are not turned into literal ones,
     * so it is not {@code resolves}.
     */
    private void referencePolicy(CapabilityStatementRestResourceComponent r) {
        r.addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.LITERAL);
        r.addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.LOGICAL);
        if (settings.refuseDanglingReferences()) {
            r.addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.ENFORCED);
        }
    }

    /**
     * AuditEvent is served from the audit store, not the repository (AuditEventInteractions): read and search
     * only, by the parameters the store's query takes, with no versions, history, writes or includes.
     */
    private void auditEvent(CapabilityStatementRestResourceComponent r) {
        r.setType("AuditEvent");
        r.setVersioning(CapabilityStatement.ResourceVersionPolicy.NOVERSION);
        r.setReadHistory(false);
        r.setUpdateCreate(false);
        r.setConditionalCreate(false);
        r.setConditionalUpdate(false);
        r.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
        r.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.READ));
        r.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.SEARCHTYPE));
        for (String code : AuditLog.SEARCH_PARAMETERS) {
            var declared = r.addSearchParam().setName(code);
            // The audit store's query serves :missing and no other modifier (patient also takes :Patient).
            String modifiers = "The only modifier served is :missing"
                    + (code.equals("patient") ? " (and :Patient)" : "") + "; others are refused with 400.";
            registry.all("AuditEvent").stream().filter(d -> d.code().equals(code)).findFirst().ifPresentOrElse(
                    sp -> declared.setDefinition(sp.url()).setType(Enumerations.SearchParamType.fromCode(
                            sp.type().name().toLowerCase(java.util.Locale.ROOT))).setDocumentation(modifiers),
                    // purpose (AuditEvent.purposeOfEvent) has no R4 definition; R5 defines it as a token.
                    () -> declared.setType(Enumerations.SearchParamType.TOKEN)
                            .setDocumentation("AuditEvent.purposeOfEvent, as R5's purpose parameter. " + modifiers));
        }
        r.addSearchParam().setName("_id").setType(Enumerations.SearchParamType.TOKEN)
                .setDefinition("http://hl7.org/fhir/SearchParameter/Resource-id")
                .setDocumentation("The event's number in the trail. No modifier is served.");
        r.addSearchParam().setName("_lastUpdated").setType(Enumerations.SearchParamType.DATE)
                .setDefinition("http://hl7.org/fhir/SearchParameter/Resource-lastUpdated")
                .setDocumentation("When the event was recorded (an event is never changed). No modifier is served.");
    }
}
