package org.charnwood.app.security.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.SignOutRecorded;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/**
 * The server-rendered sign-in pages: username and password, then (for staff) the code from an authenticator
 * app, with first-time enrolment showing the secret as an {@code otpauth://} URI, then, for a password an
 * administrator gave, choosing a new one ({@link NewPasswordPage}). Plain, accessible HTML in the NHS.UK style;
 * every form carries the CSRF token.
 */
@Controller
public class SignInPages {

    static final String PENDING_ACCOUNT = "charnwood.signin.pending-account";
    static final String PENDING_SECRET = "charnwood.signin.pending-secret";
    static final String PENDING_SINCE = "charnwood.signin.pending-since";
    /** The username the new authenticator entry is labelled with, so its owner can tell which account it is for. */
    static final String PENDING_USERNAME = "charnwood.signin.pending-username";
    /** The username typed into a sign-in that was refused, shown once in the field when the page comes back. */
    static final String TYPED_USERNAME = "charnwood.signin.typed-username";
    /** Longer than any username; a longer value is not worth keeping in the session. */
    private static final int LONGEST_USERNAME = 256;

    static final String WRONG_PASSWORD = "The username or password is not right. Check them and try again.";
    static final String WRONG_CODE = "That code is not right. Enter the 6-digit code your authenticator app "
            + "shows now.";

