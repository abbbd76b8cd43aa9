package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.identity.NhsNumber;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that belong to a datatype wherever it appears: an Identifier carrying an NHS number,
 * a Coding from a code system R4 defines, a value bound to a required value set, an Attachment's
 * stated size and hash, an extension R4 defines. Reports at the path the walk is at.
 */
final class DatatypeRules {
    private final R4Definitions defs;
    private final Findings findings;
    private final ElementPath path;

    DatatypeRules(R4Definitions defs, Findings findings, ElementPath path) {
        this.defs = defs;
        this.findings = findings;
        this.path = path;
    }

    void checkNhsNumber(Identifier identifier) {
        if (!NhsNumber.SYSTEM.equals(identifier.getSystem())) {
            return;
        }
        String problem = NhsNumber.problem(identifier.getValue());
        if (problem != null) {
            findings.error(ErrorCode.INVALID_NHS_NUMBER, IssueType.VALUE,
                    (identifier.hasValue() ? "'" + identifier.getValue() + "' is not a valid NHS number: " : "")
                            + problem, path.renderChild("value"));
        }
    }

    void checkCoding(Coding coding, ElementRule rule) {
        String system = coding.getSystem();
        String code = coding.getCode();
        if (system != null && code != null && (system.startsWith("http://hl7.org/fhir/")
                || system.startsWith("http://terminology.hl7.org/"))) {
            Optional<CodeSystemIndex> cs = defs.terminology.codeSystem(system);
            if (cs.isPresent() && !cs.get().contains(code)) {
                // The hl7.org/fhir code systems are fixed with R4; terminology.hl7.org ones keep growing,
                // so a code newer than our copy is only worth a warning.
                findings.add(system.startsWith("http://hl7.org/fhir/") ? IssueSeverity.ERROR : IssueSeverity.WARNING,
                        ErrorCode.INVALID_RESOURCE, IssueType.CODEINVALID,
                        "Unknown code '" + code + "' in the CodeSystem '" + system + "'", path.renderChild("code"));
            }
        }
        if (rule != null && rule.binding != null && "Coding".equals(rule.type())) {
            ValueSetMembership members = rule.binding.membership();
            if (members.checkable() && !members.contains(system, code)) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.CODEINVALID,
                        "The code '" + system + "#" + code + "' is not in the value set " + rule.binding.valueSet
                                + ", and a code is required from this value set", path.render());
            }
        }
    }

    void checkCodeableConcept(CodeableConcept concept, ElementRule rule) {
        if (rule == null || rule.binding == null) {
            return;
        }
        ValueSetMembership members = rule.binding.membership();
        if (!members.checkable()) {
            return;
        }
        if (!concept.hasCoding()) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.CODEINVALID,
                    "No code provided, and a code is required from the value set " + rule.binding.valueSet, path.render());
            return;
        }
        for (Coding coding : concept.getCoding()) {
            if (members.contains(coding.getSystem(), coding.getCode())) {
                return;
            }
        }
        findings.error(ErrorCode.INVALID_RESOURCE, IssueType.CODEINVALID,
                "None of the codings provided are in the value set " + rule.binding.valueSet
                        + ", and a code from this value set is required", path.render());
    }

    void checkAttachment(Attachment attachment) {
        if (!attachment.hasData() || (!attachment.hasSize() && !attachment.hasHash())) {
            return; // decoding the data is the expensive part, so only when there is something to compare
        }
        byte[] data = attachment.getData();
        if (attachment.hasSize() && attachment.getSize() != data.length) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE, "Stated Attachment size " + attachment.getSize()
                    + " does not match the actual attachment size " + data.length, path.renderChild("size"));
        }
        if (attachment.hasHash()) {
            try {
                byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(data);
                if (!Arrays.equals(sha1, attachment.getHash())) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.VALUE,
                            "The Attachment hash is not the SHA-1 of its data", path.renderChild("hash"));
                }
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is always available", e);
            }
        }
    }

    void checkExtension(Extension extension) {
        if (!extension.hasValue() && !extension.hasExtension()) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT,
                    "Constraint failed: ext-1: an extension must have either extensions or a value", path.render());
            return;
        }
        Optional<ExtensionDefinitions.Definition> found = defs.extensions.find(extension.getUrl());
        if (found.isEmpty()) {
            return;
        }
        ExtensionDefinitions.Definition definition = found.get();
        if (extension.hasValue()) {
            checkExtensionValue(extension, definition.url(), definition.valueTypes());
        }
        if (definition.subExtensions().isEmpty()) {
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Extension sub : extension.getExtension()) {
            counts.merge(sub.getUrl(), 1, Integer::sum);
            ExtensionDefinitions.SubExtension subDefinition = definition.subExtensions().get(sub.getUrl());
            if (subDefinition != null && subDefinition.valueTypes() != null && sub.hasValue()) {
                checkExtensionValue(sub, definition.url() + "#" + sub.getUrl(), subDefinition.valueTypes());
            }
        }
        for (ExtensionDefinitions.SubExtension sub : definition.subExtensions().values()) {
            int count = counts.getOrDefault(sub.url(), 0);
            if (count < sub.min()) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, "The extension " + definition.url()
                        + " requires the sub-extension '" + sub.url() + "', which is missing", path.render());
            } else if (count > sub.max()) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, "The extension " + definition.url()
                        + " allows the sub-extension '" + sub.url() + "' at most " + sub.max() + " times", path.render());
            }
        }
    }

    private void checkExtensionValue(Extension extension, String url, Set<String> allowed) {
        String type = extension.getValue().fhirType();
        if (allowed.isEmpty()) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE,
                    "The Extension '" + url + "' has sub-extensions and must not have a value", path.render());
        } else if (!allowed.contains(type)) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, "The Extension '" + url
                    + "' definition allows for the types " + allowed + " but found type " + type, path.render());
        }
    }
}
