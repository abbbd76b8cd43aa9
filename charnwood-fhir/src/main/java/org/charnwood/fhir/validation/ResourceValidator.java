package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/** Checks a parsed resource before it is stored. */
public interface ResourceValidator {

    /**
     * Every issue found, errors and warnings; any issue of severity error or fatal refuses the
     * write. Each issue's expression is the FHIRPath of the element at fault.
     */
    List<OperationOutcomeIssueComponent> validate(Resource resource);
}
