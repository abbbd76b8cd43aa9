package org.charnwood.app.security;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The benchmark's baseline: the same application with authorisation and audit off
 * ({@code charnwood.bench.security-off=true}), so that their cost can be measured in one run against the same
 * build. Honoured only with the {@code bench} profile; set anywhere else, and above all together with the
 * {@code production} profile, the application refuses to start, so it can never be switched on by accident.
 */
public final class BenchMode {

    public static final String PROPERTY = "charnwood.bench.security-off";

    private BenchMode() {
    }

    /** Whether authorisation and audit are off for a benchmark baseline; throws when set outside the bench profile. */
    public static boolean securityOff(Environment environment) {
        if (!environment.getProperty(PROPERTY, Boolean.class, false)) {
            return false;
        }
        if (environment.acceptsProfiles(Profiles.of("production")) || !environment.acceptsProfiles(Profiles.of("bench"))) {
            throw new IllegalStateException(PROPERTY + " turns authorisation and audit off and is honoured only with "
                    + "the bench profile, never with production: refusing to start");
        }
        return true;
    }
}
