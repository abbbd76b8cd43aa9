package org.charnwood.app.workspace;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Stands in for sign-in in the browser tests, which the workspace does not provide: a request carrying the
 * test cookie is a registered nurse with that FHIR user; every other request goes to the application's own
 * requester source unchanged. A plain test component (not an imported configuration) so the browser tests share
 * the one application context all integration tests use, instead of starting a second one.
 */
@Component
@Primary
class CookieSignIn implements RequesterSource {

    static final String COOKIE = "charnwood-test-fhir-user";

    private final ObjectProvider<RequesterSource> sources;

    CookieSignIn(ObjectProvider<RequesterSource> sources) {
        this.sources = sources;
    }

    @Override
    public Requester current(HttpServletRequest request) {
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (COOKIE.equals(cookie.getName()) && cookie.getValue().startsWith("Practitioner/")) {
                    return new Requester(Requester.Kind.STAFF, cookie.getValue(), cookie.getValue(),
                            Set.of(AccessRole.REGISTERED_NURSE), null, null, List.of(), null, null,
                            request.getRemoteAddr(), Instant.now());
                }
            }
        }
        return sources.orderedStream().filter(source -> source != this).findFirst()
                .orElseThrow(() -> new IllegalStateException("No requester source")).current(request);
    }
}
