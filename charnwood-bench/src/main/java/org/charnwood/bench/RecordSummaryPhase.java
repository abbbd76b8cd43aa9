package org.charnwood.bench;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.SyntheaAdapter;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The staff record summary of a patient with years of history, measured as a member of staff sees it: the page
 * over HTTP with a signed-in session (sign-in page, session cookie), so everything the page does is in the figure
 * (access policy, every list of the summary, the NEWS2 chart, the banner, the template). Needs a server with the
 * demo data and its accounts ({@code demo} profile): it signs in as a demo nurse, takes a patient of her caseload
 * as the everyday case, loads a Synthea patient made English with {@link SyntheaAdapter} and gives it an episode
 * of care with the same team, so the nurse has a care relationship with it and sees its whole summary.
 * Requests are sequential, one at a time, on loopback: the latency is the server's time plus a loopback round trip.
 */
final class RecordSummaryPhase implements Phase {

    static final double TARGET_P95_MS = 150;

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern PATIENT_LINK = Pattern.compile("href=\"/staff/patients/([A-Za-z0-9\\-.]+)\"");
    private static final Pattern LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"Patient/([^/\"]+)");

    private final String root;
    private final FhirHttpClient fhir;
    private final Path synthea;
    private final String username;
    private final String password;
    private final int requests;
    private final int warmup;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private RecordSummaryPhase(String base, Path synthea, String username, String password, int requests,
                               int warmup) {
        this.fhir = new FhirHttpClient(base);
        this.root = fhir.base().endsWith("/fhir") ? fhir.base().substring(0, fhir.base().length() - 5) : fhir.base();
        this.synthea = synthea;
        this.username = username;
        this.password = password;
        this.requests = requests;
        this.warmup = warmup;
    }

    static RecordSummaryPhase from(Options options) {
        options.allowOnly("base", "synthea", "username", "password", "requests", "warmup");
        return new RecordSummaryPhase(options.text("base"), Path.of(options.text("synthea")),
                options.text("username", "demo.nurse"), options.text("password", "charnwood-demo"),
                options.integer("requests", 300), options.integer("warmup", 30));
    }

    @Override
    public Report run() throws Exception {
        signIn();
        String caseload = page("/staff/caseload");
        Matcher first = PATIENT_LINK.matcher(caseload);
        if (!first.find()) {
            throw new BenchFailure(username + " has no patient on their caseload: is the demo data loaded?");
        }
        String everyday = first.group(1);
        EpisodeOfCare template = activeEpisode(everyday);

        long loadStart = System.nanoTime();
        Bundle bundle = readSynthea();
        int entries = bundle.getEntry().size();
        new SyntheaAdapter(BundleWriter.forStandardTrust().trust(), 11).adapt(bundle, 0);
        IParser json = FhirContexts.r4().newJsonParser();
        FhirHttpClient.Result loaded = fhir.postBundle(json.encodeResourceToString(bundle));
        if (!loaded.ok()) {
            throw new BenchFailure("loading the Synthea patient failed: " + loaded.describe());
        }
        Matcher location = LOCATION.matcher(loaded.body());
        if (!location.find()) {
            throw new BenchFailure("the Synthea bundle's response names no Patient");
        }
        String heavy = location.group(1);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        giveEpisode(heavy, template);
        RelayBacklog backlog = RelayBacklog.fromEnvironment(fhir.base());
        double settled = backlog == null ? -1 : backlog.awaitSettled(Duration.ofMinutes(10));

        String summary = page("/staff/patients/" + heavy);
        if (summary.contains("id=\"break-glass\"")) {
            throw new BenchFailure("the nurse does not see the Synthea patient's whole record (break-glass offered)");
        }
        int summaryBytes = summary.getBytes(StandardCharsets.UTF_8).length;

        Percentiles heavyLatency = measure("/staff/patients/" + heavy);
        Percentiles everydayLatency = measure("/staff/patients/" + everyday);
        return Report.titled("Record summary page (signed-in staff session)")
                .figure("Synthea patient", entries + " resources in its bundle, loaded in "
                        + Report.number(loadSeconds, 1) + " s; summary page " + Report.number(summaryBytes / 1024.0, 0)
                        + " KB")
                .latency("Record summary, Synthea patient", heavyLatency)
                .figure("Target p95 ≤ " + (int) TARGET_P95_MS + " ms", Report.verdict(heavyLatency.p95() <= TARGET_P95_MS))
                .latency("Record summary, demo caseload patient", everydayLatency)
                .note("GET /staff/patients/{id} as " + username + " (registered nurse) signed in on the sign-in page; "
                        + warmup + " warm-up requests then " + requests + " measured, one at a time, on loopback.")
                .note(settled < 0 ? "The server's outbox backlog was not known, so the measurement did not wait for its relay."
                        : "Measured after the outbox relay had delivered the events of the load (waited "
                        + Report.number(settled, 1) + " s), so NEWS2 scoring of its observations did not run alongside.")
                .note("The Synthea patient gets an active EpisodeOfCare with the team of the nurse's first caseload "
                        + "patient, so the access policy grants the whole record, as it does for that patient.")
                .build();
    }

    private Percentiles measure(String path) {
        for (int i = 0; i < warmup; i++) {
            page(path);
        }
        LatencyStats stats = new LatencyStats();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            page(path);
            stats.record(System.nanoTime() - start);
        }
        return stats.percentiles();
    }

    private Bundle readSynthea() throws IOException {
        try (InputStream file = Files.newInputStream(synthea);
             InputStream in = synthea.toString().endsWith(".gz") ? new GZIPInputStream(file) : file;
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return FhirContexts.r4().newJsonParser().parseResource(Bundle.class, reader);
        }
    }

    private EpisodeOfCare activeEpisode(String patientId) {
        FhirHttpClient.Result found = fhir.get("/EpisodeOfCare?patient=Patient/" + patientId + "&status=active");
        if (!found.ok()) {
            throw new BenchFailure("reading the caseload patient's episode failed: " + found.describe());
        }
        Bundle bundle = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, found.body());
        return bundle.getEntry().stream().map(e -> e.getResource()).filter(EpisodeOfCare.class::isInstance)
                .map(EpisodeOfCare.class::cast).filter(EpisodeOfCare::hasTeam).findFirst()
                .orElseThrow(() -> new BenchFailure("the caseload patient has no active episode with a team"));
    }

    private void giveEpisode(String patientId, EpisodeOfCare template) {
        EpisodeOfCare episode = new EpisodeOfCare();
        episode.setStatus(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        episode.setPatient(new Reference("Patient/" + patientId));
        episode.setType(template.getType());
        episode.setTeam(template.getTeam());
        episode.setManagingOrganization(template.getManagingOrganization());
        episode.setPeriod(new Period().setStart(Date.from(LocalDate.now().minusYears(2)
                .atStartOfDay(ZoneId.of("Europe/London")).toInstant())));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(episode).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("EpisodeOfCare");
        FhirHttpClient.Result r = fhir.postBundle(FhirContexts.r4().newJsonParser().encodeResourceToString(transaction));
        if (!r.ok()) {
            throw new BenchFailure("giving the Synthea patient an episode of care failed: " + r.describe());
        }
    }

    private void signIn() {
        String form = page("/signin");
        Matcher csrf = CSRF.matcher(form);
        if (!csrf.find()) {
            throw new BenchFailure("the sign-in page has no CSRF token");
        }
        String body = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(root + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        String next = r.headers().firstValue("Location").orElse("");
        if (r.statusCode() != 302 || next.contains("error") || next.endsWith("/signin")) {
            throw new BenchFailure("signing in as " + username + " failed: HTTP " + r.statusCode() + " to " + next);
        }
    }

    private String page(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(root + path)).header("Accept", "text/html")
                .timeout(Duration.ofMinutes(1)).GET().build());
        if (r.statusCode() != 200) {
            throw new BenchFailure("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BenchFailure(request.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
