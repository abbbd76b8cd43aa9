package org.charnwood.app.security.accounts;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code GET /.well-known/federation-jwks.json}: the public keys this server signs its client assertions to
 * identity providers with, for registering with NHS login (or for a provider that fetches them). Public keys
 * only; distinct from {@code /oauth2/jwks}, the keys of the tokens this server issues.
 */
@RestController
@ConditionalOnProperty(prefix = "charnwood.security.federation[0]", name = "registration-id")
class RelyingPartyKeysEndpoint {

    private final RelyingPartyKeys keys;

    RelyingPartyKeysEndpoint(RelyingPartyKeys keys) {
        this.keys = keys;
    }

    @GetMapping(value = "/.well-known/federation-jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> publicKeys() {
        return ResponseEntity.ok(keys.publicKeys().toJSONObject(true));
    }
}
