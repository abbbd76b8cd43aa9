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
    private final LaunchTargets targets;

    PatientPickerPage(LaunchContexts launches, RequesterSource requesters, LaunchTargets targets) {
        this.launches = launches;
        this.requesters = requesters;
        this.targets = targets;
    }

    @GetMapping(value = PATH, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@RequestParam("return") String back, HttpServletRequest request) {
        if (!safeReturn(back)) {
            return ResponseEntity.badRequest().build();
        }
        return form(back, null, "", request);
    }

    /** The picker, with what was wrong with the id given (and the id itself, to correct) when there was. */
    private static ResponseEntity<String> form(String back, String error, String given, HttpServletRequest request) {
        boolean wrong = error != null;
        String errorSummary = !wrong ? "" : """
                <div class="nhsuk-error-summary" id="error-summary" aria-labelledby="error-summary-title" role="alert"
                     tabindex="-1"><h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
                <ul class="nhsuk-error-summary__list"><li><a href="#patient">%s</a></li></ul></div>""".formatted(htmlEscape(error));
        String errorMessage = !wrong ? "" : """
                <span class="nhsuk-error-message" id="patient-error"><span class="nhsuk-u-visually-hidden">Error:</span> %s</span>"""
                .formatted(htmlEscape(error));
        return SignInPages.page(wrong ? "Error: Choose a patient" : "Choose a patient", """
                %s
                <h1 class="nhsuk-heading-l">Which patient should the app open?</h1>
                <form method="post" action="%s" novalidate>
                  %s
                  <input type="hidden" name="return" value="%s">
                  <div class="nhsuk-form-group%s">
                    <label class="nhsuk-label" for="patient">Patient record id</label>
                    <div class="nhsuk-hint" id="patient-hint">The id at the end of the web address of the patient's record</div>
                    %s
                    <input class="nhsuk-input%s" id="patient" name="patient" type="text" value="%s" spellcheck="false"
                           autocomplete="off" aria-describedby="patient-hint%s" required%s>
                  </div>
                  <button class="nhsuk-button" type="submit">Open</button>
                </form>""".formatted(errorSummary, PATH, SignInPages.csrfField(request), htmlEscape(back),
                wrong ? " nhsuk-form-group--error" : "", errorMessage, wrong ? " nhsuk-input--error" : "",
                htmlEscape(given), wrong ? " patient-error" : "", wrong ? " aria-invalid=\"true\"" : ""));
    }

    @PostMapping(PATH)
    ResponseEntity<String> choose(@RequestParam("return") String back, @RequestParam String patient,
                                  HttpServletRequest request) {
        Requester requester = requesters.current(request);
        if (!safeReturn(back) || requester.kind() != Requester.Kind.STAFF) {
            return ResponseEntity.badRequest().build();
        }
        String problem = !patient.matches("[A-Za-z0-9\\-.]{1,64}")
                ? "Enter the patient's record id: letters, digits, hyphens and full stops, up to 64"
                : targets.patientProblem(patient, requester);
        if (problem != null) {
            // Said on the page, with the id given, rather than a launch minted for a record that is not there.
            ResponseEntity<String> page = form(back, problem, patient, request);
            return ResponseEntity.badRequest().headers(page.getHeaders()).body(page.getBody());
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
