package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.accounts.SignInPages;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * How a refused authorisation request is answered (RFC 6749 section 4.1.2.1). When the app is known and the
 * redirect URI is one it registered, the error goes back to the app there, with {@code state}: that includes
 * errors found before the request was read as a whole, such as an unsupported {@code response_type}. Otherwise
 * the person is not sent anywhere (the address may be an attacker's): they see a page saying, in plain words,
 * that the app's request could not be accepted.
 */
final class AuthorizeErrors implements AuthenticationFailureHandler {

    private final RegisteredClientRepository clients;

    AuthorizeErrors(RegisteredClientRepository clients) {
        this.clients = clients;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                : new OAuth2Error("invalid_request");
        String redirect = null;
        String state = request.getParameter("state");
        if (exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException refused
                && refused.getAuthorizationCodeRequestAuthentication() != null) {
            OAuth2AuthorizationCodeRequestAuthenticationToken asked = refused.getAuthorizationCodeRequestAuthentication();
            redirect = asked.getRedirectUri();
            state = asked.getState();
        } else if (!about(error, "client_id") && !about(error, "redirect_uri")) {
            redirect = registeredRedirect(request);
        }
        if (redirect == null || redirect.isBlank()) {
            page(response, error);
            return;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirect)
                .queryParam("error", error.getErrorCode());
        if (error.getDescription() != null && !error.getDescription().isBlank()) {
            uri.queryParam("error_description", UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
        }
        if (state != null && !state.isBlank()) {
            uri.queryParam("state", UriUtils.encode(state, StandardCharsets.UTF_8));
        }
        response.sendRedirect(uri.build(true).toUriString());
    }

    private static boolean about(OAuth2Error error, String parameter) {
        return error.getDescription() != null && error.getDescription().contains(parameter);
    }

    /**
     * The redirect URI of a request refused before it was read as a whole: only when {@code client_id} names a
     * registered app and {@code redirect_uri} is one of its own (or absent, and it registered just one).
     */
    private String registeredRedirect(HttpServletRequest request) {
        String[] ids = request.getParameterValues("client_id");
        String[] uris = request.getParameterValues("redirect_uri");
        if (ids == null || ids.length != 1 || uris != null && uris.length != 1) {
            return null;
        }
        RegisteredClient client = clients.findByClientId(ids[0]);
        if (client == null) {
            return null;
        }
        if (uris == null) {
            return client.getRedirectUris().size() == 1 ? client.getRedirectUris().iterator().next() : null;
        }
        return client.getRedirectUris().contains(uris[0]) ? uris[0] : null;
    }

    /** The page the person sees when the app cannot be told: what happened, and what they can do. */
    private static void page(HttpServletResponse response, OAuth2Error error) throws IOException {
        String what;
        if ("client_id".equals(parameter(error))) {
            what = "The app that sent you here is not one this service knows, so it cannot be given access.";
        } else if ("redirect_uri".equals(parameter(error))) {
            what = "The app that sent you here asked for the answer to go to an address it has not registered"
                    + " with this service, so you have not been sent on.";
        } else {
            what = "The app that sent you here made a request this service could not accept.";
        }
        ResponseEntity<String> page = SignInPages.page("The app's request could not be accepted", """
                <h1 class="nhsuk-heading-l">The app's request could not be accepted</h1>
                <p>%s</p>
                <p>Nothing has been shared with the app. Close this page and go back to the app to try again.
                If it happens again, tell whoever supports the app.</p>""".formatted(what));
        response.setStatus(400);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(page.getBody());
    }

    /** The parameter Spring's error description names ({@code OAuth 2.0 Parameter: client_id}), if any. */
    private static String parameter(OAuth2Error error) {
        String description = error.getDescription();
        if (description == null) {
            return null;
        }
        for (String name : new String[]{"client_id", "redirect_uri"}) {
            if (description.contains(name)) {
                return name;
            }
        }
        return null;
    }
}
