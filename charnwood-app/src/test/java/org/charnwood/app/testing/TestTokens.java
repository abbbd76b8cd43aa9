package org.charnwood.app.testing;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Bearer tokens for any kind of caller, issued by the running authorisation server through its real flows, so
 * a test can act as a nurse with a launch patient, a patient on their own record, a carer or a backend system:
 * <pre>
 *   String token = tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-001", AccessRole.REGISTERED_NURSE)
 *           .scopes("user/*.rs").launchPatient("p1"));
 *   http.as(token).get("/fhir/Patient/p1");
 * </pre>
 * People get a local account (created on first use, no second factor) and go through the authorisation code
 * flow with PKCE, signing in on the real sign-in page; systems use client credentials with a
 * {@code private_key_jwt} assertion. Tokens are cached per caller for the life of the test run.
 */
public final class TestTokens {

    public static final String TEST_APP = "charnwood-test-app";
    public static final String TEST_APP_REDIRECT = "http://localhost/test-callback";
    public static final String PASSWORD = "correct horse battery staple";
    private static final String PASSWORD_HASH = "{argon2}" + Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(PASSWORD);
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Cached(String token, Instant until) {
    }

    /**
     * Who the token is for.
     *
     * @param kind           STAFF, PATIENT, CARER or SYSTEM
     * @param fhirUser       the person as a FHIR reference (ignored for SYSTEM)
     * @param roles          access roles (staff)
     * @param scopes         SMART scopes to ask for
     * @param launchPatient  the launch patient: for staff an EHR launch, for patients and carers their record
     * @param organisation   ODS code (staff)
     */
    public record Caller(Requester.Kind kind, String fhirUser, Set<AccessRole> roles, List<String> scopes,
                         String launchPatient, String organisation) {

        public static Caller system(String... scopes) {
            return new Caller(Requester.Kind.SYSTEM, null, Set.of(), List.of(scopes), null, null);
        }

        public static Caller staff(String practitioner, AccessRole... roles) {
            return new Caller(Requester.Kind.STAFF, practitioner, Set.of(roles), List.of("user/*.cruds"), null, "RX1");
        }

        public static Caller patient(String patientId) {
            return new Caller(Requester.Kind.PATIENT, "Patient/" + patientId, Set.of(), List.of("patient/*.rs"),
                    patientId, null);
        }

        public static Caller carer(String relatedPersonId, String patientId) {
            return new Caller(Requester.Kind.CARER, "RelatedPerson/" + relatedPersonId, Set.of(),
                    List.of("patient/*.rs"), patientId, null);
        }

        public Caller scopes(String... scopes) {
            return new Caller(kind, fhirUser, roles, List.of(scopes), launchPatient, organisation);
        }

        /** The same person through an app granted sign-in only ({@code openid fhirUser}), no other scope. */
        public Caller signInOnly() {
            return new Caller(kind, fhirUser, roles, List.of(), launchPatient, organisation);
        }

        public Caller launchPatient(String patientId) {
            return new Caller(kind, fhirUser, roles, scopes, patientId, organisation);
        }

        public Caller organisation(String ods) {
            return new Caller(kind, fhirUser, roles, scopes, launchPatient, ods);
        }
    }

    private final String base;
    private final JdbcTemplate jdbc;

    public TestTokens(int port, JdbcTemplate jdbc) {
        this.base = "http://localhost:" + port;
        this.jdbc = jdbc;
    }

    /** A full-access backend system token ({@code system/*.cruds}). */
    public String system() {
        return bearer(Caller.system("system/*.cruds"));
    }

