package org.charnwood.app.fhirapi;

import java.util.List;
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

    /**
     * The interaction a request is. HEAD is GET without the body (RFC 9110), so it is the same interaction wherever
     * GET reads something: read, vread, search, history and the capability statement. Operations decide for
     * themselves, since a GET operation may start work (a bulk export's kick-off) that a HEAD must not.
     */
    static String name(String httpMethod, FhirRoute route) {
        String method = httpMethod.toUpperCase(Locale.ROOT);
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (route.operation() != null) {
            if (route.operation().equals("metadata")) {
                return get ? CAPABILITIES : UNSUPPORTED;
            }
            if (route.operation().equals("_search")) {
                return !method.equals("POST") ? UNSUPPORTED : route.type() == null ? SEARCH_SYSTEM : SEARCH_TYPE;
            }
            return OPERATION;
        }
        if (route.history()) {
            if (!get) {
                return UNSUPPORTED;
            }
            if (route.versionId() != null) {
                return VREAD;
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
                case "GET", "HEAD" -> SEARCH_TYPE;
                case "POST" -> CREATE;
                case "PUT" -> CONDITIONAL_UPDATE;
                case "PATCH" -> CONDITIONAL_PATCH;
                case "DELETE" -> CONDITIONAL_DELETE;
                default -> UNSUPPORTED;
            };
        }
        return switch (method) {
            case "GET", "HEAD" -> SEARCH_SYSTEM;
            case "POST" -> BATCH;
            default -> UNSUPPORTED;
        };
    }

    /**
     * The methods served at a route other than an operation's, for the {@code Allow} header of a 405: what
     * {@link #name} gives an interaction for.
     */
    static List<String> allowed(FhirRoute route) {
        if (route.operation() != null) {
            return route.operation().equals("_search") ? List.of("POST") : List.of("GET", "HEAD");
        }
        if (route.history()) {
            return List.of("GET", "HEAD");
        }
        if (route.isInstance()) {
            return List.of("GET", "HEAD", "PUT", "PATCH", "DELETE");
        }
        if (route.isType()) {
            return List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
        }
        return List.of("GET", "HEAD", "POST");
    }

    /** A 405 for a method the route does not serve, naming those it does. */
    static MethodNotAllowed notAllowed(String method, FhirRoute route) {
        return new MethodNotAllowed(method + " is not supported here", allowed(route));
    }
}
