package org.charnwood.app.security;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The benchmark's baselines: the same application with authorisation and audit off
 * ({@code charnwood.bench.security-off=true}), or only one of them off ({@code charnwood.bench.policy-off=true}:
 * the access policy replaced by an unrestricted one, audit still on; {@code charnwood.bench.audit-off=true}: no
 * audit trail, the access policy still in force), so that their costs can be measured apart in one run against
 * the same build. Honoured only with the {@code bench} profile; set anywhere else, and above all together with
 * the {@code production} profile, the application refuses to start, so none can be switched on by accident.
 */
public final class BenchMode {

    public static final String PROPERTY = "charnwood.bench.security-off";
    public static final String POLICY_OFF = "charnwood.bench.policy-off";
    public static final String AUDIT_OFF = "charnwood.bench.audit-off";

    private BenchMode() {
    }

    /** Whether authorisation and audit are both off for a benchmark baseline; throws when set outside bench. */
    public static boolean securityOff(Environment environment) {
        return asked(environment, PROPERTY);
    }

    /** Whether the access policy is off (unrestricted) for a benchmark baseline; throws when set outside bench. */
    public static boolean policyOff(Environment environment) {
        return asked(environment, POLICY_OFF) | securityOff(environment);
    }

    /** Whether the audit trail is off for a benchmark baseline; throws when set outside bench. */
    public static boolean auditOff(Environment environment) {
        return asked(environment, AUDIT_OFF) | securityOff(environment);
    }

    private static boolean asked(Environment environment, String property) {
        if (!environment.getProperty(property, Boolean.class, false)) {
            return false;
        }
        if (environment.acceptsProfiles(Profiles.of("production")) || !environment.acceptsProfiles(Profiles.of("bench"))) {
            throw new IllegalStateException(property + " turns authorisation or audit off and is honoured only with "
                    + "the bench profile, never with production: refusing to start");
        }
        return true;
    }
}
