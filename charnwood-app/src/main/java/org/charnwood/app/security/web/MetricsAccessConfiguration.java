package org.charnwood.app.security.web;

import org.charnwood.app.security.ProductionSafeguards;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * Who may read the operational metrics ({@code /actuator/metrics}, {@code /actuator/prometheus}): a system
 * administrator (signed-in session, or an access token granted {@code charnwood/operations}), or the metrics scraper presenting the scrape credential
 * from the environment ({@code CHARNWOOD_METRICS_TOKEN}) as a bearer token. Metrics hold no patient data but
 * they do describe the service's load and internals, which is for operators only. Liveness and readiness stay
 * open to the platform's probes (the application chain permits them).
 */
@Configuration(proxyBeanMethods = false)
class MetricsAccessConfiguration {

    static final String SCRAPER = "METRICS_SCRAPER";

    /** Before the application chain, whose resource server would take the scrape credential for a JWT. */
    @Bean
    @Order(0)
    SecurityFilterChain metricsChain(HttpSecurity http, JwtDecoder jwtDecoder, Environment environment,
                                     @Value("${charnwood.security.metrics-token:}") String scrapeToken) throws Exception {
        if (!scrapeToken.isEmpty() && scrapeToken.length() < 32
                && ProductionSafeguards.enforced(environment)) {
            throw new IllegalStateException("charnwood.security.metrics-token (CHARNWOOD_METRICS_TOKEN) must be at "
                    + "least 32 characters in production");
        }
        JwtAuthenticationProvider tokens = new JwtAuthenticationProvider(jwtDecoder);
        tokens.setJwtAuthenticationConverter(WebSecurityConfiguration.rolesFromToken());
        byte[] expected = digest(scrapeToken);
        AuthenticationManager scrapeOrToken = authentication -> {
            if (authentication instanceof BearerTokenAuthenticationToken bearer && !scrapeToken.isEmpty()
                    && MessageDigest.isEqual(expected, digest(bearer.getToken()))) {
                TestingAuthenticationToken scraper = new TestingAuthenticationToken("metrics-scraper", null,
                        "ROLE_" + SCRAPER);
                scraper.setAuthenticated(true);
                return scraper;
            }
            try {
                return tokens.authenticate(authentication);
            } catch (RuntimeException e) {
                throw new BadCredentialsException("not a valid credential for the metrics", e);
            }
        };
        http.securityMatcher(new OrRequestMatcher(pathPattern("/actuator/metrics"),
                        pathPattern("/actuator/metrics/**"), pathPattern("/actuator/prometheus")))
                // An administrator's token needs the operations scope too (ApiScopes); the scraper's credential
                // is not a token of any app.
                .authorizeHttpRequests(a -> a.anyRequest().access(ApiScopes.tokenGranted(ApiScopes.OPERATIONS,
                        AuthorityAuthorizationManager.hasAnyRole("SYSTEM_ADMINISTRATOR", SCRAPER))))
                .oauth2ResourceServer(rs -> rs.authenticationManagerResolver(request -> scrapeOrToken))
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                // The one header policy of every chain, so these answers are not the only ones left without it.
                .headers(SecureHeaders::apply)
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /**
     * Compared as SHA-256 digests with {@link MessageDigest#isEqual} (constant time), so neither the content nor
     * the length of the credential leaks through response timing.
     */
    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
