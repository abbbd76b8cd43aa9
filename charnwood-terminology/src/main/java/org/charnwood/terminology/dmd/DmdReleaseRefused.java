package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A dm+d release that was not loaded, saying which file and line made it unacceptable so that whoever downloaded
 * it can check the file (a truncated download, a wrong folder) before trying again. The release being served is
 * unchanged whenever this is thrown.
 */
public final class DmdReleaseRefused extends FhirException {

    private final ErrorCode code;
    private final String file;
    private final int line;

    public DmdReleaseRefused(ErrorCode code, String file, int line, String message) {
        super(422, outcome(IssueSeverity.ERROR, code, IssueType.INVALID, describe(file, line, message),
                file == null ? null : file + (line > 0 ? ":" + line : "")));
        this.code = code;
        this.file = file;
        this.line = line;
    }

    private static String describe(String file, int line, String message) {
        if (file == null) {
            return "dm+d release refused: " + message;
        }
        return "dm+d release refused: " + file + (line > 0 ? " line " + line : "") + ": " + message;
    }

    public ErrorCode code() {
        return code;
    }

    /** The release file at fault (its name within the release), or null when the release as a whole is. */
    public String file() {
        return file;
    }

    /** The line in {@link #file()}, or 0 when not known. */
    public int line() {
        return line;
    }

    @Override
    public String getMessage() {
        return outcome().getIssueFirstRep().getDiagnostics();
    }
}
