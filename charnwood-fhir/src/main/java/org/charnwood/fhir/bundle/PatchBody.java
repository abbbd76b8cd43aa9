package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The patch document of a PATCH entry. R4 carries a JSON Patch in a Binary; FHIRPath Patch (a
 * Parameters resource) is refused with a message saying what to send instead.
 */
final class PatchBody {

    static final String JSON_PATCH = "application/json-patch+json";

    private PatchBody() {
    }

    static String jsonPatch(EntryRequest entry) {
        String at = entry.expression() + ".resource";
        if (entry.resource() instanceof Parameters) {
            throw FhirException.of(400, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                    entry.label() + " is a FHIRPath Patch (a Parameters resource), which this server does not"
                            + " support: send the change as a JSON Patch in a Binary with contentType "
                            + JSON_PATCH, at);
        }
        if (!(entry.resource() instanceof Binary binary)) {
            throw FhirException.of(400, ErrorCode.INVALID_PATCH, IssueType.INVALID,
                    entry.label() + " carries a " + entry.resource().fhirType() + "; a PATCH entry carries its"
                            + " JSON Patch in a Binary with contentType " + JSON_PATCH, at);
        }
        String contentType = binary.getContentType();
        String mediaType = contentType == null ? ""
                : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON_PATCH.equals(mediaType)) {
            throw FhirException.of(400, ErrorCode.INVALID_PATCH, IssueType.NOTSUPPORTED,
                    entry.label() + " has a Binary of contentType '" + (contentType == null ? "" : contentType)
                            + "'; only JSON Patch (" + JSON_PATCH + ") is supported", at + ".contentType");
        }
        if (!binary.hasData()) {
            throw FhirException.of(400, ErrorCode.INVALID_PATCH, IssueType.INVALID,
                    entry.label() + " has a Binary with no data: the JSON Patch goes, base64-encoded, in Binary.data",
                    at + ".data");
        }
        return new String(binary.getData(), StandardCharsets.UTF_8);
    }
}
