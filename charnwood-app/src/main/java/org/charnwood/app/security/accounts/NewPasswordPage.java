package org.charnwood.app.security.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/**
 * The last step of signing in with a password an administrator gave: "Choose a new password". Until it is done
 * the session holds only this pending step, not a signed-in person, so no page and no app's authorisation can be
 * reached; once the new password is stored the sign-in is finished and the person goes on to where they were
 * going. The step lasts as long as an idle session would, and only until an administrator ends the account's
 * sessions ({@link AccountEndings}): then the person signs in again.
 */
@Controller
class NewPasswordPage {

    static final String PATH = "/signin/new-password";
    static final String PENDING = "charnwood.signin.pending-new-password";

    /** The person who signed in with a given password, which password that was, and since when they are asked. */
    record Pending(SignedInPerson person, PasswordFingerprint given, Instant since) implements Serializable {
    }

    private final InitialPasswordChange change;
    private final SignedInSessions sessions;
    private final SecuritySettings settings;
    private final AccountEndings endings;
    private final Clock clock;

    NewPasswordPage(InitialPasswordChange change, SignedInSessions sessions, SecuritySettings settings,
                    AccountEndings endings, Clock clock) {
        this.change = change;
        this.sessions = sessions;
        this.settings = settings;
        this.endings = endings;
        this.clock = clock;
    }

    /** Sends a person who signed in with a given password here, instead of finishing their sign-in. */
    static void ask(SignInService.Outcome.NewPasswordNeeded needed, HttpServletRequest request,
                    HttpServletResponse response, Clock clock) throws IOException {
        HttpSession session = request.getSession(true);
        // The session now lets whoever holds it set the account's password: a new id, against session fixation.
        request.changeSessionId();
        session.setAttribute(PENDING, new Pending(needed.person(), needed.given(), clock.instant()));
        response.sendRedirect(PATH);
    }

    /** Whether this browser is part-way through choosing a new password (and still in time to finish). */
    boolean waiting(HttpServletRequest request) {
        return pending(request) != null;
    }

    @GetMapping(value = PATH, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> form(HttpServletRequest request) {
        Pending pending = pending(request);
        if (pending == null) {
            return ResponseEntity.status(303).header("Location", "/signin").build();
        }
        return form(request, pending, null);
    }

    /**
     * Stores the new password and finishes the sign-in (redirecting, so nothing is returned), or shows the form
     * again saying what to fix.
     */
    @PostMapping(value = PATH, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> choose(@RequestParam(defaultValue = "") String newPassword,
                                  @RequestParam(defaultValue = "") String confirmPassword,
                                  HttpServletRequest request, HttpServletResponse response) throws IOException {
        Pending pending = pending(request);
        if (pending == null) {
            return ResponseEntity.status(303).header("Location", "/signin").build();
        }
        InitialPasswordChange.Result result = change.choose(pending.person(), pending.given(), newPassword,
                confirmPassword, request.getRemoteAddr());
        switch (result) {
            case InitialPasswordChange.Result.Refused refused -> {
                return form(request, pending, refused);
            }
            case InitialPasswordChange.Result.SignInAgain again -> {
                request.getSession().removeAttribute(PENDING);
                return ResponseEntity.status(303).header("Location", "/signin?error").build();
            }
            case InitialPasswordChange.Result.Changed changed -> {
                request.getSession().removeAttribute(PENDING);
                sessions.establish(pending.person(), request, response);
                return null;
            }
        }
    }

    private Pending pending(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(PENDING) instanceof Pending pending)) {
            return null;
        }
        if (Duration.between(pending.since(), clock.instant()).compareTo(settings.session().idle()) > 0
                || endings.endedSince(pending.person().accountId(), pending.since()) != null) {
            session.removeAttribute(PENDING);
            return null;
        }
        return pending;
    }

    private static ResponseEntity<String> form(HttpServletRequest request, Pending pending,
                                               InitialPasswordChange.Result.Refused refused) {
        StringBuilder body = new StringBuilder();
        if (refused != null) {
            body.append("<div class=\"nhsuk-error-summary\" role=\"alert\" tabindex=\"-1\" aria-labelledby=\"error-summary-title\">")
                    .append("<h2 class=\"nhsuk-error-summary__title\" id=\"error-summary-title\">There is a problem</h2>")
                    .append("<ul><li><a href=\"#").append(refused.field()).append("\">")
                    .append(htmlEscape(refused.problem())).append("</a></li></ul></div>");
        }
        body.append("""
                <h1 class="nhsuk-heading-l">Choose a new password</h1>
                <p>You signed in with a password you were given. Choose your own password now, before you go on.
                You will use it every time you sign in from now on.</p>
                <form method="post" action="%s" novalidate>
                  %s
                  <input type="text" name="username" value="%s" autocomplete="username" hidden aria-hidden="true">
                  %s
                  %s
                  <button class="nhsuk-button" type="submit">Save password and continue</button>
                </form>
                <form method="post" action="/signout">%s
                  <button class="nhsuk-button nhsuk-button--secondary" type="submit">Cancel and sign out</button>
                </form>""".formatted(PATH, SignInPages.csrfField(request), htmlEscape(pending.person().username()),
                field("new-password", "newPassword", "New password", "At least "
                        + InitialPasswordChange.MIN_LENGTH + " characters. Three or four words that are not "
                        + "connected are easy to remember and hard to guess. Common passwords, names, keyboard "
                        + "patterns and dates are refused. Do not use a password you use anywhere else.", refused),
                field("confirm-password", "confirmPassword", "Type your new password again", null, refused),
                SignInPages.csrfField(request)));
        ResponseEntity<String> page = SignInPages.page(refused == null ? "Choose a new password"
                : "Error: Choose a new password", body.toString());
        return refused == null ? page : ResponseEntity.badRequest().headers(page.getHeaders()).body(page.getBody());
    }

    private static String field(String id, String name, String label, String hint,
                                InitialPasswordChange.Result.Refused refused) {
        boolean wrong = refused != null && refused.field().equals(id);
        String describedBy = ((hint == null ? "" : id + "-hint ") + (wrong ? id + "-error" : "")).trim();
        return "<div class=\"nhsuk-form-group" + (wrong ? " nhsuk-form-group--error" : "") + "\">"
                + "<label class=\"nhsuk-label\" for=\"" + id + "\">" + htmlEscape(label) + "</label>"
                + (hint == null ? "" : "<div class=\"nhsuk-hint\" id=\"" + id + "-hint\">" + htmlEscape(hint) + "</div>")
                + (wrong ? "<span class=\"nhsuk-error-message\" id=\"" + id + "-error\">"
                + "<span class=\"nhsuk-u-visually-hidden\">Error:</span> " + htmlEscape(refused.problem()) + "</span>" : "")
                + "<input class=\"nhsuk-input" + (wrong ? " nhsuk-input--error" : "") + "\" id=\"" + id + "\" name=\""
                + name + "\" type=\"password\" autocomplete=\"new-password\" spellcheck=\"false\""
                + (describedBy.isEmpty() ? "" : " aria-describedby=\"" + describedBy + "\"")
                + (wrong ? " aria-invalid=\"true\"" : "") + " required></div>";
    }
}
