package org.charnwood.app.security.web;

import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Completes a sign-in through an external identity provider; a bean of this type exists only when providers
 * are configured, and then the sign-in pages offer them.
 */
public interface FederatedSignInHandler extends AuthenticationSuccessHandler {
}
