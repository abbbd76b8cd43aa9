package org.charnwood.app.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchModeTests {

    private static MockEnvironment environment(String off, String... profiles) {
        MockEnvironment env = new MockEnvironment();
        if (off != null) {
            env.setProperty(BenchMode.PROPERTY, off);
        }
        env.setActiveProfiles(profiles);
        return env;
    }

    @Test
    void authorisationAndAuditAreOnUnlessTheBaselineIsAskedFor() {
        assertThat(BenchMode.securityOff(environment(null, "bench"))).isFalse();
        assertThat(BenchMode.securityOff(environment("false", "production"))).isFalse();
    }

    @Test
    void theBaselineIsHonouredWithTheBenchProfile() {
        assertThat(BenchMode.securityOff(environment("true", "bench"))).isTrue();
    }

    @Test
    void theBaselineRefusesToStartWithTheProductionProfile() {
        assertThatThrownBy(() -> BenchMode.securityOff(environment("true", "bench", "production")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never with production");
    }

    @Test
    void theBaselineRefusesToStartOutsideTheBenchProfile() {
        assertThatThrownBy(() -> BenchMode.securityOff(environment("true")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BenchMode.securityOff(environment("true", "demo")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eitherHalfCanBeSwitchedOffAloneWithTheBenchProfile() {
        MockEnvironment policy = environment(null, "bench");
        policy.setProperty(BenchMode.POLICY_OFF, "true");
        assertThat(BenchMode.policyOff(policy)).isTrue();
        assertThat(BenchMode.auditOff(policy)).isFalse();
        MockEnvironment audit = environment(null, "bench");
        audit.setProperty(BenchMode.AUDIT_OFF, "true");
        assertThat(BenchMode.auditOff(audit)).isTrue();
        assertThat(BenchMode.policyOff(audit)).isFalse();
        assertThat(BenchMode.policyOff(environment("true", "bench"))).isTrue();
        assertThat(BenchMode.auditOff(environment("true", "bench"))).isTrue();
    }

    @Test
    void eitherHalfRefusesToStartOutsideTheBenchProfile() {
        MockEnvironment policy = environment(null, "bench", "production");
        policy.setProperty(BenchMode.POLICY_OFF, "true");
        assertThatThrownBy(() -> BenchMode.policyOff(policy)).isInstanceOf(IllegalStateException.class);
        MockEnvironment audit = environment(null, "demo");
        audit.setProperty(BenchMode.AUDIT_OFF, "true");
        assertThatThrownBy(() -> BenchMode.auditOff(audit)).isInstanceOf(IllegalStateException.class);
    }
}