    /** An access token for the caller described. */
    public String bearer(Caller caller) {
        // Each application context signs with its own key, so a token is only good on the server that issued it.
        String key = base + " " + caller;
        Cached cached = CACHE.get(key);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.token();
        }
        JsonNode response = caller.kind() == Requester.Kind.SYSTEM ? clientCredentials(caller) : launch(caller);
        String token = response.get("access_token").asString();
        CACHE.put(key, new Cached(token, Instant.now().plusSeconds(response.get("expires_in").asLong() / 2)));
        return token;
    }

    /** The whole token response (access token, scope, patient, id_token...) for a person, uncached. */
    public JsonNode tokenResponse(Caller caller) {
        return caller.kind() == Requester.Kind.SYSTEM ? clientCredentials(caller) : launch(caller);
    }

    private JsonNode clientCredentials(Caller caller) {
        String tokenEndpoint = base + "/oauth2/token";
        return postForm(HttpClient.newHttpClient(), tokenEndpoint, Map.of(
                "grant_type", "client_credentials",
                "scope", String.join(" ", caller.scopes()),
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", TestKeys.clientAssertion(TestKeys.BACKEND_CLIENT, TestKeys.backendKey(), tokenEndpoint)));
    }

    private JsonNode launch(Caller caller) {
        String username = account(caller);
        HttpClient browser = browser();
        signIn(browser, username, PASSWORD);
        String launch = null;
        if (caller.kind() == Requester.Kind.STAFF && caller.launchPatient() != null) {
            launch = mintLaunch(browser, caller.launchPatient(), null);
        }
        StringBuilder scope = new StringBuilder("openid fhirUser");
        if (launch != null) {
            scope.append(" launch");
        } else if (caller.launchPatient() != null) {
            scope.append(" launch/patient");
        }
        caller.scopes().forEach(s -> scope.append(' ').append(s));
        return authorisationCode(browser, TEST_APP, scope.toString(), launch);
    }

    /** A cookie-keeping HTTP client that does not follow redirects, standing in for the browser. */
    public static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Signs in on the sign-in page; answers where the server sent the browser next. */
    public String signIn(HttpClient browser, String username, String password) {
        String csrf = csrf(get(browser, base + "/signin").body());
        HttpResponse<String> r = postForm(browser, base + "/signin", Map.of("username", username,
                "password", password, "_csrf", csrf), true);
        return r.headers().firstValue("Location").orElse(null);
    }

    /** Mints an EHR launch id as a signed-in staff page would, for any app. */
    public String mintLaunch(HttpClient browser, String patient, String encounter) {
        return mintLaunch(browser, patient, encounter, null);
    }

    /** Mints an EHR launch id as a signed-in staff page would, for the app {@code client} (null: any app). */
    public String mintLaunch(HttpClient browser, String patient, String encounter, String client) {
        String csrf = csrf(get(browser, base + "/signin/done").body());
        String body = "{\"patient\":\"" + patient + "\"" + (encounter == null ? "" : ",\"encounter\":\"" + encounter + "\"")
                + (client == null ? "" : ",\"client\":\"" + client + "\"") + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/launch"))
                .header("Content-Type", "application/json").header("X-CSRF-TOKEN", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = send(browser, request);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("launch refused: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("launch").asString();
    }

    /** The authorisation code flow with PKCE for an already signed-in browser. */
    public JsonNode authorisationCode(HttpClient browser, String clientId, String scope, String launch) {
        String verifier = randomString();
        String challenge = s256(verifier);
        String state = randomString();
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(TEST_APP_REDIRECT) + "&scope=" + enc(scope) + "&state=" + state
                + "&aud=" + enc(base + "/fhir") + "&code_challenge=" + challenge + "&code_challenge_method=S256"
                + (launch == null ? "" : "&launch=" + enc(launch));
        HttpResponse<String> r = get(browser, authorize);
        String asked = r.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("authorize answered " + r.statusCode() + " " + r.body()));
        // A patient or carer is asked the first time; the people these tokens stand for say yes.
        String location = isConsentPage(asked) ? answerConsent(browser, asked, true) : asked;
        if (!location.startsWith(TEST_APP_REDIRECT)) {
            throw new IllegalStateException("authorize did not return to the app: " + location);
        }
        Map<String, String> params = query(location);
        if (params.containsKey("error")) {
            throw new IllegalStateException("authorize refused: " + params);
        }
        HttpResponse<String> token = exchangeCode(browser, params.get("code"), clientId, verifier);
        if (token.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + token.statusCode() + ": " + token.body());
        }
        return JSON.readTree(token.body());
    }

    /**
     * An app's token request for the code an authorisation request gave it at the test redirect, with the PKCE
     * verifier and no client authentication (a public app), as the token endpoint answered it.
     */
    public HttpResponse<String> exchangeCode(HttpClient browser, String code, String clientId, String verifier) {
        return postForm(browser, base + "/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", TEST_APP_REDIRECT, "client_id", clientId, "code_verifier", verifier), false);
    }

    /** Whether the authorisation server sent the browser to ask the person about the app. */
    public static boolean isConsentPage(String location) {
        return URI.create(location).getPath().equals("/oauth2/consent");
    }

    /**
     * Answers the app consent page as the person would: opens it and submits its Allow or Do not allow form, with
     * the fields the page put in it. Answers where the server sent the browser next.
     */
    public String answerConsent(HttpClient browser, String consentPage, boolean allow) {
        HttpResponse<String> page = get(browser, consentPage.startsWith("/") ? base + consentPage : consentPage);
        if (page.statusCode() != 200) {
            throw new IllegalStateException("consent page answered " + page.statusCode() + " " + page.body());
        }
        String formId = allow ? "allow-form" : "deny-form";
        Matcher form = Pattern.compile("<form[^>]*id=\"" + formId + "\"[^>]*>(.*?)</form>", Pattern.DOTALL)
                .matcher(page.body());
        if (!form.find()) {
            throw new IllegalStateException("no " + formId + " on the consent page: " + page.body());
        }
        Matcher field = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
                .matcher(form.group(1));
        StringBuilder body = new StringBuilder();
        while (field.find()) {
            body.append(body.isEmpty() ? "" : "&").append(enc(field.group(1))).append('=')
                    .append(enc(org.springframework.web.util.HtmlUtils.htmlUnescape(field.group(2))));
        }
        HttpResponse<String> answered = send(browser, HttpRequest.newBuilder(URI.create(base + "/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        return answered.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("the consent answer got " + answered.statusCode() + " " + answered.body()));
    }

    /**
     * The local account for a person (created on first use, password {@link #PASSWORD}, no second factor);
     * answers its username, for signing in on the sign-in page.
     */
    public String account(Caller caller) {
        return account(caller, false);
    }

    /**
     * The local account for a person, which must enrol an authenticator app and give its code after the
     * password when {@code secondFactor} (a separate account from the one without).
     */
    public String account(Caller caller, boolean secondFactor) {
        String id = "test-" + sha256(caller.kind() + "|" + caller.fhirUser() + "|" + caller.roles() + "|"
                + caller.organisation() + "|" + caller.launchPatient() + (secondFactor ? "|totp" : "")).substring(0, 16);
        String patientId = caller.kind() == Requester.Kind.STAFF ? null : caller.launchPatient();
        jdbc.update("""
                insert into auth.account (id, username, kind, display_name, password_hash, fhir_user, patient_id,
                  roles, organisation, totp_required)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing""",
                id, id, caller.kind().name(), "Test " + caller.kind(), PASSWORD_HASH, caller.fhirUser(), patientId,
                caller.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                caller.organisation(), secondFactor);
        return id;
    }

    /**
     * Puts every account made by {@link #account} back as it was made: enabled, unlocked, with this class's password
     * and no authenticator enrolled or code used. Accounts outlive the emptied clinical tables and the same callers
     * serve many test classes, so without this one test's lockout, disabling, new password or enrolment would
     * decide how another test's sign-in goes, depending on the order they ran in. Tokens cached for the callers go
     * too when an account was put back: a disabled account's tokens stay ended once it is enabled again.
     */
    public void freshAccounts() {
        int putBack = jdbc.update("""
                update auth.account set password_hash = ?, enabled = true, failed_attempts = 0, locked_until = null,
                  totp_secret = null, totp_last_step = null, password_change_required = false
                 where id like 'test-%'
                   and (password_hash is distinct from ? or not enabled or failed_attempts <> 0
                        or locked_until is not null or totp_secret is not null or password_change_required)""",
                PASSWORD_HASH, PASSWORD_HASH);
        if (putBack > 0) {
            CACHE.clear();
        }
    }

    public static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on the page: " + html);
        }
        return m.group(1);
    }

    public static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" :
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    public HttpResponse<String> get(HttpClient browser, String url) {
        return send(browser, HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build());
    }

    private JsonNode postForm(HttpClient client, String url, Map<String, String> form) {
        HttpResponse<String> r = postForm(client, url, form, false);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * Opens the page at {@code formPage}, posts {@code form} with its CSRF token to {@code url}, and follows a
     * redirect (a page posted and answered with the page to show), as a browser would.
     */
    public HttpResponse<String> submitFollowing(HttpClient browser, String formPage, String url,
                                                Map<String, String> form) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(form);
        fields.put("_csrf", csrf(get(browser, formPage).body()));
        HttpResponse<String> r = postForm(browser, url, fields, true);
        String location = r.headers().firstValue("Location").orElse(null);
        if (r.statusCode() / 100 == 3 && location != null) {
            return get(browser, URI.create(url).resolve(location).toString());
        }
        return r;
    }

    public HttpResponse<String> postForm(HttpClient client, String url, Map<String, String> form, boolean html) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(client, HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", html ? "text/html" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String randomString() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
