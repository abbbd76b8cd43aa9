package org.charnwood.app.security.accounts;

import org.charnwood.app.security.web.SecuritySettings;
import org.charnwood.fhir.FhirRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;

import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The external identity providers of {@code charnwood.security.federation}, present only when at least one is
 * configured. Each is an OpenID Connect relying-party registration; their endpoints are given in settings
 * (copied from the provider's discovery document) so that start-up does not depend on the provider being up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "charnwood.security.federation[0]", name = "registration-id")
class FederationConfiguration {

    @Bean
    ClientRegistrationRepository federatedProviders(SecuritySettings settings) {
        List<ClientRegistration> registrations = settings.federation().stream().map(f -> ClientRegistration
                .withRegistrationId(f.registrationId())
                .clientName(f.name() == null ? f.registrationId() : f.name())
                .clientId(f.clientId())
                .clientSecret(f.clientSecret())
                .clientAuthenticationMethod(f.privateKeyJwt() ? ClientAuthenticationMethod.PRIVATE_KEY_JWT
                        : ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope(f.scopes() == null || f.scopes().isEmpty() ? List.of("openid", "profile") : f.scopes())
                .issuerUri(f.issuer())
                .authorizationUri(f.authorizationUri())
                .tokenUri(f.tokenUri())
                .jwkSetUri(f.jwkSetUri())
                .userInfoUri(f.userInfoUri())
                .userNameAttributeName("sub")
                .build()).toList();
        return new InMemoryClientRegistrationRepository(registrations);
    }

    /**
     * The person's claims from the provider's user info endpoint as well as the ID token, whenever one is configured:
     * NHS login returns {@code nhs_number} there, and CIS2 the {@code nhsid_nrbac_roles} and {@code uid} that sign-in
     * needs, whatever scopes were asked for. The user info answer must be about the ID token's subject.
     */
    @Bean
    OAuth2UserService<OidcUserRequest, OidcUser> federatedUsers() {
        OidcUserService users = new OidcUserService();
        users.setRetrieveUserInfo(request -> org.springframework.util.StringUtils.hasText(
                request.getClientRegistration().getProviderDetails().getUserInfoEndpoint().getUri()));
        return users;
    }

    @Bean
    RelyingPartyKeys relyingPartyKeys(SecuritySettings settings) {
        return new RelyingPartyKeys(settings);
    }

    /**
     * The token request of the authorisation code flow at the providers: providers registered with
     * {@code private_key_jwt} get a client assertion signed by our key for them ({@code iss} = {@code sub} =
     * client id, {@code aud} = their token endpoint, {@code jti}, {@code exp} a minute ahead, header {@code kid});
     * the others a client secret.
     */
    @Bean
    OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> federatedTokenRequests(RelyingPartyKeys keys) {
        RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
        client.addParametersConverter(new NimbusJwtClientAuthenticationParametersConverter<>(
                registration -> keys.forRegistration(registration.getRegistrationId())));
        return client;
    }

    /**
     * The authorisation request each provider is sent: Spring's own (state, nonce, PKCE with S256), plus what the
     * provider reads to decide how strongly to sign the person in: NHS login's vectors of trust ({@code vtr}; without
     * it NHS login asks every person for P9) and CIS2's {@code acr_values}, when they are set. What the person
     * reached is still judged from the ID token ({@link IdentityAssurance}), never from what was asked.
     */
    @Bean
    OAuth2AuthorizationRequestResolver federatedAuthorizationRequests(ClientRegistrationRepository providers,
                                                                      SecuritySettings settings) {
        Map<String, Map<String, Object>> extra = new HashMap<>();
        settings.federation().forEach(f -> extra.put(f.registrationId(), f.authorizationParameters()));
        DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(providers,
                OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
        resolver.setAuthorizationRequestCustomizer(request -> request.attributes(attributes -> {
            Map<String, Object> parameters = extra.get(attributes.get(OAuth2ParameterNames.REGISTRATION_ID));
            if (parameters != null && !parameters.isEmpty()) {
                request.additionalParameters(p -> p.putAll(parameters));
            }
        }));
        return resolver;
    }

    /** ID tokens are checked with the algorithm each provider signs with (NHS login: RS512). */
    @Bean
    JwtDecoderFactory<ClientRegistration> federatedIdTokenDecoders(SecuritySettings settings) {
        Map<String, String> algorithms = new HashMap<>();
        settings.federation().forEach(f -> algorithms.put(f.registrationId(), f.idTokenAlgorithm()));
        OidcIdTokenDecoderFactory decoders = new OidcIdTokenDecoderFactory();
        decoders.setJwsAlgorithmResolver(registration -> SignatureAlgorithm.from(
                algorithms.getOrDefault(registration.getRegistrationId(), "RS256")));
        return decoders;
    }

    @Bean
    FederatedSignIn federatedSignIn(SecuritySettings settings, AccountStore accounts, SignInService signIn,
                                    SignedInSessions sessions, FhirRepository repository,
                                    ApplicationEventPublisher events, Clock clock, FederatedSessions federatedSessions,
                                    org.springframework.transaction.support.TransactionTemplate tx) {
        FederatedSignIn signInHandler = new FederatedSignIn(settings, accounts, signIn, sessions, repository, events,
                clock, tx);
        signInHandler.indexSessionsIn(federatedSessions);
        return signInHandler;
    }
}
