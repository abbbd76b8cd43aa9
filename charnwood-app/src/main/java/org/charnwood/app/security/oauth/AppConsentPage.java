package org.charnwood.app.security.oauth;

import org.charnwood.app.security.Requester;
import org.charnwood.app.security.accounts.SignedInPerson;
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

    /** What each kind of record entry is called in plain words (as a patient would say it). */
    private static final Map<String, String> THINGS = Map.ofEntries(
            Map.entry("*", "everything in %s health record"),
            Map.entry("Patient", "%s name, date of birth, address and contact details"),
            Map.entry("Observation", "%s test results and observations, such as blood pressure"),
            Map.entry("DiagnosticReport", "%s test results"),
            Map.entry("Condition", "%s health conditions"),
            Map.entry("AllergyIntolerance", "%s allergies"),
            Map.entry("Immunization", "%s vaccinations"),
            Map.entry("MedicationRequest", "%s medicines"),
            Map.entry("MedicationStatement", "%s medicines"),
            Map.entry("MedicationAdministration", "%s medicines"),
            Map.entry("MedicationDispense", "%s medicines"),
            Map.entry("Medication", "%s medicines"),
            Map.entry("Encounter", "%s appointments and visits"),
            Map.entry("Appointment", "%s appointments and visits"),
            Map.entry("Procedure", "treatments and operations %s had"),
            Map.entry("CarePlan", "%s care plans"),
            Map.entry("DocumentReference", "letters and documents in %s record"),
            Map.entry("QuestionnaireResponse", "forms and questionnaires %s filled in"));

    private final ClientStore clients;
    private final SecuritySettings settings;

    AppConsentPage(ClientStore clients, SecuritySettings settings) {
        this.clients = clients;
        this.settings = settings;
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
        model.addAttribute("abilities", abilities(scopes, carer));
        boolean staysSignedIn = (scopes.contains("offline_access") || scopes.contains("online_access"))
                && client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                && !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE);
        model.addAttribute("staysSignedIn", staysSignedIn);
        model.addAttribute("lasts", inWords(staysSignedIn ? settings.refreshTokenLifetime()
                : settings.accessTokenLifetime()));
        return "patient/app-consent";
    }

    /** "see your medicines", "see and change your allergies"... one line per thing, in the order asked. */
    static List<String> abilities(List<String> scopes, boolean carer) {
        String whose = carer ? "their" : "your";
        Set<String> lines = new LinkedHashSet<>();
        if (scopes.contains("openid") || scopes.contains("fhirUser") || scopes.contains("profile")) {
            lines.add(carer ? "know who you are and who you care for" : "know who you are");
        }
        for (String text : scopes) {
            SmartScope s = SmartScope.parse(text);
            if (s == null) {
                continue;
            }
            String thing = THINGS.getOrDefault(s.resource(), "other information in %s record (" + s.resource() + ")")
                    .formatted(s.resource().equals("Procedure") || s.resource().equals("QuestionnaireResponse")
                            ? (carer ? "they have" : "you have") : whose);
            if (s.query() != null) {
                thing = "some of " + thing;
            }
            boolean reads = s.permissions().matches(".*[rs].*");
            boolean writes = s.permissions().matches(".*[cud].*");
            lines.add(reads && writes ? "see and change " + thing : writes ? "add to and change " + thing : "see " + thing);
        }
        return new ArrayList<>(lines);
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
