package org.charnwood.app.fhirapi;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.Set;

/**
 * What a request path under {@code /fhir} addresses: the server, a type, an instance, a version,
 * history, or an operation ({@code $name}) at one of those levels.
 */
record FhirRoute(String type, String id, String versionId, boolean history, String operation) {

    private static final Set<String> TYPES = FhirContexts.r4().getResourceTypes();

    static FhirRoute parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        String[] s = p.isEmpty() ? new String[0] : p.split("/");
        if (s.length == 0) {
            return new FhirRoute(null, null, null, false, null);
        }
        if (s[0].startsWith("$")) {
            return server(s, 1, new FhirRoute(null, null, null, false, s[0].substring(1)));
        }
        if (s[0].equals("_history")) {
            return server(s, 1, new FhirRoute(null, null, null, true, null));
        }
        if (s[0].equals("_search")) {
            return server(s, 1, new FhirRoute(null, null, null, false, "_search"));
        }
        if (s[0].equals("metadata")) {
            return server(s, 1, new FhirRoute(null, null, null, false, "metadata"));
        }
        String type = s[0];
        if (!TYPES.contains(type)) {
            throw FhirException.of(404, ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.NOTSUPPORTED,
                    "'" + type + "' is not a FHIR R4 resource type");
        }
        if (s.length == 1) {
            return new FhirRoute(type, null, null, false, null);
        }
        if (s[1].equals("_history")) {
            return server(s, 2, new FhirRoute(type, null, null, true, null));
        }
        if (s[1].startsWith("$")) {
            return server(s, 2, new FhirRoute(type, null, null, false, s[1].substring(1)));
        }
        if (s[1].equals("_search")) {
            return server(s, 2, new FhirRoute(type, null, null, false, "_search"));
        }
        String id = s[1];
        if (s.length == 2) {
            return new FhirRoute(type, id, null, false, null);
        }
        if (s[2].startsWith("$")) {
            return server(s, 3, new FhirRoute(type, id, null, false, s[2].substring(1)));
        }
        if (s[2].equals("_history")) {
            if (s.length == 3) {
                return new FhirRoute(type, id, null, true, null);
            }
            if (s.length == 4) {
                return new FhirRoute(type, id, s[3], true, null);
            }
        }
        throw unknownPath(path);
    }

    private static FhirRoute server(String[] s, int expectedLength, FhirRoute route) {
        if (s.length != expectedLength) {
            throw unknownPath(String.join("/", s));
        }
        return route;
    }

    private static FhirException unknownPath(String path) {
        return FhirException.of(404, ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED,
                "No FHIR interaction is served at /fhir/" + path);
    }

    boolean isServer() {
        return type == null;
    }

    boolean isType() {
        return type != null && id == null;
    }

    boolean isInstance() {
        return id != null;
    }
}
