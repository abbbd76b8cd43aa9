package org.charnwood.app.terminology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.charnwood.app.terminology.TerminologySettings.BindingMode;
import org.charnwood.app.terminology.binding.CodingWalk;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.validation.ResourceValidator;
import org.charnwood.terminology.dmd.DmdProducts;
import org.charnwood.terminology.dmd.ProductCheck;
import org.charnwood.terminology.snomed.Sctid;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The binding stage of the repository's validator chain: every SNOMED CT coding must be an active concept of the
 * served release (an inactive one is refused with its replacements named), and every medication code under the
 * dm+d or SNOMED CT system must be a valid dm+d product (a replaced one is accepted with a warning naming the
 * current code). A partial release (the bundled sample) cannot judge codes it does not hold, so those only warn.
 * {@code charnwood.terminology.binding} turns refusals into warnings ({@code warn}) or the stage off.
 */
@Component
public class TerminologyBinding implements ResourceValidator {

    private final TerminologyServer server;
    private final BindingMode mode;
    private final Counter warnings;

    TerminologyBinding(TerminologyServer server, TerminologySettings settings, MeterRegistry meters) {
        this.server = server;
        this.mode = settings.binding();
        this.warnings = Counter.builder("charnwood.terminology.binding.warnings")
                .description("Codes accepted on write with a terminology warning").register(meters);
    }

    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource) {
        if (mode == BindingMode.OFF) {
            return List.of();
        }
        ServedTerminology served = server.current();
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        for (CodingWalk.Found found : CodingWalk.codings(resource)) {
            Coding coding = found.coding();
            String system = coding.getSystem();
            if (ServedTerminology.SNOMED_SYSTEM.equals(system) && served.snomed() != null) {
                checkSnomed(coding.getCode(), found.path(), served, issues);
            }
            if (found.medication() && (ServedTerminology.DMD_SYSTEM.equals(system)
                    || ServedTerminology.SNOMED_SYSTEM.equals(system)) && served.dmd().release() != null) {
                checkProduct(system, coding.getCode(), found.path(), served, issues);
            }
        }
        List<OperationOutcomeIssueComponent> warned = issues.stream()
                .filter(i -> i.getSeverity() == IssueSeverity.WARNING).toList();
        if (!warned.isEmpty()) {
            warnings.increment(warned.size());
            BindingWarnings.note(warned);
        }
        return issues;
    }

    private void checkSnomed(String code, String path, ServedTerminology served, List<OperationOutcomeIssueComponent> out) {
        String at = path + ".code";
        if (code == null) {
            return;
        }
        if (!isSctid(code)) {
            // Post-coordinated expressions and other text cannot be judged by a concept lookup.
            if (code.contains(":") || code.contains("=") || code.contains("+")) {
                out.add(warning(ErrorCode.CODE_UNJUDGED, "SNOMED CT expression '" + code
                        + "' is not checked: only single concepts are", at));
            } else {
                out.add(problem(ErrorCode.CODE_MALFORMED, IssueType.CODEINVALID,
                        "'" + code + "' is not a SNOMED CT concept id: " + notConceptId(code), at));
            }
            return;
        }
        long id = Long.parseLong(code);
        SnomedRelease release = served.snomed();
        int index = release.index(id);
        if (index < 0) {
            if (served.snomedComplete()) {
                out.add(problem(ErrorCode.CONCEPT_UNKNOWN, IssueType.CODEINVALID, "SNOMED CT concept " + id
                        + " is not in release " + release.release().label(), at));
            } else {
                out.add(warning(ErrorCode.CODE_UNJUDGED, "SNOMED CT concept " + id + " could not be checked: the"
                        + " served release (" + release.release().label() + ") is partial and does not hold it", at));
            }
            return;
        }
        if (!release.active(index)) {
            List<Long> replacements = release.replacements(id);
            String instead = replacements.isEmpty() ? "it has no recorded replacement"
                    : "use " + replacements.stream().map(r -> r + " |" + release.display(r).orElse("") + "|")
                    .collect(Collectors.joining(" or "));
            out.add(problem(ErrorCode.CONCEPT_INACTIVE, IssueType.CODEINVALID,
                    "SNOMED CT concept " + id + " is inactive: " + instead, at));
        }
    }

    private void checkProduct(String system, String code, String path, ServedTerminology served, List<OperationOutcomeIssueComponent> out) {
        String at = path + ".code";
        if (code == null || !isSctid(code)) {
            if (code != null && ServedTerminology.DMD_SYSTEM.equals(system)) {
                // (a malformed SNOMED CT code has been reported by the SNOMED CT check already)
                out.add(problem(ErrorCode.MEDICATION_PRODUCT_INVALID, IssueType.CODEINVALID,
                        "'" + code + "' is not a dm+d product id", at));
            }
            return;
        }
        DmdProducts dmd = served.dmd();
        ProductCheck check = dmd.check(Long.parseLong(code));
        if (check.product() == null) {
            if (served.dmdComplete()) {
                out.add(problem(ErrorCode.MEDICATION_PRODUCT_INVALID, IssueType.CODEINVALID,
                        check.note() + " (dm+d release " + dmd.release() + ")", at));
            } else {
                out.add(warning(ErrorCode.CODE_UNJUDGED, code + " could not be checked as a dm+d product: the"
                        + " served dm+d release (" + dmd.release() + ") is a partial sample", at));
            }
        } else if (!check.valid()) {
            out.add(problem(ErrorCode.MEDICATION_PRODUCT_INVALID, IssueType.CODEINVALID, check.note(), at));
        } else if (check.replaced()) {
            out.add(warning(ErrorCode.MEDICATION_CODE_HISTORIC, check.note() + ": record "
                    + check.product().id() + " from now on", at));
        }
    }

    /**
     * A well-formed concept id: 6 to 18 digits with a valid Verhoeff check digit and a concept partition. No
     * release, partial or complete, can hold anything else as a concept, so such a code is refused outright
     * rather than accepted as one a partial release cannot judge.
     */
    private static boolean isSctid(String code) {
        return Sctid.valid(code) && Sctid.partition(code) == Sctid.Partition.CONCEPT;
    }

    /** What is wrong with a code that is not a concept id, for the sender to put right. */
    private static String notConceptId(String code) {
        if (code.length() < 6 || code.length() > 18 || code.charAt(0) == '0'
                || !code.chars().allMatch(Character::isDigit)) {
            return "an id is 6 to 18 digits, with no leading zero";
        }
        if (!Sctid.valid(code)) {
            return "its check digit is wrong";
        }
        return switch (Sctid.partition(code)) {
            case DESCRIPTION -> "it is a description id";
            case RELATIONSHIP -> "it is a relationship id";
            default -> "its partition identifier is not one of a concept";
        };
    }

    /** An error that refuses the write, or only a warning when the binding mode says so. */
    private OperationOutcomeIssueComponent problem(ErrorCode code, IssueType type, String message, String path) {
        IssueSeverity severity = mode == BindingMode.REFUSE ? IssueSeverity.ERROR : IssueSeverity.WARNING;
        return FhirException.issue(severity, code, type, message, path);
    }

    private static OperationOutcomeIssueComponent warning(ErrorCode code, String message, String path) {
        return FhirException.issue(IssueSeverity.WARNING, code, IssueType.CODEINVALID, message, path);
    }
}
