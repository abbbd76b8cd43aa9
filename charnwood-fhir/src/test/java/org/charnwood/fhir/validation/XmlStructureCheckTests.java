package org.charnwood.fhir.validation;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class XmlStructureCheckTests {
    private final XmlStructureCheck check = new XmlStructureCheck();

    /**
     * XML as HAPI writes it (in the defined order, with narrative, contained resources, extensions on primitives
     * and choice elements) passes: the check refuses only what R4 XML does not allow.
     */
    @Test
    void passesEveryUkCoreExampleWrittenAsXml() {
        List<String> refused = new ArrayList<>();
        for (String name : UkCoreExamples.names()) {
            IBaseResource resource = FhirContexts.r4().newJsonParser().parseResource(UkCoreExamples.json(name).toString());
            String xml = FhirContexts.r4().newXmlParser().encodeResourceToString(resource);
            if (!check.check(xml).isEmpty()) {
                refused.add(name + ": " + check.check(xml).get(0).getDiagnostics());
            }
        }
        assertThat(UkCoreExamples.names()).hasSizeGreaterThan(20);
        assertThat(refused).isEmpty();
    }

    @Test
    void findsThePathOfAnElementByNameAndValue() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"a\"/></name>"
                + "<name><family value=\"b\"/><period><start value=\"2020-13\"/></period></name></Patient>";

        assertThat(check.paths(xml, "start", "2020-13")).containsExactly("Patient.name[1].period.start");
        assertThat(check.paths(xml, "family", null)).containsExactly("Patient.name[0].family", "Patient.name[1].family");
    }
}
