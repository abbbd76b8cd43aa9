package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code POST /api/launch}: a staff page mints a launch id for the patient (and encounter) it has open, then
 * opens the app's launch URL with {@code iss} and {@code launch}. Only staff may mint launches. A page that names
 * the app it opens ({@code client}) gets a launch id only that app can use, so another app the member of staff
 * signs in to cannot take the context with it.
 */
@RestController
class LaunchEndpoint {

    /** The context to launch with, and the app (client id) it is for; without one, any app may use it. */
    record LaunchRequest(String patient, String encounter, String client) {
    }

    private final LaunchContexts launches;
    private final RequesterSource requesters;
    private final ClientStore clients;
    private final LaunchTargets targets;

    LaunchEndpoint(LaunchContexts launches, RequesterSource requesters, ClientStore clients, LaunchTargets targets) {
        this.launches = launches;
        this.requesters = requesters;
        this.clients = clients;
        this.targets = targets;
    }

    @PostMapping("/api/launch")
    ResponseEntity<Map<String, String>> mint(@RequestBody LaunchRequest body, HttpServletRequest request) {
        // A refused launch is recorded against the patient it was for.
        RequestAimedAt.patient(request, body == null ? null : body.patient());
        Requester requester = requesters.current(request);
        if (requester.kind() != Requester.Kind.STAFF) {
            return ResponseEntity.status(403).body(Map.of("error", "only staff launch apps in a patient's context"));
        }
        if (body == null || body.patient() == null || !body.patient().matches("[A-Za-z0-9\\-.]{1,64}")
                || (body.encounter() != null && !body.encounter().matches("[A-Za-z0-9\\-.]{1,64}"))) {
            return ResponseEntity.badRequest().body(Map.of("error", "patient (and optional encounter) must be resource ids"));
        }
        if (body.client() != null && clients.findByClientId(body.client()) == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "client must name a registered app"));
        }
        // The app is told the patient and encounter are one context: a patient the person cannot open, or an
        // encounter of someone else's, is refused.
        String problem = targets.patientProblem(body.patient(), requester);
        if (problem == null) {
            problem = targets.encounterProblem(body.patient(), body.encounter());
        }
        if (problem != null) {
            return ResponseEntity.badRequest().body(Map.of("error", problem));
        }
        RequestAimedAt.madeFor(request, body.patient());
        String id = launches.mint(body.patient(), body.encounter(), requester.subject(), body.client());
        return ResponseEntity.ok(Map.of("launch", id));
    }
}
