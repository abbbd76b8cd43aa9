package org.charnwood.app.security.oauth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * At every start, once the clients in settings are stored again ({@link ConfiguredClients}, which stops the
 * start over a wrong one), checks every stored registration against the rules registration applies now: one
 * stored before a rule existed, or put in the table some other way, would otherwise keep being served. A failing
 * one is disabled, not deleted, so an administrator can see what it was and register it again corrected; the
 * log names the client and what is wrong, never its secret or keys. Its grants are ended with it. One that passes again is enabled.
 */
@Component
@Order(20)
class StoredClientChecks implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StoredClientChecks.class);

    private final ClientStore clients;
    private final RegistrationChanges changes;

    StoredClientChecks(ClientStore clients, RegistrationChanges changes) {
        this.clients = clients;
        this.changes = changes;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Map.Entry<String, List<String>> client : clients.problemsOfStored().entrySet()) {
            String clientId = client.getKey();
            if (client.getValue().isEmpty()) {
                if (clients.enable(clientId)) {
                    log.info("Client {} now passes the registration rules and is enabled again", clientId);
                }
                continue;
            }
            String reason = String.join("; ", client.getValue());
            // Its grants end with it: tokens given under rules it breaks must not go on working.
            changes.disable(clientId, reason);
            log.warn("Client {} is disabled: its stored registration breaks the registration rules: {}. Register it "
                    + "again, corrected, through /api/admin/clients or settings, or remove it", clientId, reason);
        }
    }
}
