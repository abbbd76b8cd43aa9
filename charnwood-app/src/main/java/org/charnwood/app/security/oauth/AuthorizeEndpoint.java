package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * What reaches the authorisation endpoint, as the filters in front of it tell it apart: an app's authorisation
 * request (by GET, or by POST as SMART's authorize-post, carrying {@code response_type}), or a person's answer on the
 * consent page (a POST without it).
 */
final class AuthorizeEndpoint {

    static final String PATH = "/oauth2/authorize";

    private AuthorizeEndpoint() {
    }

    static boolean addressed(HttpServletRequest request) {
        return (request.getContextPath() + PATH).equals(request.getRequestURI());
    }

    /** An app's authorisation request, by GET or posted. */
    static boolean request(HttpServletRequest request) {
        return addressed(request) && ("GET".equals(request.getMethod())
                || ("POST".equals(request.getMethod()) && carriesResponseType(request)));
    }

    /** A person's answer on the consent page. */
    static boolean answer(HttpServletRequest request) {
        return addressed(request) && "POST".equals(request.getMethod()) && !carriesResponseType(request);
    }

    static boolean carriesResponseType(HttpServletRequest request) {
        return request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE) != null;
    }
}
