package org.charnwood.app.security.oauth;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.accounts.SignedInSessions;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import java.io.IOException;

/**
 * OpenID Connect RP-initiated logout ({@code /connect/logout}) ends the session as our own sign-out does, so the
 * audit trail gets its {@code SignOutRecorded}; Spring's handler then sends the browser to the app's registered
 * post-logout redirect URI. Without this the session ended with no record of it.
 */
final class RecordedOidcSignOut implements AuthenticationSuccessHandler {

    private final SignedInSessions sessions;
    private final OidcLogoutAuthenticationSuccessHandler redirect = new OidcLogoutAuthenticationSuccessHandler();

    RecordedOidcSignOut(SignedInSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException, ServletException {
        sessions.end(request, response, false);
        redirect.onAuthenticationSuccess(request, response, authentication);
    }
}
