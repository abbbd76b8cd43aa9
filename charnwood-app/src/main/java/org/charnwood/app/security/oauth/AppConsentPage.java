package org.charnwood.app.security.oauth;

import org.charnwood.app.security.Requester;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.charnwood.app.security.policy.ProxyConsents;
import org.charnwood.app.security.policy.RecordEntryNames;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The question a patient or carer is asked before an app may use their record: which app, what it will be able
 * to see or do (in words, from the scopes it asked for), for how long and how to stop it. The authorisation
 * server sends people here ({@code consentPage}); the answer is posted back to {@code /oauth2/authorize}.
 */
@Controller
class AppConsentPage {

    static final String PATH = "/oauth2/consent";

    private final ClientStore clients;
    private final SecuritySettings settings;
    private final ProxyConsents consents;

    AppConsentPage(ClientStore clients, SecuritySettings settings, ProxyConsents consents) {
        this.clients = clients;
        this.settings = settings;
        this.consents = consents;
    }

    @GetMapping(PATH)
    String ask(@RequestParam("client_id") String clientId, @RequestParam(defaultValue = "") String scope,
               @RequestParam String state, Authentication authentication, Model model) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null || state.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        boolean carer = authentication != null && authentication.getPrincipal() instanceof SignedInPerson person
                && person.kind() == Requester.Kind.CARER;
        List<String> scopes = Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank()).toList();
        model.addAttribute("appName", client.getClientName());
        model.addAttribute("clientId", clientId);
        model.addAttribute("state", state);
        model.addAttribute("scopes", scopes);
        model.addAttribute("carer", carer);
        model.addAttribute("abilities", abilities(scopes, carer,
                carer ? sharedWith((SignedInPerson) authentication.getPrincipal(), consents) : null));
        boolean staysSignedIn = (scopes.contains("offline_access") || scopes.contains("online_access"))
                && client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                && !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE);
        model.addAttribute("staysSignedIn", staysSignedIn);
        model.addAttribute("lasts", inWords(staysSignedIn ? settings.refreshTokenLifetime()
                : settings.accessTokenLifetime()));
        return "patient/app-consent";
    }

    /**
     * The types of record entry a carer's app could see: those the person they care for shared with them, in the
     * proxy consents that name them (the one person they chose for this sign-in, or everyone they care for);
     * null when what was shared is the whole record, empty when nothing is shared now. An app a carer allows
     * sees no more than the carer may, whatever it asked for.
     */
    static Set<String> sharedWith(SignedInPerson carer, ProxyConsents consents) {
        String fhirUser = carer.fhirUser();
        if (fhirUser == null || !fhirUser.startsWith("RelatedPerson/")) {
            return Set.of();
        }
        Map<String, Set<String>> permitted = consents.permittedFor(fhirUser.substring("RelatedPerson/".length()));
        Set<String> shared = new java.util.TreeSet<>();
        for (Map.Entry<String, Set<String>> consent : permitted.entrySet()) {
            if (carer.patientId() != null && !carer.patientId().equals(consent.getKey())) {
                continue;
            }
            if (consent.getValue().isEmpty()) {
                return null; // the whole record
            }
            shared.addAll(consent.getValue());
        }
        if (!shared.isEmpty()) {
            shared.add("Patient"); // who they are comes with any proxy access
        }
        return shared;
    }

    /** "see your medicines", "see and change your allergies"... one line per thing, in the order asked. */
    static List<String> abilities(List<String> scopes, boolean carer) {
        return abilities(scopes, carer, null);
    }

    /**
     * As {@link #abilities(List, boolean)}, for a carer limited to the types shared with them (null: all of
     * them): what the app asked for beyond those is left out, since it will not see it, and "everything" is
     * spelt out as the types shared.
     */
    static List<String> abilities(List<String> scopes, boolean carer, Set<String> shared) {
        Set<String> lines = new LinkedHashSet<>();
        if (scopes.contains("openid") || scopes.contains("fhirUser") || scopes.contains("profile")) {
            lines.add(carer ? "know who you are and who you care for" : "know who you are");
        }
        boolean limited = carer && shared != null;
        for (String text : scopes) {
            SmartScope s = SmartScope.parse(text);
            if (s == null) {
                continue;
            }
            boolean reads = s.permissions().matches(".*[rs].*");
            boolean writes = s.permissions().matches(".*[cud].*");
            String verb = reads && writes ? "see and change " : writes ? "add to and change " : "see ";
            if (limited && "*".equals(s.resource())) {
                List<String> things = shared.stream().filter(RecordEntryNames::named).map(t -> thing(t, carer))
                        .distinct().toList();
                lines.add(things.isEmpty() ? "see nothing of their health record: they have not shared any of it"
                        + " with you" : verb + "only what they have shared with you: " + String.join("; ", things));
                continue;
            }
            if (limited && !shared.contains(s.resource())) {
                continue; // not shared with the carer, so not seen by their app either
            }
            String thing = "*".equals(s.resource()) && carer
                    ? "everything in their health record that they have shared with you" : thing(s.resource(), carer);
            if (s.query() != null) {
                thing = "some of " + thing;
            }
            lines.add(verb + thing);
        }
        return new ArrayList<>(lines);
    }

    private static String thing(String type, boolean carer) {
        return RecordEntryNames.thing(type, carer);
    }

    static String inWords(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        long minutes = Math.max(1, d.toMinutes());
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