    private final SignInService signIn;
    private final SignedInSessions sessions;
    private final NewPasswordPage newPassword;
    private final SecuritySettings settings;
    private final AccountEndings endings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SignInPages(SignInService signIn, SignedInSessions sessions, NewPasswordPage newPassword,
                SecuritySettings settings, AccountEndings endings, ApplicationEventPublisher events, Clock clock) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.newPassword = newPassword;
        this.settings = settings;
        this.endings = endings;
        this.events = events;
        this.clock = clock;
    }

    @GetMapping(value = "/signin", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> signInPage(HttpServletRequest request, @RequestParam(required = false) String error,
                                      @RequestParam(required = false) String signedout,
                                      @RequestParam(required = false) String expired,
                                      @RequestParam(required = false) String federated) {
        if (newPassword.waiting(request)) {
            // Signed in with a given password and not yet chosen their own: that comes first, wherever they go.
            return ResponseEntity.status(303).header("Location", NewPasswordPage.PATH).build();
        }
        boolean wrong = error != null;
        String typed = wrong ? typedUsername(request) : null;
        StringBuilder body = new StringBuilder();
        if (wrong) {
            // One message whether the username is unknown, the password wrong or the account locked, so the page
            // never tells a stranger which accounts exist.
            body.append(errorSummary("username", WRONG_PASSWORD, lockoutAdvice()));
        } else if (federated != null) {
            body.append(notice(federatedRefusal(federated)));
        } else if (expired != null) {
            body.append(notice("The page was open too long, so you were not signed in. Enter your username and "
                    + "password again."));
        } else if (timedOut(request) instanceof String limit) {
            body.append(notice(limit.equals(SessionTimeouts.ABSOLUTE)
                    ? "You were signed out because you had been signed in for " + hours(settings.session().absolute())
                    + ", the longest a sign-in lasts. Sign in again to carry on."
                    : "You were signed out because you had not used Charnwood for "
                    + minutes(settings.session().idle()) + ". Sign in again to carry on."));
        } else if (signedout != null) {
            body.append(notice("You have signed out. Close the browser if you are using a shared computer."));
        }
        body.append("""
                <h1 class="nhsuk-heading-l">Sign in to Charnwood</h1>
                <form method="post" action="/signin" novalidate>
                  %s
                  <div class="nhsuk-form-group%s">
                    <label class="nhsuk-label" for="username">Username</label>
                    %s
                    <input class="nhsuk-input%s" id="username" name="username" type="text" autocomplete="username"
                           spellcheck="false" autocapitalize="none" required%s%s>
                  </div>
                  <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="password">Password</label>
                    <input class="nhsuk-input" id="password" name="password" type="password" autocomplete="current-password" required>
                  </div>
                  <button class="nhsuk-button" type="submit">Sign in</button>
                </form>""".formatted(csrfField(request), wrong ? " nhsuk-form-group--error" : "",
                wrong ? errorMessage("username", WRONG_PASSWORD) : "", wrong ? " nhsuk-input--error" : "",
                wrong ? " aria-describedby=\"username-error\" aria-invalid=\"true\"" : "",
                typed == null ? "" : " value=\"" + htmlEscape(typed) + "\""));
        for (SecuritySettings.Federation provider : settings.federation()) {
            body.append("<p><a class=\"nhsuk-button nhsuk-button--secondary\" href=\"/oauth2/authorization/")
                    .append(htmlEscape(provider.registrationId())).append("\">Sign in with ")
                    .append(htmlEscape(provider.name() == null ? provider.registrationId() : provider.name()))
                    .append("</a></p>");
        }
        return page(wrong ? "Error: Sign in" : "Sign in", body.toString());
    }

    /**
     * Why a sign-in through NHS login or CIS2 did not sign the person in, in words that fit it: the username and
     * password message would send them looking for a password they never had. The provider named is one of those
     * configured, or none (a failure Spring reports before the provider is known, such as a cancelled sign-in).
     */
    private String federatedRefusal(String registrationId) {
        SecuritySettings.Federation provider = settings.federation().stream()
                .filter(f -> f.registrationId().equals(registrationId)).findFirst().orElse(null);
        String through = provider == null ? "that way"
                : "with " + (provider.name() == null ? provider.registrationId() : provider.name());
        String help = provider != null && "staff".equals(provider.people())
                ? "If it keeps happening, ask your IT service desk to check your smartcard roles."
                : "If it keeps happening, contact the team that looks after you.";
        return "You were not signed in " + through + ". This can happen if you stopped part-way, or if the account "
                + "you used does not give you access to Charnwood. You can try again. " + help;
    }

    /**
     * What to do next, under {@link #WRONG_PASSWORD}: the same words whatever was wrong (an unknown username, a
     * wrong password, a locked or disabled account), so the page never says whether an account exists or is
     * locked; the lockout rule is told to everyone, so that someone locked out knows to wait rather than keep trying.
     */
    private String lockoutAdvice() {
        SecuritySettings.Lockout lockout = settings.lockout();
        return "If they are wrong " + lockout.maxAttempts() + " times in a row, you must wait "
                + minutes(lockout.duration()) + " before you try again. If you have forgotten your password, ask "
                + "whoever set up your account for a new one.";
    }

    /**
     * Which limit ({@link SessionTimeouts#IDLE} or {@link SessionTimeouts#ABSOLUTE}) has just ended this browser's
     * signed-in session, or null: said once, on the sign-in page it is sent to, so the person knows why they must
     * sign in again.
     */
    private static String timedOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(SessionTimeouts.TIMED_OUT) instanceof String limit)) {
            return null;
        }
        session.removeAttribute(SessionTimeouts.TIMED_OUT);
        return limit;
    }

    private static String hours(Duration absolute) {
        long hours = absolute.toHours();
        return hours < 1 ? minutes(absolute) : hours + (hours == 1 ? " hour" : " hours");
    }

    private static String minutes(Duration idle) {
        long minutes = Math.max(1, idle.toMinutes());
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }

    @PostMapping(value = "/signin", produces = MediaType.TEXT_HTML_VALUE)
    void signIn(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                HttpServletRequest request, HttpServletResponse response) throws IOException {
        SignInService.Outcome outcome = signIn.checkPassword(username, password, request.getRemoteAddr());
        switch (outcome) {
            case SignInService.Outcome.SignedIn s -> sessions.establish(s.person(), request, response);
            case SignInService.Outcome.NewPasswordNeeded n -> NewPasswordPage.ask(n, request, response, clock);
            case SignInService.Outcome.SecondFactorNeeded s -> {
                HttpSession session = request.getSession(true);
                // From now on whoever holds this session can finish signing in as the account, and at enrolment
                // read its new secret: a new id, so a session id planted in the browser beforehand is of no use.
                request.changeSessionId();
                session.setAttribute(PENDING_ACCOUNT, s.account().id());
                session.setAttribute(PENDING_SINCE, clock.instant());
                if (!s.enrolled()) {
                    session.setAttribute(PENDING_SECRET, Totp.newSecret());
                    session.setAttribute(PENDING_USERNAME, s.account().username());
                } else {
                    // Not another account's secret from an earlier, unfinished sign-in in this browser.
                    session.removeAttribute(PENDING_SECRET);
                    session.removeAttribute(PENDING_USERNAME);
                }
                response.sendRedirect("/signin/second-factor");
            }
            case SignInService.Outcome.Refused r -> {
                keepTypedUsername(request, username);
                response.sendRedirect("/signin?error");
            }
        }
    }

    /**
     * Keeps what was typed as the username for the page the refusal goes back to, so that someone who mistyped
     * their password need not type their username again (the password is never kept). It is the person's own
     * typing, shown only to this browser, and only once.
     */
    private static void keepTypedUsername(HttpServletRequest request, String username) {
        if (!username.isBlank() && username.length() <= LONGEST_USERNAME) {
            request.getSession(true).setAttribute(TYPED_USERNAME, username);
        }
    }

    /** The username {@link #keepTypedUsername} kept, taken so that it is shown once; or null. */
    private static String typedUsername(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(TYPED_USERNAME) instanceof String typed)) {
            return null;
        }
        session.removeAttribute(TYPED_USERNAME);
        return typed;
    }

    @GetMapping(value = "/signin/second-factor", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> secondFactorPage(HttpServletRequest request, @RequestParam(required = false) String error) {
        HttpSession session = request.getSession(false);
        if (pendingAccount(session) == null) {
            return ResponseEntity.status(303).header("Location", "/signin").build();
        }
        boolean wrong = error != null;
        StringBuilder body = new StringBuilder();
        if (wrong) {
            body.append(errorSummary("code", WRONG_CODE, null));
        }
        Object secret = session.getAttribute(PENDING_SECRET);
        body.append("<h1 class=\"nhsuk-heading-l\">Enter your security code</h1>");
        if (secret != null) {
            // Labelled with the username the person signs in with: an account's id is a random UUID they never see.
            Object username = session.getAttribute(PENDING_USERNAME);
            String uri = Totp.enrolmentUri("Charnwood", String.valueOf(username != null ? username
                    : session.getAttribute(PENDING_ACCOUNT)), secret.toString());
            // Steps in words; the otpauth:// address is the link's target, not text to read out.
            body.append("<p>You need to set up an authenticator app the first time you sign in. You will then use a"
                            + " code from it every time you sign in.</p><ol class=\"nhsuk-list nhsuk-list--number\">")
                    .append("<li>Open your authenticator app and choose to add an account.</li>")
                    .append("<li>Type in this key: <code id=\"totp-secret\">").append(htmlEscape(secret.toString()))
                    .append("</code>. If this page is open on the phone with the app, you can instead <a id=\"totp-uri\" href=\"")
                    .append(htmlEscape(uri)).append("\">add Charnwood to your authenticator app</a>.</li>")
                    .append("<li>Enter the 6-digit code the app shows below.</li></ol>");
        }
        body.append("""
                <form method="post" action="/signin/second-factor" novalidate>
                  %s
                  <div class="nhsuk-form-group%s">
                    <label class="nhsuk-label" for="code">Security code</label>
                    <div class="nhsuk-hint" id="code-hint">The 6-digit code from your authenticator app</div>
                    %s
                    <input class="nhsuk-input nhsuk-input--width-10%s" id="code" name="code" type="text"
                           inputmode="numeric" autocomplete="one-time-code" spellcheck="false"
                           aria-describedby="code-hint%s" required%s>
                  </div>
                  <button class="nhsuk-button" type="submit">Continue</button>
                </form>
                <form method="post" action="/signout">%s
                  <button class="nhsuk-button nhsuk-button--secondary" type="submit">Cancel and sign out</button>
                </form>""".formatted(csrfField(request), wrong ? " nhsuk-form-group--error" : "",
                wrong ? errorMessage("code", WRONG_CODE) : "", wrong ? " nhsuk-input--error" : "",
                wrong ? " code-error" : "", wrong ? " aria-invalid=\"true\"" : "", csrfField(request)));
        return page(wrong ? "Error: Enter your security code" : "Enter your security code", body.toString());
    }

    @PostMapping(value = "/signin/second-factor", produces = MediaType.TEXT_HTML_VALUE)
    void secondFactor(@RequestParam(defaultValue = "") String code, HttpServletRequest request,
                      HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        Object accountId = pendingAccount(session);
        if (accountId == null) {
            response.sendRedirect("/signin");
            return;
        }
        Object secret = session.getAttribute(PENDING_SECRET);
        SignInService.Outcome outcome = signIn.checkSecondFactor(accountId.toString(),
                secret == null ? null : secret.toString(), code, request.getRemoteAddr());
        if (outcome instanceof SignInService.Outcome.SignedIn s) {
            forgetPending(session);
            sessions.establish(s.person(), request, response);
        } else if (outcome instanceof SignInService.Outcome.NewPasswordNeeded n) {
            forgetPending(session);
            NewPasswordPage.ask(n, request, response, clock);
        } else if (outcome instanceof SignInService.Outcome.Refused r && r.reason().equals("account locked")) {
            session.invalidate();
            response.sendRedirect("/signin?error");
        } else {
            response.sendRedirect("/signin/second-factor?error");
        }
    }

    /**
     * The account whose password was right in this session and whose code is awaited, while still in time: the step
     * lasts as long as an idle session would, so a browser left at it (with a new authenticator's secret on show)
     * does not stay half signed in, and only until an administrator ends the account's sessions (disables it, gives
     * it a new password or resets its authenticator): a password taken before then finishes nothing. Null when there
     * is none.
     */
    private Object pendingAccount(HttpSession session) {
        if (session == null || session.getAttribute(PENDING_ACCOUNT) == null) {
            return null;
        }
        if (!(session.getAttribute(PENDING_SINCE) instanceof Instant since)
                || Duration.between(since, clock.instant()).compareTo(settings.session().idle()) > 0
                || endings.endedSince(String.valueOf(session.getAttribute(PENDING_ACCOUNT)), since) != null) {
            forgetPending(session);
            return null;
        }
        return session.getAttribute(PENDING_ACCOUNT);
    }

    private static void forgetPending(HttpSession session) {
        session.removeAttribute(PENDING_ACCOUNT);
        session.removeAttribute(PENDING_SECRET);
        session.removeAttribute(PENDING_SINCE);
        session.removeAttribute(PENDING_USERNAME);
    }

    @GetMapping(value = "/signin/done", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> signedIn(HttpServletRequest request) {
        var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        Requester.Kind kind = authentication != null && authentication.getPrincipal() instanceof SignedInPerson person
                ? person.kind() : null;
        return page("Signed in", """
                <h1 class="nhsuk-heading-l">You are signed in</h1>
                %s
                <form method="post" action="/signout">%s
                  <button class="nhsuk-button nhsuk-button--secondary" type="submit">Sign out</button>
                </form>""".formatted(ownPages(kind), csrfField(request)));
    }

    /**
     * Where a patient or carer can go from here, in words that fit them: a carer is looking at someone else's
     * record, not their own, and only the patient can choose who sees theirs. Nothing for staff.
     */
    private static String ownPages(Requester.Kind kind) {
        if (kind == Requester.Kind.PATIENT) {
            return "<p><a href=\"/my/record-access\" id=\"record-access\">See who has viewed your record</a></p>"
                    + "<p><a href=\"/my/carers\" id=\"carers\">See the people who can see your record</a></p>"
                    + "<p><a href=\"/my/apps\" id=\"allowed-apps\">See the apps you have allowed to use your record"
                    + "</a></p>";
        }
        if (kind == Requester.Kind.CARER) {
            return "<p><a href=\"/my/record-access\" id=\"record-access\">See who has viewed the record of the person"
                    + " you care for</a></p>"
                    + "<p><a href=\"/my/apps\" id=\"allowed-apps\">See the apps you have allowed to use their record"
                    + "</a></p>";
        }
        return "";
    }

    @PostMapping("/signout")
    void signOut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        sessions.end(request, response, false);
        response.sendRedirect("/signin?signedout");
    }

    /** The hidden CSRF field every form of these pages carries. */
    public static String csrfField(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return token == null ? "" : "<input type=\"hidden\" name=\"" + htmlEscape(token.getParameterName())
                + "\" value=\"" + htmlEscape(token.getToken()) + "\">";
    }

    /**
     * The error summary at the top of a form, its message a link to the field to fix (NHS.UK pattern), with
     * advice on what to do next under it when there is any.
     */
    private static String errorSummary(String field, String message, String advice) {
        return "<div class=\"nhsuk-error-summary\" id=\"error-summary\" aria-labelledby=\"error-summary-title\""
                + " role=\"alert\" tabindex=\"-1\">"
                + "<h2 class=\"nhsuk-error-summary__title\" id=\"error-summary-title\">There is a problem</h2>"
                + "<ul class=\"nhsuk-error-summary__list\"><li><a href=\"#" + field + "\">" + htmlEscape(message)
                + "</a></li></ul>" + (advice == null ? "" : "<p>" + htmlEscape(advice) + "</p>") + "</div>";
    }

    /** The message beside the field itself, named by the field's {@code aria-describedby}. */
    private static String errorMessage(String field, String message) {
        return "<span class=\"nhsuk-error-message\" id=\"" + field + "-error\"><span class=\"nhsuk-u-visually-hidden\">"
                + "Error:</span> " + htmlEscape(message) + "</span>";
    }

    /** A message about what just happened that is not a problem with the form (signed out, timed out). */
    private static String notice(String message) {
        return "<div class=\"nhsuk-inset-text\" id=\"signin-notice\" role=\"status\"><p>" + htmlEscape(message)
                + "</p></div>";
    }

    /** A page in the shared plain NHS.UK-style layout (until the application's own layout exists). */
    public static ResponseEntity<String> page(String title, String body) {
        String html = """
                <!DOCTYPE html>
                <html lang="en-GB">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%s - Charnwood</title>
                  <style>
                    body { font-family: Arial, sans-serif; margin: 0; color: #212b32; background: #f0f4f5; font-size: 19px; line-height: 1.47; }
                    header { background: #005eb8; color: #fff; padding: 16px 24px; font-weight: bold; font-size: 24px; }
                    main { max-width: 640px; margin: 32px auto; padding: 0 16px; }
                    .nhsuk-form-group { margin-bottom: 24px; }
                    .nhsuk-label { display: block; font-weight: bold; margin-bottom: 4px; }
                    .nhsuk-hint { color: #4c6272; margin-bottom: 4px; }
                    .nhsuk-input { font-size: 19px; padding: 4px; border: 2px solid #4c6272; width: 100%%; box-sizing: border-box; }
                    .nhsuk-input--width-10 { max-width: 12em; }
                    .nhsuk-input:focus, .nhsuk-button:focus, a:focus { outline: 4px solid #ffeb3b; box-shadow: 0 4px 0 #212b32; }
                    .nhsuk-button { background: #007f3b; color: #fff; border: 0; border-radius: 4px; padding: 12px 16px; font-size: 19px; font-weight: bold; cursor: pointer; box-shadow: 0 4px 0 #00401e; text-decoration: none; display: inline-block; }
                    .nhsuk-button--secondary { background: #4c6272; box-shadow: 0 4px 0 #263139; }
                    .nhsuk-error-summary { border: 4px solid #d5281b; padding: 16px; background: #fff; margin-bottom: 24px; }
                    .nhsuk-error-summary__title { margin-top: 0; }
                    .nhsuk-error-summary a { color: #d5281b; font-weight: bold; }
                    .nhsuk-form-group--error { border-left: 4px solid #d5281b; padding-left: 16px; }
                    .nhsuk-error-message { display: block; color: #d5281b; font-weight: bold; margin-bottom: 4px; }
                    .nhsuk-input--error { border-color: #d5281b; }
                    .nhsuk-u-visually-hidden { position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
                    .nhsuk-error-summary__list { padding-left: 0; list-style: none; margin-bottom: 0; }
                    .nhsuk-inset-text { border-left: 8px solid #005eb8; padding: 8px 16px; background: #fff; margin-bottom: 24px; }
                    .nhsuk-skip-link { position: absolute; left: -9999px; top: 0; }
                    .nhsuk-skip-link:focus { left: 16px; top: 8px; background: #ffeb3b; color: #212b32; padding: 8px; }
                    code { word-break: break-all; }
                  </style>
                </head>
                <body>
                  <a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
                  <header>Charnwood</header>
                  <main id="maincontent">%s</main>
                </body>
                </html>""".formatted(htmlEscape(title), body);
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).header("Cache-Control", "no-store").body(html);
    }
}
