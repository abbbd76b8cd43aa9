package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.charnwood.app.security.policy.ProxyConsents;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code /my/apps}: the apps a signed-in patient or carer has allowed to use the record, what each can see or do,
 * since when, and a button to stop each one. The consent question points here ("If you change your mind"), so
 * withdrawing is as easy as allowing. Stopping ends the app's access at once ({@link AllowedApps#stop}).
 */
@Controller
class AllowedAppsPages {

    static final String PATH = "/my/apps";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final ZoneId UK = ZoneId.of("Europe/London");

    private final AllowedApps apps;
    private final RequesterSource requesters;
    private final ClientStore clients;
    private final ProxyConsents consents;

    AllowedAppsPages(AllowedApps apps, RequesterSource requesters, ClientStore clients, ProxyConsents consents) {
        this.apps = apps;
        this.requesters = requesters;
        this.clients = clients;
        this.consents = consents;
    }

    /** An allowed app as the page shows it: its name, the day it was allowed, and what it can do in words. */
    record Row(String clientId, String name, String allowedOn, String allowedAt, List<String> abilities) {
    }

    @GetMapping(PATH)
    String list(@RequestParam(required = false) String stopped, Authentication authentication,
                HttpServletResponse response, Model model) {
        SignedInPerson person = (SignedInPerson) authentication.getPrincipal();
        boolean carer = person.kind() == Requester.Kind.CARER;
        List<AllowedApps.AllowedApp> allowed = apps.of(person.accountId());
        // What a carer's app sees is what is shared with the carer now, whatever it was allowed to ask for.
        java.util.Set<String> shared = carer ? AppConsentPage.sharedWith(person, consents) : null;
        model.addAttribute("carer", carer);
        // A carer whose access was withdrawn is told so, rather than left wondering why their apps see nothing.
        model.addAttribute("accessEnded", carer && shared != null && shared.isEmpty());
        model.addAttribute("apps", allowed.stream().map(a -> new Row(a.clientId(), a.name(),
                DAY.format(a.allowedAt().atZone(UK)), a.allowedAt().toString(),
                AppConsentPage.abilities(a.scopes(), carer, shared))).toList());
        // The app is named from its registration, never from the address, so a link cannot put words on the page.
        ClientRegistration app = stopped == null ? null : clients.find(stopped);
        model.addAttribute("stopped", app == null ? null : app.name() == null ? app.clientId() : app.name());
        response.setHeader("Cache-Control", "no-store");
        return "patient/allowed-apps";
    }

    @PostMapping(PATH + "/stop")
    String stop(@RequestParam("client_id") String clientId, Authentication authentication, HttpServletRequest request) {
        SignedInPerson person = (SignedInPerson) authentication.getPrincipal();
        boolean stopped = apps.stop(clientId, requesters.current(request), person.patientId());
        return "redirect:" + (stopped
                ? UriComponentsBuilder.fromPath(PATH).queryParam("stopped", clientId).encode().build().toUriString()
                : PATH);
    }
}
