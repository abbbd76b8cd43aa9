package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Condition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ElementPathCompilerTests {

    private final ElementPathCompiler compiler = new ElementPathCompiler(FhirContexts.r4().getResourceTypes());

    private static List<String> values(List<Base> items) {
        return items.stream().map(b -> b.isPrimitive() ? b.primitiveValue() : b.fhirType()).toList();
    }

    @Test
    void compilesTheCommonFormsToTheFastPath() {
        for (String expression : List.of("Patient.name.family", "(Observation.value as Quantity)",
                "Observation.value.as(Quantity) | Observation.component.value.as(Quantity)",
                "Observation.subject.where(resolve() is Patient)", "Patient.telecom.where(system='email')",
                "Bundle.entry[0].resource", "%resource.referenceSeq.chromosome", "name | alias",
                "(Observation.value as CodeableConcept).text")) {
            assertThat(compiler.compile(expression)).as(expression).isInstanceOf(SimpleElementPath.class);
        }
        assertThat(compiler.compile("Patient.deceased.exists() and Patient.deceased != false"))
                .isInstanceOf(FhirPathElementPath.class);
    }

    @Test
    void narrowsUnionsToTheBranchesOfOneType() {
        String shared = "Patient.address | Person.address | (Practitioner.address as Address) | name";
        assertThat(compiler.narrow(shared, "Person", true)).isEqualTo("Person.address | name");
        assertThat(compiler.narrow("Resource.meta.tag", "Binary", false)).isEqualTo("Resource.meta.tag");
        assertThat(compiler.narrow("DomainResource.text", "Binary", false)).isNull();
        assertThat(compiler.narrow("Patient.name", "Observation", true)).isNull();
    }

    @Test
    void walksChildrenIncludingChoiceElements() {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Smith").addGiven("A"));
        p.addName(new HumanName().setFamily("Jones"));
        assertThat(values(compiler.compile("Patient.name.family").select(p, p))).containsExactly("Smith", "Jones");

        Observation obs = new Observation();
        obs.setValue(new Quantity(5));
        assertThat(values(compiler.compile("Observation.value").select(obs, obs))).containsExactly("Quantity");
        assertThat(compiler.compile("Observation.value.as(CodeableConcept)").select(obs, obs)).isEmpty();
        assertThat(compiler.compile("(Observation.value as Quantity)").select(obs, obs)).hasSize(1);
        assertThat(compiler.compile("Patient.name").select(obs, obs)).as("another type's branch").isEmpty();
    }

    @Test
    void quantityTypeTestAdmitsItsSpecialisations() {
        Condition c = new Condition();
        c.setOnset(new Age().setValue(42));
        assertThat(compiler.compile("Condition.onset.as(Age) | Condition.onset.as(Range)").select(c, c)).hasSize(1);
        assertThat(compiler.compile("Condition.onset.as(Quantity)").select(c, c)).hasSize(1);
    }

    @Test
    void filtersByWhereConditions() {
        Patient p = new Patient();
        p.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("0123"));
        p.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("a@b.c"));
        assertThat(compiler.compile("Patient.telecom.where(system='email')").select(p, p)).hasSize(1)
                .first().extracting(b -> ((ContactPoint) b).getValue()).isEqualTo("a@b.c");

        Observation obs = new Observation();
        obs.setSubject(new Reference("Group/1"));
        ElementPath patient = compiler.compile("Observation.subject.where(resolve() is Patient)");
        assertThat(patient.select(obs, obs)).isEmpty();
        obs.setSubject(new Reference("https://elsewhere.example/fhir/Patient/1"));
        assertThat(patient.select(obs, obs)).hasSize(1);
    }

    @Test
    void resolvesContainedReferencesByTheContainedType() {
        Observation obs = new Observation();
        Patient contained = new Patient();
        contained.setId("p1");
        obs.addContained(contained);
        obs.setSubject(new Reference("#p1"));
        assertThat(compiler.compile("Observation.subject.where(resolve() is Patient)").select(obs, obs)).hasSize(1);
    }

    @Test
    void evaluatesRelativeAndResourceRootedComponentPaths() {
        Observation obs = new Observation();
        obs.setCode(new CodeableConcept().setText("bp"));
        obs.addComponent().setValue(new Quantity(120));
        Base component = obs.getComponentFirstRep();
        assertThat(compiler.compile("value.as(Quantity)").select(obs, component)).hasSize(1);
        assertThat(values(compiler.compile("%resource.code.text").select(obs, component))).containsExactly("bp");
    }

    @Test
    void fallsBackToTheFhirPathEngineForTheRest() {
        Patient alive = new Patient();
        Patient dead = new Patient();
        dead.setDeceased(new DateTimeType("2020-01-01"));
        Patient notDead = new Patient();
        notDead.setDeceased(new BooleanType(false));
        ElementPath deceased = compiler.compile("Patient.deceased.exists() and Patient.deceased != false");

        assertThat(values(deceased.select(alive, alive))).containsExactly("false");
        assertThat(values(deceased.select(dead, dead))).containsExactly("true");
        assertThat(values(deceased.select(notDead, notDead))).containsExactly("false");
    }
}
