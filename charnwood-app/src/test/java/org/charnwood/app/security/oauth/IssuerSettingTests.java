package org.charnwood.app.security.oauth;

import org.charnwood.app.security.web.SecuritySettings;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IssuerSettingTests {

    private static SecuritySettings issuer(String issuer) {
        return new SecuritySettings(issuer, null, false, null, null, null, null, null, null, null, null);
    }

    @Test
    void productionRefusesToStartWithoutThePublicUrl() {
        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("production");

        assertThatThrownBy(() -> new AuthorizationServerConfiguration().authorizationServerSettings(issuer(""), production))
                .hasMessageContaining("CHARNWOOD_ISSUER");
        assertThat(new AuthorizationServerConfiguration()
                .authorizationServerSettings(issuer("https://ehr.example.nhs.uk"), production).getIssuer())
                .isEqualTo("https://ehr.example.nhs.uk");
        MockEnvironment dev = new MockEnvironment();
        dev.setActiveProfiles("dev");
        assertThat(new AuthorizationServerConfiguration()
                .authorizationServerSettings(issuer(""), dev).getIssuer()).isNull();
        // Any profile but dev, demo and bench (a misspelt one, a trust's own) is held to production's rules.
        MockEnvironment misspelt = new MockEnvironment();
        misspelt.setActiveProfiles("prodution");
        assertThatThrownBy(() -> new AuthorizationServerConfiguration().authorizationServerSettings(issuer(""), misspelt))
                .hasMessageContaining("CHARNWOOD_ISSUER");
    }
}
