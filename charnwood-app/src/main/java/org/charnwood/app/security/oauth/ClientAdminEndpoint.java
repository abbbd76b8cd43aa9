package org.charnwood.app.security.oauth;

import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * {@code /api/admin/clients}: system administrators register, list and remove client applications. Secrets
 * are accepted once and stored only as Argon2id hashes; they are never shown again.
 */
@RestController
@RequestMapping("/api/admin/clients")
class ClientAdminEndpoint {

    /** A registration as posted: the stored form plus the plain secret of a symmetric client. */
    record ClientRequest(String name, String kind, String secret, String jwks, String jwksUri,
                         List<String> redirectUris, List<String> scopes, List<String> grantTypes,
                         String consent) {
    }

    private final ClientStore clients;
    private final PasswordEncoder passwords;
    private final RevocationAwareAuthorizations authorizations;
    private final RegistrationChanges changes;
    private final TransactionTemplate tx;

    ClientAdminEndpoint(ClientStore clients, PasswordEncoder passwords, RevocationAwareAuthorizations authorizations,
                        RegistrationChanges changes, TransactionTemplate tx) {
        this.clients = clients;
        this.passwords = passwords;
        this.authorizations = authorizations;
        this.changes = changes;
        this.tx = tx;
    }

    @GetMapping
    List<ClientRegistration> list() {
        return clients.all().stream().map(ClientRegistration::withoutSecret).toList();
    }

    @GetMapping("/{clientId}")
    ResponseEntity<ClientRegistration> read(@PathVariable String clientId) {
        ClientRegistration c = clients.find(clientId);
        return c == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(c.withoutSecret());
    }

    /**
     * Registers the client, or replaces its registration; the grants the new one would not give (scopes it does not
     * cover, a grant type or redirect URI it no longer has, another way of authenticating) end with the change.
     */
    @PutMapping("/{clientId}")
    ResponseEntity<?> register(@PathVariable String clientId, @RequestBody ClientRequest body) {
        ClientRegistration registration;
        try {
            if (body.name() == null || body.name().isBlank()) {
                throw new IllegalArgumentException("name is required: the app's name as people will see it");
            }
            if (ClientRegistration.SYMMETRIC.equals(body.kind()) && (body.secret() == null
                    || body.secret().length() < ClientRegistration.MIN_SECRET_LENGTH)) {
                throw new IllegalArgumentException("a confidential-symmetric client needs a secret of at least "
                        + ClientRegistration.MIN_SECRET_LENGTH + " characters");
            }
            registration = new ClientRegistration(clientId, body.name(), body.kind(),
                    body.secret() == null ? null : passwords.encode(body.secret()), body.jwks(), body.jwksUri(),
                    body.redirectUris(), body.scopes(), body.grantTypes(), body.consent());
            List<String> problems = registration.credentialProblems(body.secret() != null);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("client " + clientId + ": " + String.join("; ", problems));
            }
            changes.replace(registration, "admin");
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        return ResponseEntity.ok(registration.withoutSecret());
    }

    /**
     * Removes the registration and, with it, every grant the client holds: its refresh tokens stop working and its
     * access tokens are revoked at once, rather than working on at {@code /fhir} until they expire.
     */
    @DeleteMapping("/{clientId}")
    ResponseEntity<Void> remove(@PathVariable String clientId) {
        boolean removed = Boolean.TRUE.equals(tx.execute(status -> {
            if (!clients.delete(clientId)) {
                return false;
            }
            authorizations.endAllOf(clientId);
            return true;
        }));
        return removed ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }
}
