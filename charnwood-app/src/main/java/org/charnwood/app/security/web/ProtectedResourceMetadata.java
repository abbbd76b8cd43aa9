package org.charnwood.app.security.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) as it is true of this server. The FHIR API's document is at
 * {@code /.well-known/oauth-protected-resource/fhir} (the path-suffix form of section 3.1): its {@code resource}
 * is the FHIR base URL, which is what a token's {@code aud} must be, and every 401 from {@code /fhir} points
 * there. The document at {@code /.well-known/oauth-protected-resource} describes the server's other bearer-token
 * APIs ({@code /api}), whose resource is the server itself. Both name this server as the authorisation server,
 * take tokens in the Authorization header only, and do not claim certificate-bound tokens (not offered).
 */
final class ProtectedResourceMetadata {

    static final String PATH = "/.well-known/oauth-protected-resource";
    static final String FHIR_PATH = PATH + "/fhir";

    private ProtectedResourceMetadata() {
    }

    /** Corrects Spring's document: resource and issuer from the configured public URL, and nothing untrue. */
    static Consumer<OAuth2ProtectedResourceMetadata.Builder> customizer(SecuritySettings settings) {
        return metadata -> {
            HttpServletRequest request = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes
                    attributes ? attributes.getRequest() : null;
            String base = settings.issuer() != null && !settings.issuer().isBlank()
                    ? stripSlash(settings.issuer()) : ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
            String suffix = request == null ? ""
                    : request.getRequestURI().substring(request.getContextPath().length() + PATH.length());
            metadata.resource(base + stripSlash(suffix))
                    .bearerMethods(methods -> {
                        methods.clear();
                        methods.add("header");
                    })
                    .claims(claims -> {
                        claims.remove("tls_client_certificate_bound_access_tokens");
                        claims.remove("scopes_supported");
                        claims.put("authorization_servers", List.of(base));
                    });
        };
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Makes the {@code resource_metadata} of a {@code /fhir} 401 challenge name the FHIR API's own document:
     * Spring's bearer challenge always names the server's root one.
     */
    static final class FhirChallengeLink extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                @Override
                public void setHeader(String name, String value) {
                    super.setHeader(name, fixed(name, value));
                }

                @Override
                public void addHeader(String name, String value) {
                    super.addHeader(name, fixed(name, value));
                }
            });
        }

        private static String fixed(String name, String value) {
            return value != null && "WWW-Authenticate".equalsIgnoreCase(name)
                    ? value.replace(PATH + "\"", FHIR_PATH + "\"") : value;
        }
    }
}
