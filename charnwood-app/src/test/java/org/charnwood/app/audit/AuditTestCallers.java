package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test-only callers: the requester is taken from {@code X-Test-*} headers so a test can act as a member of
 * staff, a patient or through a client app, and can mark an access as covered by a break-glass grant (as
 * the access policy does). Without headers the caller is the full-access system. Imported only by the audit
 * tests; nothing like it exists in the application.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AuditTestCallers {

    @Bean
    @Primary
    RequesterSource testCallers() {
        return request -> {
            String grant = request.getHeader("X-Test-Break-Glass");
            if (grant != null) {
                request.setAttribute(AuditTrail.BREAK_GLASS_GRANT_ATTRIBUTE, grant);
            }
            String user = request.getHeader("X-Test-User");
            if (user == null) {
                return new Requester(Requester.Kind.SYSTEM, "open-access", null, Set.of(), null, null,
                        List.of("system/*.cruds"), null, null, request.getRemoteAddr(), null);
            }
            String roles = request.getHeader("X-Test-Roles");
            Set<AccessRole> accessRoles = roles == null ? Set.of()
                    : Arrays.stream(roles.split(",")).map(AccessRole::valueOf).collect(Collectors.toSet());
            return new Requester(Requester.Kind.valueOf(header(request, "X-Test-Kind", "STAFF")),
                    user.replace('/', '-'), user, accessRoles, request.getHeader("X-Test-Org"),
                    request.getHeader("X-Test-Client"), List.of("user/*.cruds"), null, null,
                    request.getRemoteAddr(), Instant.now());
        };
    }

    private static String header(jakarta.servlet.http.HttpServletRequest request, String name, String fallback) {
        String v = request.getHeader(name);
        return v == null ? fallback : v;
    }
}
