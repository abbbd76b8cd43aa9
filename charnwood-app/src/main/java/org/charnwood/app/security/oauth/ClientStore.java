package org.charnwood.app.security.oauth;

import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registered clients, kept in PostgreSQL ({@code auth.client}) and turned into the authorisation server's
 * {@link RegisteredClient}s on demand. Clients come from settings (re-applied at every start) and from the
 * admin API.
 */
@Component
public class ClientStore implements RegisteredClientRepository {

    /** Client setting holding the inline JWKS that verifies the client's {@code private_key_jwt} assertions. */
    static final String JWKS_SETTING = "charnwood.jwks";
    /**
     * The key, beside the registration's own in its stored JSON, saying why start-up disabled it. It is kept apart
     * from {@link ClientRegistration} so that every way of storing a registration again clears it.
     */
    static final String DISABLED = "disabledBecause";
    private static final Logger log = LoggerFactory.getLogger(ClientStore.class);

    private final JdbcTemplate jdbc;
    private final SecuritySettings settings;
    private final JsonMapper json = JsonMapper.builder().build();
    private final KeySetAddressRules addresses;

    public ClientStore(JdbcTemplate jdbc, SecuritySettings settings, KeySetAddressRules addresses) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.addresses = addresses;
    }

    /**
     * Stores a registration from settings or the admin API. Storing it again, corrected, is what enables a
     * registration {@linkplain #disable disabled} at start-up.
     *
     * @throws IllegalArgumentException saying what is wrong, when the registration may not be stored
     */
    public void save(ClientRegistration client, String source) {
        client.requireRegistrable(addresses);
        jdbc.update("""
                insert into auth.client (client_id, source, registration) values (?, ?, ?::jsonb)
                on conflict (client_id) do update set source = excluded.source,
                  registration = excluded.registration, updated_at = now()""",
                client.clientId(), source, json.writeValueAsString(client));
    }

    /** The stored registration, disabled or not: what the admin API shows and apps' names are taken from. */
    public ClientRegistration find(String clientId) {
        List<String> rows = jdbc.queryForList("select registration::text from auth.client where client_id = ?",
                String.class, clientId);
        return rows.isEmpty() ? null : read(rows.get(0));
    }

    /**
     * The stored registration, held (the row locked) until the transaction ends, so that it is replaced by one
     * change at a time; null when there is none, or it cannot be read.
     */
    ClientRegistration findForUpdate(String clientId) {
        List<String> rows = jdbc.queryForList(
                "select registration::text from auth.client where client_id = ? for update", String.class, clientId);
        return rows.isEmpty() ? null : readOrSkip(rows.get(0));
    }

    /**
     * The registration the authorisation server may act on: none for a client disabled at start-up, nor for one
     * that fails the registration rules now (stored after the start-up check, by other means than this class).
     */
    private ClientRegistration usable(String clientId) {
        List<String> rows = jdbc.queryForList("select registration::text from auth.client where client_id = ?",
                String.class, clientId);
        if (rows.isEmpty() || json.readTree(rows.get(0)).has(DISABLED)) {
            return null;
        }
        try {
            ClientRegistration client = read(rows.get(0));
            return client == null || !RegistrationRules.problems(client, addresses).isEmpty() ? null : client;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * What is wrong with each stored registration by the rules registration applies now, by client id; an empty
     * list for one that passes. A registration that cannot be read at all is wrong too.
     */
    public Map<String, List<String>> problemsOfStored() {
        Map<String, List<String>> problems = new TreeMap<>();
        jdbc.query("select client_id, registration::text from auth.client", rs -> {
            ClientRegistration client;
            try {
                client = read(rs.getString(2));
            } catch (RuntimeException e) {
                problems.put(rs.getString(1), List.of("the stored registration cannot be read: " + innermost(e)));
                return;
            }
            problems.put(rs.getString(1), client == null ? List.of("none of its grant types is served")
                    : RegistrationRules.problems(client, addresses));
        });
        return problems;
    }

    /** Keeps the registration but stops the authorisation server acting on it, saying why for an administrator. */
    public void disable(String clientId, String reason) {
        jdbc.update("update auth.client set registration = registration || jsonb_build_object(?::text, ?::text), "
                + "updated_at = now() where client_id = ?", DISABLED, reason, clientId);
    }

    /**
     * Enables a registration disabled before that passes the rules now (a setting was changed, say).
     *
     * @return whether it was disabled
     */
    public boolean enable(String clientId) {
        return jdbc.update("update auth.client set registration = registration - ?::text, updated_at = now() "
                + "where client_id = ? and jsonb_exists(registration, ?)", DISABLED, clientId, DISABLED) > 0;
    }

    /** Why the registration is disabled, or null when it is not. */
    public String disabledBecause(String clientId) {
        List<String> rows = jdbc.queryForList("select registration->>? from auth.client where client_id = ?",
                String.class, DISABLED, clientId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The message of the exception's deepest cause: the registration's own complaint, not the JSON reader's. */
    private static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public List<ClientRegistration> all() {
        return jdbc.queryForList("select registration::text from auth.client order by client_id", String.class)
                .stream().map(this::readOrSkip).filter(java.util.Objects::nonNull).toList();
    }

    /** One that cannot be read is left out of lists; start-up has disabled it and logged why. */
    private ClientRegistration readOrSkip(String stored) {
        try {
            return read(stored);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * A stored registration, without any grant type the token endpoint no longer serves: one saved before those
     * were refused at registration must not fail every request of its client, nor keep the grant. A client left
     * with none of its grants is treated as not registered (and logged, by its id, for an administrator).
     */
    private ClientRegistration read(String stored) {
        JsonNode tree = json.readTree(stored);
        if (tree instanceof ObjectNode registration) {
            registration.remove(DISABLED);
        }
        if (tree instanceof ObjectNode registration && registration.get("grantTypes") instanceof ArrayNode grants) {
            ArrayNode kept = registration.putArray("grantTypes");
            grants.forEach(g -> {
                if (ClientRegistration.SUPPORTED_GRANTS.contains(g.asString())) {
                    kept.add(g);
                }
            });
            if (kept.size() < grants.size()) {
                log.warn("Client {} was registered for grant types no longer served; they are ignored",
                        registration.path("clientId").asString());
                if (kept.isEmpty()) {
                    return null;
                }
            }
        }
        return json.treeToValue(tree, ClientRegistration.class);
    }

    /**
     * Removes a registration and what people allowed the app: a client registered again under the same id may be
     * another app, and must ask them again.
     */
    public boolean delete(String clientId) {
        jdbc.update("delete from auth.authorization_consent where registered_client = ?", clientId);
        return jdbc.update("delete from auth.client where client_id = ?", clientId) > 0;
    }

    /**
     * Clients are registered through settings or the admin API; the authorisation server saves one only to
     * store a client secret hashed again after it was verified against a hash with older Argon2 parameters, and
     * that new hash is all that is taken.
     */
    @Override
    public void save(RegisteredClient registeredClient) {
        if (registeredClient.getClientSecret() == null) {
            return;
        }
        jdbc.update("""
                update auth.client set registration = jsonb_set(registration, '{secretHash}', to_jsonb(?::text)),
                  updated_at = now()
                where client_id = ? and registration->>'kind' = ?""",
                registeredClient.getClientSecret(), registeredClient.getClientId(), ClientRegistration.SYMMETRIC);
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        ClientRegistration client = usable(clientId);
        return client == null ? null : toRegisteredClient(client);
    }

    private RegisteredClient toRegisteredClient(ClientRegistration c) {
        RegisteredClient.Builder b = RegisteredClient.withId(c.clientId()).clientId(c.clientId())
                .clientName(c.name() == null ? c.clientId() : c.name());
        switch (c.kind()) {
            case ClientRegistration.PUBLIC -> b.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
            case ClientRegistration.ASYMMETRIC -> b.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
            default -> b.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .clientSecret(c.secretHash());
        }
        c.grantTypes().forEach(g -> b.authorizationGrantType(new AuthorizationGrantType(g)));
        c.redirectUris().forEach(b::redirectUri);
        c.scopes().forEach(b::scope);
        ClientSettings.Builder cs = ClientSettings.builder().requireProofKey(true)
                .requireAuthorizationConsent(c.consentRequired());
        if (c.jwksUri() != null) {
            cs.jwkSetUrl(c.jwksUri());
        }
        if (c.jwks() != null) {
            cs.setting(JWKS_SETTING, c.jwks());
        }
        b.clientSettings(cs.build());
        b.tokenSettings(TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(settings.accessTokenLifetime())
                .refreshTokenTimeToLive(settings.refreshTokenLifetime())
                .authorizationCodeTimeToLive(java.time.Duration.ofMinutes(2))
                .reuseRefreshTokens(false)
                .build());
        return b.build();
    }
}
