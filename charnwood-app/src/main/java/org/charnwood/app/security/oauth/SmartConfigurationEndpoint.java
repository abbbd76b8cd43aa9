package org.charnwood.app.security.oauth;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SMART App Launch v2 discovery: {@code /fhir/.well-known/smart-configuration}. */
@RestController
class SmartConfigurationEndpoint {

    /**
     * The scopes apps may ask for. No {@code launch/encounter}: a standalone launch offers no way to choose an
     * encounter (an EHR launch carries the encounter the staff page had open, through {@code launch}).
     */
    static final List<String> SCOPES_SUPPORTED = List.of("openid", "fhirUser", "profile", "launch",
            "launch/patient", "offline_access", "online_access", "patient/*.cruds", "user/*.cruds",
            "system/*.cruds", "patient/*.rs", "user/*.rs", "system/*.rs");

    private final AuthorizationServerSettings server;

    SmartConfigurationEndpoint(AuthorizationServerSettings server) {
        this.server = server;
    }

    @GetMapping(value = "/fhir/.well-known/smart-configuration", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> smartConfiguration() {
        String issuer = server.getIssuer() != null ? server.getIssuer()
                : ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("issuer", issuer);
        c.put("jwks_uri", issuer + server.getJwkSetEndpoint());
        c.put("authorization_endpoint", issuer + server.getAuthorizationEndpoint());
        c.put("token_endpoint", issuer + server.getTokenEndpoint());
        c.put("introspection_endpoint", issuer + server.getTokenIntrospectionEndpoint());
        c.put("revocation_endpoint", issuer + server.getTokenRevocationEndpoint());
        c.put("userinfo_endpoint", issuer + server.getOidcUserInfoEndpoint());
        // Where a patient or carer sees the apps they allowed and stops them (SMART's RECOMMENDED management_endpoint).
        c.put("management_endpoint", issuer + AllowedAppsPages.PATH);
        c.put("grant_types_supported", ClientRegistration.SUPPORTED_GRANTS);
        c.put("token_endpoint_auth_methods_supported", DiscoveryDocuments.TOKEN_ENDPOINT_AUTH_METHODS);
        c.put("token_endpoint_auth_signing_alg_values_supported", DiscoveryDocuments.CLIENT_ASSERTION_ALGORITHMS);
        c.put("scopes_supported", SCOPES_SUPPORTED);
        c.put("response_types_supported", List.of("code"));
        c.put("code_challenge_methods_supported", List.of("S256"));
        c.put("capabilities", List.of("launch-ehr", "launch-standalone", "client-public",
                "client-confidential-symmetric", "client-confidential-asymmetric", "context-ehr-patient",
                "context-ehr-encounter", "context-standalone-patient", "permission-offline", "permission-online",
                "permission-patient", "permission-user", "permission-v1", "permission-v2", "sso-openid-connect",
                "authorize-post"));
        return ResponseEntity.ok().header("Cache-Control", "public, max-age=3600").body(c);
    }
}
