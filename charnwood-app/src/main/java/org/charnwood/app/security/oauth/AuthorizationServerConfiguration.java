package org.charnwood.app.security.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.charnwood.app.security.ProductionSafeguards;
import org.charnwood.app.security.accounts.AccountStore;
import org.charnwood.app.security.accounts.LiveSignIns;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcherEntry;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in OAuth 2.0 / OpenID Connect authorisation server, shaped for SMART App Launch v2: authorisation
 * code with PKCE (S256, for every client), client credentials with {@code private_key_jwt}, refresh tokens only
 * for {@code offline_access}/{@code online_access}, introspection, revocation, SMART scopes checked against what
 * each client registered, and the launch context returned beside the access token.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    static final String SIGN_IN_PAGE = "/signin";
    /** How long a verified signature is trusted without checking it again (expiry and revocation: always). */
    static final Duration VERIFIED_TOKEN_MAX_AGE = Duration.ofMinutes(5);
    /** Tokens remembered at once: a few thousand apps and sessions, a few megabytes. */
    static final int VERIFIED_TOKEN_CAPACITY = 4096;

    @Bean
    RSAKey tokenSigningKey(SecuritySettings settings, @Value("${charnwood.data-dir}") String dataDir,
                           org.springframework.core.env.Environment environment) {
        // Only dev, demo and bench may go without a key of their own (ProductionSafeguards), whatever is set.
        return SigningKey.load(settings, Path.of(dataDir),
                settings.requireSigningKey() || ProductionSafeguards.enforced(environment));
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey tokenSigningKey) {
        return new ImmutableJWKSet<>(new JWKSet(tokenSigningKey));
    }

    @Bean
    RevocationAwareAuthorizations authorizationService(JdbcTemplate jdbc, Clock clock) {
        return new RevocationAwareAuthorizations(new StoredAuthorizations(jdbc, clock), jdbc, clock);
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbc, AllowedApps apps) {
        return new StoredConsents(jdbc, apps);
    }

    /**
     * The issuer is the public URL set by {@code CHARNWOOD_ISSUER}. Without it the authorisation server takes it from
     * each request's Host (or forwarded host) header, which a caller chooses: fine on a developer's machine, but in
     * production tokens and their audience checks must not depend on a header, so every profile but dev, demo and
     * bench refuses to start without it.
     */
    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecuritySettings settings,
                                                            org.springframework.core.env.Environment environment) {
        AuthorizationServerSettings.Builder b = AuthorizationServerSettings.builder();
        if (settings.issuer() != null && !settings.issuer().isBlank()) {
            b.issuer(settings.issuer());
        } else if (ProductionSafeguards.enforced(environment)) {
            // ProductionSafeguards refuses such a start before anything runs; this is the last line.
            throw new IllegalStateException("Outside the dev, demo and bench profiles this server needs its public "
                    + "URL: set CHARNWOOD_ISSUER (for example https://ehr.example.nhs.uk)");
        }
        return b.build();
    }

    /**
     * Access tokens at {@code /fhir}: signed by our key, for this server's FHIR base, unexpired and not revoked. The
     * signature is verified once per token ({@link VerifiedTokens}); audience, expiry and revocation are checked at
     * every use, with the application clock.
     */
    @Bean
    JwtDecoder jwtDecoder(RSAKey tokenSigningKey, RevocationAwareAuthorizations authorizations, Clock clock,
                          SecuritySettings settings) throws Exception {
        JwtTimestampValidator unexpired = new JwtTimestampValidator();
        unexpired.setClock(clock);
        OAuth2TokenValidator<Jwt> checks = new DelegatingOAuth2TokenValidator<>(unexpired,
                forThisServer(settings.issuer()),
                (Jwt jwt) -> authorizations.isRevoked(jwt.getTokenValue())
                        ? OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        "the access token was revoked", null))
                        : OAuth2TokenValidatorResult.success());
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(tokenSigningKey.toRSAPublicKey()).build();
        decoder.setJwtValidator(checks);
        return new VerifiedTokens(decoder, checks, clock, VERIFIED_TOKEN_MAX_AGE, VERIFIED_TOKEN_CAPACITY);
    }

    /**
     * The token's {@code aud} must name this server's FHIR base, so that a token issued for another resource server
     * is not taken here (RFC 9068 section 4, SMART App Launch's {@code aud}). The base is the configured public URL's;
     * without one (dev, demo and bench only) the server does not know its own address, and the base is that of the
     * issuer that signed the token, never the request's Host header.
     */
    static OAuth2TokenValidator<Jwt> forThisServer(String configuredIssuer) {
        return jwt -> {
            String issuer = configuredIssuer != null && !configuredIssuer.isBlank() ? configuredIssuer
                    : jwt.getClaimAsString("iss");
            List<String> audience = jwt.getAudience();
            return issuer != null && audience != null && audience.contains(SmartTokenClaims.fhirBase(issuer))
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                    "the access token is not for this server: its aud must be this server's FHIR base URL", null));
        };
    }

    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JWKSource<SecurityContext> jwkSource, LaunchContexts launches,
                                                     AccountStore accounts, LiveSignIns live,
                                                     org.charnwood.app.security.policy.ProxyConsents consents,
                                                     Clock clock) {
        JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(jwkSource));
        jwt.setJwtCustomizer(new SmartTokenClaims(launches, new AccountsAtRefresh(accounts, live, consents, clock)));
        OAuth2RefreshTokenGenerator refresh = new OAuth2RefreshTokenGenerator();
        // SMART: a refresh token only when the app asked for offline or online access (online access refreshes
        // only while the session it was given in lasts: AccountsAtRefresh).
        OAuth2TokenGenerator<OAuth2Token> refreshWhenAsked = context -> {
            // On refresh, what the grant was for decides (the app may narrow the scopes of one access token).
            Set<String> scopes = context.getAuthorization() != null
                    && org.springframework.security.oauth2.core.AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                    ? context.getAuthorization().getAuthorizedScopes() : context.getAuthorizedScopes();
            if (OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
                    && !scopes.contains("offline_access") && !scopes.contains("online_access")) {
                return null;
            }
            return withinTheGrantsLifetime(refresh.generate(context), context);
        };
        return new DelegatingOAuth2TokenGenerator(jwt, new OAuth2AccessTokenGenerator(), refreshWhenAsked);
    }

    /**
     * A refresh token made by a refresh expires no later than the one it replaces, so a grant lasts at most the
     * lifetime of its first refresh token however often the app refreshes (rotation alone would give it a new
     * 30 days each time, for ever).
     */
    private static OAuth2RefreshToken withinTheGrantsLifetime(OAuth2RefreshToken token,
                                                              OAuth2TokenContext context) {
        OAuth2Authorization grant = context.getAuthorization();
        if (token == null || grant == null || grant.getRefreshToken() == null
                || !org.springframework.security.oauth2.core.AuthorizationGrantType.REFRESH_TOKEN
                .equals(context.getAuthorizationGrantType())) {
            return token;
        }
        Instant deadline = grant.getRefreshToken().getToken().getExpiresAt();
        return deadline == null || token.getExpiresAt() == null || !token.getExpiresAt().isAfter(deadline) ? token
                : new OAuth2RefreshToken(token.getTokenValue(), token.getIssuedAt(), deadline);
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, ClientStore clients,
                                                 RevocationAwareAuthorizations authorizations,
                                                 OAuth2AuthorizationConsentService consents,
                                                 org.springframework.context.ApplicationEventPublisher events,
                                                 java.time.Clock clock, UsedClientAssertions usedAssertions,
                                                 KeySetFetcher keySetFetcher,
                                                 org.charnwood.app.security.accounts.SignedInSessions sessions,
                                                 UserInfoClaims userInfo)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        TokenEndpointSignIns signIns = new TokenEndpointSignIns(events, clock, authorizations);
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, as -> as
                        .registeredClientRepository(clients)
                        .authorizationService(authorizations)
                        .authorizationConsentService(consents)
                        .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                                b -> b.claims(DiscoveryDocuments::onlyWhatWorks)))
                        .oidc(oidc -> oidc
                                .providerConfigurationEndpoint(config -> config.providerConfigurationCustomizer(
                                        b -> b.claims(DiscoveryDocuments::onlyWhatWorks)))
                                .userInfoEndpoint(info -> info.userInfoMapper(userInfo))
                                .logoutEndpoint(logout -> logout.logoutResponseHandler(
                                        new RecordedOidcSignOut(sessions))))
                        .authorizationEndpoint(endpoint -> endpoint.consentPage(AppConsentPage.PATH)
                                .errorResponseHandler(new AuthorizeErrors(clients))
                                .authenticationProviders(providers -> providers.forEach(p -> {
                                    if (p instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider code) {
                                        code.setAuthenticationValidator(
                                                OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
                                                        .andThen(AuthorizationServerConfiguration::requireS256)
                                                        .andThen(AuthorizationServerConfiguration::requireState)
                                                        .andThen(AuthorizationServerConfiguration::audienceIsThisServer)
                                                        .andThen(AuthorizationServerConfiguration::smartScopesForApp));
                                        code.setAuthorizationConsentRequired(ConsentAnswers::mustAsk);
                                    }
                                    if (p instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
                                        consent.setAuthorizationConsentCustomizer(ConsentAnswers::refusalWithdraws);
                                    }
                                })))
                        .tokenEndpoint(endpoint -> endpoint
                                .accessTokenRequestConverters(ServedGrants::keepOnlyServedConverters)
                                .authenticationProviders(providers -> {
                                    ServedGrants.keepOnlyServedProviders(providers);
                                    providers.replaceAll(p -> p instanceof OAuth2RefreshTokenAuthenticationProvider
                                            ? new NarrowerScopesAtRefresh(p, authorizations) : p);
                                    providers.forEach(p -> {
                                        if (p instanceof OAuth2ClientCredentialsAuthenticationProvider cc) {
                                            cc.setAuthenticationValidator(AuthorizationServerConfiguration::smartScopesForService);
                                        }
                                    });
                                })
                                .accessTokenResponseHandler(signIns.issued(launchContextResponse(authorizations)))
                                .errorResponseHandler(signIns.tokenRefused()))
                        .tokenIntrospectionEndpoint(endpoint -> endpoint.authenticationProviders(providers ->
                                providers.replaceAll(p -> p instanceof OAuth2TokenIntrospectionAuthenticationProvider
                                        ? new OwnTokensIntrospection(p, authorizations) : p)))
                        .clientAuthentication(auth -> auth
                                .errorResponseHandler(signIns.clientRefused())
                                .authenticationConverters(converters -> converters.add(0, new ClientAssertionWithoutClientId()))
                                .authenticationProviders(providers -> providers.forEach(p -> {
                            if (p instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                jwt.setJwtDecoderFactory(new ClientAssertionDecoders(usedAssertions, clock, keySetFetcher));
                            }
                        }))))
                .headers(org.charnwood.app.security.web.SecureHeaders::apply)
                .addFilterBefore(new FreshSignIn(clock, SIGN_IN_PAGE, new AuthorizeErrors(clients)),
                        AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterBefore(new StaffPatientPicker(), AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterBefore(new ConsentAnswers(), AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterBefore(new SilentAuthorisation(new AuthorizeErrors(clients)),
                        org.springframework.security.web.access.ExceptionTranslationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                // Only a person's browser is sent to the sign-in page (at the authorisation and sign-out
                // endpoints, whatever it says it accepts); a program calling the token, introspection or
                // revocation endpoint without authenticating as a client gets the OAuth error (RFC 6749 §5.2),
                // recorded as a failed sign-in; the user info endpoint's caller the bearer challenge.
                .exceptionHandling(e -> e.authenticationEntryPoint(new DelegatingAuthenticationEntryPoint(
                        new BearerTokenAuthenticationEntryPoint(),
                        new RequestMatcherEntry<>(new OrRequestMatcher(pathPattern(TokenEndpointSignIns.TOKEN_PATH),
                                pathPattern("/oauth2/introspect"), pathPattern("/oauth2/revoke")),
                                signIns.clientNotAuthenticated(clients)),
                        new RequestMatcherEntry<>(new OrRequestMatcher(pathPattern(AuthorizeEndpoint.PATH),
                                pathPattern("/connect/logout")), new LoginUrlAuthenticationEntryPoint(SIGN_IN_PAGE)))))
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()));
        return http.build();
    }

    /** SMART requires PKCE with S256 from every app, public or confidential. */
    private static void requireS256(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Map<String, Object> params = request.getAdditionalParameters();
        if (params.get(PkceParameterNames.CODE_CHALLENGE) == null
                || !"S256".equals(params.get(PkceParameterNames.CODE_CHALLENGE_METHOD))) {
            throw invalidRequest(context, "invalid_request", "code_challenge with code_challenge_method=S256 is required");
        }
    }

    /**
     * SMART App Launch v2 makes {@code state} REQUIRED: it is the app's protection against a forged redirect
     * carrying someone else's code (RFC 6749 section 10.12), so an app that sends none is refused.
     */
    private static void requireState(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String state = request.getState();
        if (state == null || state.isBlank()) {
            throw invalidRequest(context, "invalid_request", "state is required");
        }
    }

    /**
     * SMART's {@code aud}: REQUIRED when the app asks for access to the record ({@code patient/}, {@code user/}
     * or {@code launch} scopes), and then it must be this server's FHIR base, so tokens are not minted for
     * another server the app was led to believe it was talking to. A plain OpenID Connect sign-in asks for no
     * FHIR access and may leave it out.
     */
    private static void audienceIsThisServer(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Object aud = request.getAdditionalParameters().get("aud");
        if (aud == null) {
            if (request.getScopes().stream().anyMatch(AuthorizationServerConfiguration::asksForTheRecord)) {
                throw invalidRequest(context, "invalid_request", "aud (this server's FHIR base URL) is required");
            }
            return;
        }
        String fhirBase = AuthorizationServerContextHolder.getContext().getIssuer() + "/fhir";
        String given = aud.toString().endsWith("/") ? aud.toString().substring(0, aud.toString().length() - 1) : aud.toString();
        if (!fhirBase.equals(given)) {
            throw invalidRequest(context, "invalid_request", "aud must be this server's FHIR base URL " + fhirBase);
        }
    }

    private static boolean asksForTheRecord(String scope) {
        return scope.startsWith("patient/") || scope.startsWith("user/") || scope.equals("launch")
                || scope.startsWith("launch/");
    }

    private static void smartScopesForApp(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Set<String> unknown = SmartScope.namingUnknownTypes(request.getScopes());
        if (!unknown.isEmpty()) {
            throw invalidRequest(context, "invalid_scope", "scopes naming no FHIR resource type: " + unknown);
        }
        Set<String> refused = SmartScope.uncovered(request.getScopes(), context.getRegisteredClient().getScopes(), true);
        if (!refused.isEmpty()) {
            throw invalidRequest(context, "invalid_scope", "scopes not allowed for this client: " + refused);
        }
    }

    /**
     * SMART Backend Services make {@code scope} REQUIRED, and there is no default to fall back on (RFC 6749
     * section 3.3): a system that names none, or names a type FHIR does not have, is refused rather than given a
     * token that grants nothing or grants a word.
     */
    private static void smartScopesForService(OAuth2ClientCredentialsAuthenticationContext context) {
        Set<String> requested = context.<org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken>getAuthentication().getScopes();
        if (requested.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_scope",
                    "scope is required: name the system/ scopes the system needs", null));
        }
        Set<String> unknown = SmartScope.namingUnknownTypes(requested);
        if (!unknown.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_scope",
                    "scopes naming no FHIR resource type: " + unknown, null));
        }
        Set<String> refused = SmartScope.uncovered(requested, context.getRegisteredClient().getScopes(), false);
        if (!refused.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_scope",
                    "scopes not allowed for this client: " + refused, null));
        }
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException invalidRequest(
            OAuth2AuthorizationCodeRequestAuthenticationContext context, String code, String description) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        OAuth2AuthorizationCodeRequestAuthenticationToken result = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (org.springframework.security.core.Authentication) request.getPrincipal(),
                context.getRegisteredClient().getRedirectUris().contains(request.getRedirectUri())
                        ? request.getRedirectUri() : null,
                request.getState(), request.getScopes(), request.getAdditionalParameters());
        result.setAuthenticated(true);
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null), result);
    }

    /**
     * The token response gains the SMART launch context ({@code patient}, {@code encounter}) the token carries, and
     * its {@code scope} is the token's own.
     */
    private static OAuth2AccessTokenResponseAuthenticationSuccessHandler launchContextResponse(
            RevocationAwareAuthorizations authorizations) {
        OAuth2AccessTokenResponseAuthenticationSuccessHandler handler = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        handler.setAccessTokenResponseCustomizer(context -> {
            OAuth2AccessTokenAuthenticationToken token = context.getAuthentication();
            OAuth2Authorization authorization = authorizations.findByToken(
                    token.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
            if (authorization == null || authorization.getAccessToken().getClaims() == null) {
                return;
            }
            Map<String, Object> claims = authorization.getAccessToken().getClaims();
            Map<String, Object> extra = new HashMap<>(token.getAdditionalParameters());
            for (String name : new String[]{SmartTokenClaims.PATIENT, SmartTokenClaims.ENCOUNTER}) {
                if (claims.get(name) != null) {
                    extra.put(name, claims.get(name));
                }
            }
            if (claims.get(SmartTokenClaims.FHIR_USER) instanceof String fhirUser && !fhirUser.isEmpty()) {
                extra.put(SmartTokenClaims.FHIR_USER, fhirUser);
            }
            OAuth2AccessTokenResponse.Builder response = context.get(OAuth2AccessTokenResponse.Builder.class);
            response.additionalParameters(extra);
            // The response names the scopes the token carries (RFC 6749 §5.1): on a refresh they can be fewer than
            // the grant's, when the trust has since narrowed what the client is registered for.
            if (claims.get("scope") instanceof String granted) {
                response.scopes(granted.isEmpty() ? Set.of()
                        : new java.util.LinkedHashSet<>(java.util.Arrays.asList(granted.split(" "))));
            }
        });
        return handler;
    }
}
