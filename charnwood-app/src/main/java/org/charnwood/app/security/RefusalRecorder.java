package org.charnwood.app.security;

import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Puts the refusals the security filter chain makes, before any page or API handler runs, on the audit trail: the
 * chain is configured here, the trail is kept by the audit module, which provides this.
 */
public interface RefusalRecorder {

    /** {@code then} answers the refusal once its record is committed. */
    AccessDeniedHandler recording(AccessDeniedHandler then);
}
