package org.charnwood.app.security.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;

/**
 * The response headers every filter chain sends, the authorisation server's included (its error page is HTML and
 * its JSON is read by browsers too): one policy, so no chain's responses are left without it.
 */
public final class SecureHeaders {

    private SecureHeaders() {
    }

    public static void apply(HeadersConfigurer<HttpSecurity> h) {
        h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"))
                .httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(31_536_000).includeSubDomains(true));
    }
}
