package org.charnwood.app.security.oauth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Set;

/**
 * A client's registration replaced (admin API or settings) or disabled, and with it the grants the registration no
 * longer allows, in one transaction. A trust narrowing an app, taking away a redirect URI, changing how it
 * authenticates or disabling it does so because it no longer trusts the app as it was: its tokens must not go on
 * working until they expire, nor its refresh tokens make new ones. A grant is ended (refresh token and code gone,
 * access token revoked at once) when the new registration would not have given it: a scope it does not cover, a
 * grant type it is not registered for, a redirect URI no longer its own; every grant when it authenticates in
 * another way (the tokens went to whoever held the old credentials) or is disabled.
 */
@Component
class RegistrationChanges {

    private static final Logger log = LoggerFactory.getLogger(RegistrationChanges.class);

    private final ClientStore clients;
    private final RevocationAwareAuthorizations authorizations;
    private final TransactionTemplate tx;

    RegistrationChanges(ClientStore clients, RevocationAwareAuthorizations authorizations, TransactionTemplate tx) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.tx = tx;
    }

    /**
     * Stores the registration, ending the grants it no longer allows.
     *
     * @return how many grants were ended
     * @throws IllegalArgumentException saying what is wrong, when the registration may not be stored (nothing changes)
     */
    int replace(ClientRegistration registration, String source) {
        Integer ended = tx.execute(status -> {
            ClientRegistration before = clients.findForUpdate(registration.clientId());
            clients.save(registration, source);
            if (before == null) {
                return 0;
            }
            // A new secret or a key set rotated keeps the way of authenticating; another kind of client does not.
            boolean authenticatesOtherwise = !before.kind().equals(registration.kind());
            return authorizations.endThoseOf(registration.clientId(),
                    grant -> authenticatesOtherwise || !allows(registration, grant));
        });
        if (ended != null && ended > 0) {
            log.info("Client {} was registered again; {} grant(s) it no longer allows were ended",
                    registration.clientId(), ended);
        }
        return ended == null ? 0 : ended;
    }

    /** Disables the registration (saying why) and ends every grant the client holds. */
    void disable(String clientId, String reason) {
        tx.executeWithoutResult(status -> {
            clients.disable(clientId, reason);
            authorizations.endAllOf(clientId);
        });
    }

    /** Whether the registration would have given the grant as it stands: its grant type, scopes and redirect URI. */
    static boolean allows(ClientRegistration registration, OAuth2Authorization grant) {
        AuthorizationGrantType type = grant.getAuthorizationGrantType();
        if (type == null || !registration.grantTypes().contains(type.getValue())) {
            return false;
        }
        boolean userFacing = AuthorizationGrantType.AUTHORIZATION_CODE.equals(type);
        Set<String> scopes = grant.getAuthorizedScopes();
        if (!SmartScope.uncovered(scopes, registration.scopes(), userFacing).isEmpty()) {
            return false;
        }
        OAuth2AuthorizationRequest request = grant.getAttribute(OAuth2AuthorizationRequest.class.getName());
        return request == null || request.getRedirectUri() == null
                || registration.redirectUris().contains(request.getRedirectUri());
    }
}
