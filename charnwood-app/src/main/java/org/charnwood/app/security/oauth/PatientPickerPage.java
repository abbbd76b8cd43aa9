package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.security.accounts.SignInPages;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/**
 * The patient picker of a standalone launch by staff: which patient the app should open. It mints a launch id
 * for that patient and continues the app's authorisation request with it.
 */
@Controller
class PatientPickerPage {

    static final String PATH = "/launch/choose-patient";

    private final LaunchContexts launches;
    private final RequesterSource requesters;

    PatientPickerPage(LaunchContexts launches, RequesterSource requesters) {
        this.launches = launches;
        this.requesters = requesters;
    }

    @GetMapping(value = PATH, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@RequestParam("return") String back, HttpServletRequest request) {
        if (!safeReturn(back)) {
            return ResponseEntity.badRequest().build();
        }
        return SignInPages.page("Choose a patient", """
                <h1 class="nhsuk-heading-l">Which patient should the app open?</h1>
                <form method="post" action="%s" novalidate>
                  %s
                  <input type="hidden" name="return" value="%s">
                  <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="patient">Patient record id</label>
                    <input class="nhsuk-input" id="patient" name="patient" type="text" required>
                  </div>
                  <button class="nhsuk-button" type="submit">Open</button>
                </form>""".formatted(PATH, SignInPages.csrfField(request), htmlEscape(back)));
    }

    @PostMapping(PATH)
    ResponseEntity<String> choose(@RequestParam("return") String back, @RequestParam String patient,
                                  HttpServletRequest request) {
        Requester requester = requesters.current(request);
        if (!safeReturn(back) || requester.kind() != Requester.Kind.STAFF) {
            return ResponseEntity.badRequest().build();
        }
        if (!patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
            return ResponseEntity.status(303).header("Location", PATH + "?return="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8)).build();
        }
        RequestAimedAt.madeFor(request, patient);
        // The launch is for the app whose authorisation request the picker interrupted, and no other.
        String app = org.springframework.web.util.UriComponentsBuilder.fromUriString(back).build().getQueryParams()
                .getFirst("client_id");
        if (app == null) {
            return ResponseEntity.badRequest().build();
        }
        String launch = launches.mint(patient, null, requester.subject(),
                java.net.URLDecoder.decode(app, StandardCharsets.UTF_8));
        return ResponseEntity.status(302).header("Location", back + "&launch=" + launch).build();
    }

    /** Only back to this server's authorisation endpoint: never an open redirect. */
    private static boolean safeReturn(String back) {
        return back != null && back.startsWith("/oauth2/authorize?") && !back.contains("\\") && !back.contains("\n");
    }
}
