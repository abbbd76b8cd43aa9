package org.charnwood.app.fhirapi;

import java.util.Locale;

/** Names of the FHIR interactions, as used in routing and as the metrics tag. */
final class Interactions {
    static final String READ = "read";
    static final String VREAD = "vread";
    static final String UPDATE = "update";
    static final String CONDITIONAL_UPDATE = "conditional-update";
    static final String PATCH = "patch";
    static final String CONDITIONAL_PATCH = "conditional-patch";
    static final String DELETE = "delete";
    static final String CONDITIONAL_DELETE = "conditional-delete";
    static final String HISTORY_INSTANCE = "history-instance";
    static final String HISTORY_TYPE = "history-type";
    static final String HISTORY_SYSTEM = "history-system";
    static final String CREATE = "create";
    static final String SEARCH_TYPE = "search-type";
    static final String SEARCH_SYSTEM = "search-system";
    static final String CAPABILITIES = "capabilities";
    static final String BATCH = "batch-transaction";
    static final String OPERATION = "operation";
    static final String UNSUPPORTED = "unsupported";

    private Interactions() {
    }

    static String name(String httpMethod, FhirRoute route) {
        String method = httpMethod.toUpperCase(Locale.ROOT);
        if (route.operation() != null) {
            if (route.operation().equals("metadata")) {
                return method.equals("GET") ? CAPABILITIES : UNSUPPORTED;
            }
            if (route.operation().equals("_search")) {
                return method.equals("POST") ? SEARCH_TYPE : UNSUPPORTED;
            }
            return OPERATION;
        }
        if (route.history()) {
            if (route.versionId() != null) {
                return method.equals("GET") ? VREAD : UNSUPPORTED;
            }
            if (!method.equals("GET")) {
                return UNSUPPORTED;
            }
            return route.isInstance() ? HISTORY_INSTANCE : route.isType() ? HISTORY_TYPE : HISTORY_SYSTEM;
        }
        if (route.isInstance()) {
            return switch (method) {
                case "GET", "HEAD" -> READ;
                case "PUT" -> UPDATE;
                case "PATCH" -> PATCH;
                case "DELETE" -> DELETE;
                default -> UNSUPPORTED;
            };
        }
        if (route.isType()) {
            return switch (method) {
                case "GET" -> SEARCH_TYPE;
                case "POST" -> CREATE;
                case "PUT" -> CONDITIONAL_UPDATE;
                case "PATCH" -> CONDITIONAL_PATCH;
                case "DELETE" -> CONDITIONAL_DELETE;
                default -> UNSUPPORTED;
            };
        }
        return switch (method) {
            case "GET" -> SEARCH_SYSTEM;
            case "POST" -> BATCH;
            default -> UNSUPPORTED;
        };
    }
}
