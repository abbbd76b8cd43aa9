package org.charnwood.app.security.oauth;

import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.core.env.Environment;

/** Demo accounts and the demo client exist only with the demo profile, never alongside production. */
public final class DemoMode {

    private DemoMode() {
    }

    public static boolean active(Environment environment, SecuritySettings settings) {
        return settings.demo().enabled() && environment.matchesProfiles("demo")
                && !environment.matchesProfiles("production");
    }
}
