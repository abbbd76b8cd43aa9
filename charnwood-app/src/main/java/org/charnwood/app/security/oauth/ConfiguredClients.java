package org.charnwood.app.security.oauth;

import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Registers the clients declared in settings at every start (settings win over earlier copies), and in demo
 * mode the demo backend client with its published secret. Demo clients are refused in the production profile
 * whatever the settings say. A declared client's secret must be as long as one registered through the admin API;
 * the demo backend's published secret is exempt, being public anyway.
 */
@Component
@Order(10)
class ConfiguredClients implements ApplicationRunner {

    static final String DEMO_BACKEND = "charnwood-demo-backend";

    private final ClientStore clients;
    private final RegistrationChanges changes;
    private final SecuritySettings settings;
    private final PasswordEncoder passwords;
    private final Environment environment;

    ConfiguredClients(ClientStore clients, RegistrationChanges changes, SecuritySettings settings,
                      PasswordEncoder passwords, Environment environment) {
        this.clients = clients;
        this.changes = changes;
        this.settings = settings;
        this.passwords = passwords;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (SecuritySettings.ClientSettings c : settings.clients()) {
            String kind = c.kind() == null ? ClientRegistration.PUBLIC : c.kind();
            if (ClientRegistration.SYMMETRIC.equals(kind)
                    && (c.secret() == null || c.secret().length() < ClientRegistration.MIN_SECRET_LENGTH)) {
                // The same rule as for clients registered through the admin API; an environment variable left
                // unset behind ${...:} would otherwise register a client whose secret is empty.
                throw new IllegalStateException("charnwood.security.clients: client " + c.clientId()
                        + " is confidential-symmetric and needs a secret of at least "
                        + ClientRegistration.MIN_SECRET_LENGTH + " characters");
            }
            try {
                ClientRegistration registration = new ClientRegistration(c.clientId(), c.name(), kind,
                        c.secret() == null ? null : passwords.encode(c.secret()), c.jwks(), c.jwksUri(),
                        c.redirectUris(), c.scopes(), c.grantTypes(), c.consent());
                List<String> problems = registration.credentialProblems(c.secret() != null && !c.secret().isEmpty());
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException("client " + c.clientId() + ": " + String.join("; ", problems));
                }
                // Settings changed since the last start end the grants the client is no longer registered for.
                changes.replace(registration, "configuration");
            } catch (IllegalArgumentException e) {
                // Start-up stops here: a client the settings describe wrongly must be corrected, not skipped.
                throw new IllegalStateException("charnwood.security.clients: " + e.getMessage(), e);
            }
        }
        if (DemoMode.active(environment, settings)) {
            String secret = settings.demo().backendClientSecret();
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("charnwood.security.demo.backend-client-secret is required in demo mode");
            }
            changes.replace(new ClientRegistration(DEMO_BACKEND, "Demo backend service", ClientRegistration.SYMMETRIC,
                    passwords.encode(secret), null, null, List.of(), List.of("system/*.cruds"),
                    List.of("client_credentials"), null), "demo");
        } else {
            clients.delete(DEMO_BACKEND);
        }
    }
}
