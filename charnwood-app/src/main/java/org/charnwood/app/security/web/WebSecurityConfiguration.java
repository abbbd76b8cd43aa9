package org.charnwood.app.security.web;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.accounts.AccountEndings;
import org.charnwood.app.security.accounts.SessionTimeouts;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.charnwood.app.security.accounts.SignedInSessions;
import org.charnwood.app.security.RefusalRecorder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.springframework.security.authorization.AuthenticatedAuthorizationManager.authenticated;
import static org.springframework.security.authorization.AuthorityAuthorizationManager.hasAnyRole;
import static org.springframework.security.authorization.AuthorityAuthorizationManager.hasRole;
import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * Which credentials each part of the application needs. {@code /fhir} takes bearer access tokens only (401 with
 * {@code WWW-Authenticate} otherwise), except the CapabilityStatement and SMART configuration, which are public.
 * Pages take a signed-in session; JSON APIs take either, with CSRF required whenever a session cookie is the
 * credential, and a bearer token only when it was granted the API's scope ({@link ApiScopes}). Health probes are
 * open; metrics are for system administrators and the scraper ({@link MetricsAccessConfiguration}); the audit
 * chain check for information governance.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

    /** Bearer tokens from the Authorization header, as Spring finds them, without a regular expression. */
    private static final HeaderBearerTokens BEARER_TOKENS = new HeaderBearerTokens();

    @Bean
    @Fallback
    Clock systemClock() {
        return Clock.systemUTC();
    }

    /**
     * Argon2id for passwords and client secrets at OWASP's minimum: 19 MiB, 2 iterations, 1 lane (Spring's own
     * defaults, 16 MiB, are below it; RFC 9106's 64 MiB option took several times as long per sign-in on a small
     * server, see docs/security.md). Each hash carries its parameters, so hashes made with lower ones still verify,
     * and {@link PasswordEncoder#upgradeEncoding} tells sign-in and client authentication to store a new hash.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordHashing.encoder();
    }

    static PasswordEncoder argon2() {
        return new DelegatingPasswordEncoder("argon2", Map.of("argon2", new Argon2PasswordEncoder(
                ARGON2_SALT_BYTES, ARGON2_HASH_BYTES, ARGON2_LANES, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS)));
    }

    static final int ARGON2_SALT_BYTES = 16;
    static final int ARGON2_HASH_BYTES = 32;
    static final int ARGON2_LANES = 1;
    static final int ARGON2_MEMORY_KIB = 19 * 1024;
    static final int ARGON2_ITERATIONS = 2;

    @Bean
    FilterRegistrationBean<RateLimits> rateLimits(SecuritySettings settings, Clock clock) {
        var registration = new FilterRegistrationBean<>(new RateLimits(settings.rateLimit(), clock));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SessionTimeouts> sessionTimeouts(SignedInSessions sessions, AccountEndings endings,
                                                           SecuritySettings settings, Clock clock) {
        var registration = new FilterRegistrationBean<>(new SessionTimeouts(sessions, endings, settings, clock));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    /**
     * Spring Security's strict request firewall, as by default, but testing header names and values without a
     * regular expression ({@link HeaderCharacters}, same meaning).
     */
    @Bean
    WebSecurityCustomizer requestFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters.NAME);
        firewall.setAllowedHeaderValues(HeaderCharacters.VALUE);
        return web -> web.httpFirewall(firewall);
    }

    /**
     * No Micrometer observation per security filter, authentication and authorisation: around every request that
     * cost more CPU than a small FHIR search's own work, and nothing in operations reads it. Requests are still
     * timed as {@code http.server.requests} and, per FHIR interaction, as {@code fhir.requests}.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The FHIR API: bearer access tokens only, so nothing of the browser machinery is needed here. No session is
     * read or made (a session cookie is not a credential at {@code /fhir}: 401, as for no credential at all), so
     * there is nothing for CSRF to protect and no request to save for after a sign-in page.
     */
    @Bean
    @Order(2)
    SecurityFilterChain fhirChain(HttpSecurity http) throws Exception {
        // "/fhir/**" matches "/fhir" itself too.
        http.securityMatcher(pathPattern("/fhir/**"))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(pathPattern("/fhir/metadata"), pathPattern("/fhir/.well-known/**")).permitAll()
                        .anyRequest().authenticated())
                // A token that is there but malformed, expired or revoked is refused by the resource server's own
                // entry point, so it gets the same OperationOutcome as a missing one.
                .oauth2ResourceServer(rs -> rs.bearerTokenResolver(BEARER_TOKENS)
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromToken()))
                        .authenticationEntryPoint(
                                new AuthenticationRequiredEntryPoint(new BearerTokenAuthenticationEntryPoint())))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .requestCache(c -> c.disable())
                .csrf(c -> c.disable())
                .logout(l -> l.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(
                        new AuthenticationRequiredEntryPoint(new BearerTokenAuthenticationEntryPoint())))
                .headers(SecureHeaders::apply)
                .addFilterBefore(new ProtectedResourceMetadata.FhirChallengeLink(), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain applicationChain(HttpSecurity http, SecuritySettings settings,
                                         ObjectProvider<ClientRegistrationRepository> federation,
                                         ObjectProvider<FederatedSignInHandler> federatedSignIn,
                                         ObjectProvider<OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest>>
                                                 federatedTokenRequests,
                                         ObjectProvider<OAuth2AuthorizationRequestResolver> federatedAuthorizationRequests,
                                         ObjectProvider<RefusalRecorder> refusalAudit) throws Exception {
        // A refusal made here, before any handler, is recorded on the audit trail as a handler's refusal is.
        RefusalRecorder refusals = refusalAudit.getIfAvailable();
        java.util.function.UnaryOperator<AccessDeniedHandler> recorded =
                handler -> refusals == null ? handler : refusals.recording(handler);
        RequestMatcher bearer = WebSecurityConfiguration::hasBearerToken;
        // A bearer token reaches an API here only with the scope for it (ApiScopes); a session by role alone.
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(pathPattern("/api/admin/**"))
                        .access(ApiScopes.tokenGranted(ApiScopes.ADMIN_CLIENTS, hasRole("SYSTEM_ADMINISTRATOR")))
                        // The operations APIs (the outbox's set-aside events) are the actuator's kind of work.
                        .requestMatchers(pathPattern("/api/operations/**"))
                        .access(ApiScopes.tokenGranted(ApiScopes.OPERATIONS, hasRole("SYSTEM_ADMINISTRATOR")))
                        // The audit chain check reads the whole trail: for the people who answer for it.
                        .requestMatchers(pathPattern("/actuator/auditchain"), pathPattern("/actuator/auditchain/**"))
                        .access(ApiScopes.tokenGranted(ApiScopes.AUDIT_CHAIN,
                                hasAnyRole("INFORMATION_GOVERNANCE", "SYSTEM_ADMINISTRATOR")))
                        // Who may launch, break glass or review is the endpoints' business (kind and role).
                        .requestMatchers(pathPattern("/api/launch"))
                        .access(ApiScopes.tokenGranted(ApiScopes.LAUNCH, authenticated()))
                        .requestMatchers(pathPattern("/api/break-glass/reviews"), pathPattern("/api/break-glass/*/review"),
                                pathPattern("/api/break-glass/reviews/identity-confirmations"),
                                pathPattern("/api/break-glass/identity-confirmations/*/review"))
                        .access(ApiScopes.tokenGranted(ApiScopes.BREAK_GLASS_REVIEW, authenticated()))
                        .requestMatchers(pathPattern("/api/break-glass"))
                        .access(ApiScopes.tokenGranted(ApiScopes.BREAK_GLASS, authenticated()))
                        // The waiting list is a search of ServiceRequests: the access policy narrows it by the
                        // token's SMART scopes as /fhir would (user/ or system/ ServiceRequest read).
                        .requestMatchers(pathPattern("/api/services/*/waiting-list")).authenticated()
                        .requestMatchers(pathPattern("/api/terminology/search"))
                        .access(ApiScopes.tokenGranted("a scope to search CodeSystem or ValueSet",
                                ApiScopes::searchesTerminology, authenticated()))
                        .requestMatchers(pathPattern("/nhsuk/**"), pathPattern("/workspace/**"),
                                pathPattern("/favicon.ico")).permitAll()
                        // The public directory of services and self-referral: no sign-in (CSRF and rate limits apply).
                        .requestMatchers(pathPattern("/services"), pathPattern("/services/**"),
                                pathPattern("/self-referral"), pathPattern("/self-referral/**")).permitAll()
                        // The shift app is a staff page too: a signed-in staff session (docs/rostering.md).
                        .requestMatchers(pathPattern("/staff"), pathPattern("/staff/**"), pathPattern("/shifts"),
                                pathPattern("/shifts/**"))
                        .access((authentication, context) -> new AuthorizationDecision(signedInStaff(authentication.get())))
                        // The patient area: for patients and carers signed in to the pages (staff: 403).
                        .requestMatchers(pathPattern("/my"), pathPattern("/my/**"))
                        .access((authentication, context) -> new AuthorizationDecision(signedInPatientOrCarer(authentication.get())))
                        // Choosing a new password is part of signing in: the session has no signed-in person yet.
                        .requestMatchers(pathPattern("/signin"), pathPattern("/signin/second-factor"),
                                pathPattern("/signin/new-password"), pathPattern("/signout"),
                                pathPattern("/signin/backchannel-logout/*"),
                                pathPattern("/actuator/health"), pathPattern("/actuator/health/**"),
                                pathPattern("/actuator/info"), pathPattern("/error"), pathPattern("/.well-known/**"))
                        .permitAll()
                        .requestMatchers(pathPattern("/actuator/**"))
                        .access(ApiScopes.tokenGranted(ApiScopes.OPERATIONS, hasRole("SYSTEM_ADMINISTRATOR")))
                        .anyRequest().access(ApiScopes.sessionsOnly(authenticated())))
                .oauth2ResourceServer(rs -> rs.bearerTokenResolver(BEARER_TOKENS)
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromToken()))
                        .protectedResourceMetadata(m -> m.protectedResourceMetadataCustomizer(
                                ProtectedResourceMetadata.customizer(settings))))
                // CSRF protects requests whose credential is the session cookie. A JSON API call with neither a
                // session nor a token has no credential to misuse and is refused as unauthenticated (401) instead;
                // the sign-in forms keep their token even then, against signing someone in as somebody else.
                // Back-channel logout comes from the identity provider's server, with no session: its signed token
                // is the credential.
                .csrf(csrf -> csrf.ignoringRequestMatchers(bearer, pathPattern("/signin/backchannel-logout/*"),
                        request -> request.getRequestURI().startsWith("/api/")
                                && request.getRequestedSessionId() == null && request.getSession(false) == null))
                .exceptionHandling(e -> e
                        .defaultAccessDeniedHandlerFor(recorded.apply(ApiScopes.refusal()), bearer)
                        .defaultAccessDeniedHandlerFor(recorded.apply(
                                new ExpiredSignInForms(new AccessDeniedHandlerImpl())), request -> true)
                        .defaultAuthenticationEntryPointFor(
                                new AuthenticationRequiredEntryPoint(new BearerTokenAuthenticationEntryPoint()), bearer)
                        .defaultAuthenticationEntryPointFor(new AuthenticationRequiredEntryPoint(
                                new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)), pathPattern("/api/**"))
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                pathPattern("/actuator/**"))
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/signin"),
                                request -> true))
                .headers(SecureHeaders::apply)
                // Signing out is /signout (and the authorisation server's /connect/logout), which record it on the
                // audit trail. Spring's own /logout would end the session unrecorded and send the browser to a
                // /login page that does not exist.
                .logout(l -> l.disable());
        ClientRegistrationRepository providers = federation.getIfAvailable();
        FederatedSignInHandler handler = federatedSignIn.getIfAvailable();
        if (providers != null && handler != null) {
            OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenRequests =
                    federatedTokenRequests.getIfAvailable();
            http.oauth2Login(login -> {
                login.loginPage("/signin").successHandler(handler).failureUrl("/signin?federated");
                if (tokenRequests != null) {
                    login.tokenEndpoint(t -> t.accessTokenResponseClient(tokenRequests));
                }
                OAuth2AuthorizationRequestResolver authorizationRequests = federatedAuthorizationRequests.getIfAvailable();
                if (authorizationRequests != null) {
                    login.authorizationEndpoint(a -> a.authorizationRequestResolver(authorizationRequests));
                }
            });
        }
        return http.build();
    }

    /**
     * The staff pages are for staff signed in to this server's own pages: a session, not an app's token, and
     * not a patient's or carer's account (they get 403, not the sign-in page again).
     */
    private static boolean signedInStaff(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof SignedInPerson person
                && person.kind() == Requester.Kind.STAFF;
    }

    private static boolean signedInPatientOrCarer(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof SignedInPerson person
                && (person.kind() == Requester.Kind.PATIENT || person.kind() == Requester.Kind.CARER);
    }

    private static boolean hasBearerToken(HttpServletRequest request) {
        return HeaderBearerTokens.bearer(request.getHeader("Authorization"));
    }

    /** Staff access roles in a token become {@code ROLE_} authorities, as they are for a signed-in session. */
    static JwtAuthenticationConverter rolesFromToken() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<String> roles = jwt.getClaimAsStringList("roles");
            return roles == null ? List.of()
                    : roles.stream().map(r -> (org.springframework.security.core.GrantedAuthority)
                    new SimpleGrantedAuthority("ROLE_" + r)).toList();
        });
        return converter;
    }
}
