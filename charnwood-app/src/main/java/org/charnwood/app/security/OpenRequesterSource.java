package org.charnwood.app.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;

/**
 * The caller as seen while no authentication is configured: a backend system with full access. It stands in
 * only until authentication is built; it is then removed.
 */
@Component
class OpenRequesterSource implements RequesterSource {

    @Override
    public Requester current(HttpServletRequest request) {
        return new Requester(Requester.Kind.SYSTEM, "open-access", null, Set.of(), null, null,
                List.of("system/*.cruds"), null, null, request.getRemoteAddr(), null);
    }
}
