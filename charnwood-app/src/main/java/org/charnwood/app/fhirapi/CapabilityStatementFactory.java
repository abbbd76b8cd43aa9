package org.charnwood.app.fhirapi;

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

    private final SearchParameterRegistry registry;

    CapabilityStatementFactory(SearchParameterRegistry registry) {
        this.registry = registry;
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
        for (String type : new TreeSet<>(FhirContexts.r4().getResourceTypes())) {
            CapabilityStatementRestResourceComponent r = rest.addResource();
            r.setType(type);
            r.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED);
            r.setReadHistory(true);
            r.setUpdateCreate(true);
            r.setConditionalCreate(true);
            r.setConditionalUpdate(true);
            r.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.MULTIPLE);
            for (TypeRestfulInteraction i : TYPE_INTERACTIONS) {
                r.addInteraction(new ResourceInteractionComponent().setCode(i));
            }
            r.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.PATCH));
            r.addSearchInclude("*");
            r.addSearchRevInclude("*");
            for (SearchParameterDefinition sp : registry.all(type)) {
                if (sp.searchable() || sp.derivation() != null) {
                    r.addSearchParam().setName(sp.code()).setDefinition(sp.url())
                            .setType(Enumerations.SearchParamType.fromCode(sp.type().name().toLowerCase(java.util.Locale.ROOT)));
                }
            }
            for (String[] op : TERMINOLOGY_OPERATIONS) {
                if (op[0].equals(type)) {
                    r.addOperation().setName(op[1]).setDefinition(op[2]);
                }
            }
            if (type.equals("Patient")) {
                r.addOperation().setName("everything")
                        .setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
            }
        }
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        rest.addOperation().setName("import").setDefinition("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/import");
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.HISTORYSYSTEM);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.SEARCHSYSTEM);
        return cs;
    }
}
