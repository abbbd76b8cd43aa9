package org.charnwood.app.security.oauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2RefreshTokenAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import java.util.List;

/**
 * The token endpoint serves the grants of {@link ClientRegistration#SUPPORTED_GRANTS} and nothing else. Spring's
 * authorisation server also registers token exchange and the device code grant by default; neither passes through
 * the SMART scope, launch and consent checks, so they are taken out (a request for them gets
 * {@code unsupported_grant_type}) rather than trusting that no client is ever registered for them.
 */
final class ServedGrants {

    private ServedGrants() {
    }

    static void keepOnlyServedConverters(List<AuthenticationConverter> converters) {
        converters.removeIf(c -> !(c instanceof OAuth2AuthorizationCodeAuthenticationConverter
                || c instanceof OAuth2RefreshTokenAuthenticationConverter
                || c instanceof OAuth2ClientCredentialsAuthenticationConverter));
    }

    static void keepOnlyServedProviders(List<AuthenticationProvider> providers) {
        providers.removeIf(p -> !(p instanceof OAuth2AuthorizationCodeAuthenticationProvider
                || p instanceof OAuth2RefreshTokenAuthenticationProvider
                || p instanceof OAuth2ClientCredentialsAuthenticationProvider));
    }
}
