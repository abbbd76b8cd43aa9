package org.charnwood.app.security.oauth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The authorisation server's grants in PostgreSQL ({@code auth.authorization}), so that authorisation codes and
 * refresh tokens outlive a restart and are shared by every instance. Token values are never written: each is
 * replaced by its SHA-256 hash before the grant is stored, and looked up by hash; the value presented is put
 * back into the grant read, because the authorisation server matches tokens by value.
 *
 * <p>The grant itself (principal, authorisation request, scopes, token metadata) is stored with Java
 * serialisation, the form the authorisation server's classes are built for, and read back only through a filter
 * that admits JDK, Spring and Charnwood classes. A grant written by an incompatible version of those classes
 * reads as absent: the app signs in again.
 */
class StoredAuthorizations implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(StoredAuthorizations.class);
    private static final ObjectInputFilter ONLY_KNOWN_CLASSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=40;maxrefs=10000;java.**;org.springframework.**;org.charnwood.**;com.nimbusds.**;!*");

    private final JdbcTemplate jdbc;
    private final Clock clock;

    StoredAuthorizations(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        Objects.requireNonNull(authorization, "authorization");
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        byte[] content = serialise(withHashedTokens(authorization));
        retireReplacedRefreshToken(authorization);
        jdbc.update("""
                insert into auth.authorization (id, registered_client, principal, state_hash, code_hash, access_hash,
                    refresh_hash, id_token_hash, expires_at, content)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (id) do update set state_hash = excluded.state_hash, code_hash = excluded.code_hash,
                    access_hash = excluded.access_hash, refresh_hash = excluded.refresh_hash,
                    id_token_hash = excluded.id_token_hash, expires_at = excluded.expires_at, content = excluded.content""",
                authorization.getId(), authorization.getRegisteredClientId(), authorization.getPrincipalName(),
                TokenHash.ofHeld(state), hashOf(authorization.getToken(OAuth2AuthorizationCode.class)),
                hashOf(authorization.getAccessToken()), hashOf(authorization.getRefreshToken()),
                hashOf(authorization.getToken(OidcIdToken.class)),
                Timestamp.from(expiresAt(authorization)), content);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        jdbc.update("delete from auth.authorization where id = ?", authorization.getId());
        jdbc.update("delete from auth.retired_refresh_token where authorization_id = ?", authorization.getId());
    }

    /**
     * When a refresh replaces the grant's refresh token (rotation), the old one's hash is kept with the grant's id,
     * until the grant would have expired, so that a copy of it presented later is recognised ({@link #retiredBy}).
     */
    private void retireReplacedRefreshToken(OAuth2Authorization authorization) {
        String now = hashOf(authorization.getRefreshToken());
        List<String> before = jdbc.queryForList("select refresh_hash from auth.authorization where id = ?",
                String.class, authorization.getId());
        if (!before.isEmpty() && before.getFirst() != null && !before.getFirst().equals(now)) {
            jdbc.update("""
                    insert into auth.retired_refresh_token (token_hash, authorization_id, expires_at) values (?, ?, ?)
                    on conflict (token_hash) do nothing""", before.getFirst(), authorization.getId(),
                    Timestamp.from(expiresAt(authorization)));
        }
    }

    /** The grant whose refresh token this was before rotation replaced it, if any. */
    OAuth2Authorization retiredBy(String refreshToken) {
        List<String> ids = jdbc.queryForList("select authorization_id from auth.retired_refresh_token where token_hash = ?",
                String.class, TokenHash.of(refreshToken));
        return ids.isEmpty() ? null : findById(ids.getFirst());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        List<byte[]> rows = jdbc.query("select content from auth.authorization where id = ?",
                (rs, n) -> rs.getBytes(1), id);
        return rows.isEmpty() ? null : deserialise(rows.getFirst());
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        String hash = TokenHash.of(token);
        String column = tokenType == null ? null : switch (tokenType.getValue()) {
            case OAuth2ParameterNames.STATE -> "state_hash";
            case OAuth2ParameterNames.CODE -> "code_hash";
            case OAuth2ParameterNames.ACCESS_TOKEN -> "access_hash";
            case OAuth2ParameterNames.REFRESH_TOKEN -> "refresh_hash";
            case OidcParameterNames.ID_TOKEN -> "id_token_hash";
            default -> "";
        };
        if ("".equals(column)) {
            return null;
        }
        String where = column == null
                ? "state_hash = ? or code_hash = ? or access_hash = ? or refresh_hash = ? or id_token_hash = ?"
                : column + " = ?";
        Object[] args = column == null ? new Object[]{hash, hash, hash, hash, hash} : new Object[]{hash};
        List<byte[]> rows = jdbc.query("select content from auth.authorization where " + where + " limit 1",
                (rs, n) -> rs.getBytes(1), args);
        if (rows.isEmpty()) {
            return null;
        }
        OAuth2Authorization stored = deserialise(rows.getFirst());
        return stored == null ? null : withValueRestored(stored, hash, token);
    }

    /** Deletes grants none of whose tokens can be used any more. */
    int removeExpired() {
        jdbc.update("delete from auth.retired_refresh_token where expires_at < ?", Timestamp.from(clock.instant()));
        return jdbc.update("delete from auth.authorization where expires_at < ?", Timestamp.from(clock.instant()));
    }

    /** The last moment any token of the grant can be used; a grant still being authorised keeps ten minutes. */
    private Instant expiresAt(OAuth2Authorization authorization) {
        Instant latest = clock.instant().plusSeconds(600);
        for (OAuth2Authorization.Token<?> token : tokens(authorization)) {
            Instant expiry = token.getToken().getExpiresAt();
            if (expiry != null && expiry.isAfter(latest)) {
                latest = expiry;
            }
        }
        return latest;
    }

    private static List<OAuth2Authorization.Token<? extends OAuth2Token>> tokens(OAuth2Authorization a) {
        return Stream.<OAuth2Authorization.Token<? extends OAuth2Token>>of(a.getToken(OAuth2AuthorizationCode.class),
                a.getAccessToken(), a.getRefreshToken(), a.getToken(OidcIdToken.class)).filter(Objects::nonNull).toList();
    }

    private static String hashOf(OAuth2Authorization.Token<? extends OAuth2Token> token) {
        return token == null ? null : TokenHash.ofHeld(token.getToken().getTokenValue());
    }

    private static OAuth2Authorization withHashedTokens(OAuth2Authorization authorization) {
        OAuth2Authorization.Builder copy = OAuth2Authorization.from(authorization);
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        if (state != null) {
            copy.attribute(OAuth2ParameterNames.STATE, TokenHash.placeholder(state));
        }
        for (OAuth2Authorization.Token<? extends OAuth2Token> token : tokens(authorization)) {
            OAuth2Token original = token.getToken();
            copy.token(withValue(original, TokenHash.placeholder(original.getTokenValue())),
                    metadata -> metadata.putAll(token.getMetadata()));
        }
        return copy.build();
    }

    /** Puts the presented value back in place of the hash of the token it matched. */
    private static OAuth2Authorization withValueRestored(OAuth2Authorization stored, String hash, String value) {
        OAuth2Authorization.Builder copy = OAuth2Authorization.from(stored);
        if (hash.equals(TokenHash.ofHeld(stored.getAttribute(OAuth2ParameterNames.STATE)))) {
            copy.attribute(OAuth2ParameterNames.STATE, value);
        }
        for (OAuth2Authorization.Token<? extends OAuth2Token> token : tokens(stored)) {
            if (hash.equals(TokenHash.ofHeld(token.getToken().getTokenValue()))) {
                copy.token(withValue(token.getToken(), value), metadata -> metadata.putAll(token.getMetadata()));
            }
        }
        return copy.build();
    }

    private static OAuth2Token withValue(OAuth2Token token, String value) {
        return switch (token) {
            case OAuth2AuthorizationCode c -> new OAuth2AuthorizationCode(value, c.getIssuedAt(), c.getExpiresAt());
            case OAuth2AccessToken a -> new OAuth2AccessToken(a.getTokenType(), value, a.getIssuedAt(), a.getExpiresAt(),
                    a.getScopes());
            case OAuth2RefreshToken r -> new OAuth2RefreshToken(value, r.getIssuedAt(), r.getExpiresAt());
            case OidcIdToken i -> new OidcIdToken(value, i.getIssuedAt(), i.getExpiresAt(), i.getClaims());
            default -> throw new IllegalArgumentException("unexpected token kind " + token.getClass().getName());
        };
    }

    private static byte[] serialise(OAuth2Authorization authorization) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(authorization);
        } catch (IOException e) {
            throw new UncheckedIOException("grant cannot be stored", e);
        }
        return bytes.toByteArray();
    }

    private static OAuth2Authorization deserialise(byte[] content) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(content))) {
            in.setObjectInputFilter(ONLY_KNOWN_CLASSES);
            return (OAuth2Authorization) in.readObject();
        } catch (InvalidClassException e) {
            // The class is what an operator needs; the message is left out, as every message about a grant's content is.
            log.warn("A stored grant was written by an incompatible version of {} and is ignored", e.classname);
            return null;
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("stored grant cannot be read", e);
        }
    }
}
