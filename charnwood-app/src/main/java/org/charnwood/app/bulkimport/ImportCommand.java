package org.charnwood.app.bulkimport;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./charnwood import FILE.ndjson... | FOLDER}: loads FHIR Bulk Data NDJSON files through a running server's
 * {@code $import}, so that every resource is validated, audited and announced exactly as any write. The files go
 * as one import, streamed (never read whole into memory), so that their resources may refer to each other in any
 * order, and it is all or nothing: either every file is loaded or none is. It prints what each file held and
 * loaded, or each bad line as the file and line it is in, with what is wrong and where.
 *
 * <p>The server is {@code CHARNWOOD_URL} (default {@code http://localhost:8080}); the bearer token,
 * {@code CHARNWOOD_TOKEN}, must be granted {@code system/*.cu} or wider (the launcher asks the demo server for its
 * backend client's token when none is given). Exit status: 0 loaded, 1 refused or failed, 2 wrongly asked.
 */
public final class ImportCommand {

    private static final Pattern BODY_LINE = Pattern.compile("request body lines? (\\d+)(?:-(\\d+))?");

    private ImportCommand() {
    }

    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("CHARNWOOD_URL", "http://localhost:8080");
        String token = System.getenv("CHARNWOOD_TOKEN");
        System.exit(run(List.of(args), url.isBlank() ? "http://localhost:8080" : url, token, System.out, System.err));
    }

    /**
     * Loads the files into the server at {@code baseUrl} (its root, not {@code /fhir}).
     *
     * @return the exit status: 0 loaded, 1 refused or failed, 2 wrongly asked
     */
    public static int run(List<String> names, String baseUrl, String token, PrintStream out, PrintStream err) {
        if (names.isEmpty() || names.contains("--help")) {
            err.println("usage: ./charnwood import FILE.ndjson... | FOLDER   (CHARNWOOD_URL, CHARNWOOD_TOKEN)");
            return 2;
        }
        if (token == null || token.isBlank()) {
            err.println("Set CHARNWOOD_TOKEN to a bearer token granted system/*.cu (./charnwood token prints the"
                    + " demo backend client's).");
            return 2;
        }
        ImportSources body;
        try {
            body = ImportSources.of(names);
        } catch (IOException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (body.sources().isEmpty()) {
            err.println("No .ndjson files in " + String.join(", ", names));
            return 2;
        }
        String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "/fhir/$import"))
                .header("Content-Type", "application/fhir+ndjson")
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            err.println("Could not send the import to " + root + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted; the server loads all of the import or none of it");
            return 1;
        }
        OperationOutcome outcome = outcome(response.body());
        if (response.statusCode() == 200 && outcome != null) {
            for (ImportSources.Source source : body.sources()) {
                out.println(source.file + ": " + source.resources + " resources loaded");
            }
            out.println(outcome.getIssueFirstRep().getDiagnostics());
            for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                if (issue.getSeverity() == IssueSeverity.WARNING) {
                    out.println("warning: " + issue.getDiagnostics());
                }
            }
            return 0;
        }
        if (outcome == null) {
            err.println("The server answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        report(body, outcome, response.statusCode(), err);
        return 1;
    }

    /** Each refusal told as the file and line it is in, file by file, then the server's closing note. */
    private static void report(ImportSources body, OperationOutcome outcome, int status, PrintStream err) {
        Map<Object, List<String>> byFile = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            String text = issue.hasDiagnostics() ? issue.getDiagnostics() : issue.getCode().toCode();
            String where = issue.getExpression().isEmpty() ? ""
                    : " [" + String.join(", ", issue.getExpression().stream().map(Object::toString).toList()) + "]";
            Matcher m = BODY_LINE.matcher(text);
            ImportSources.Source source = m.find() ? body.sourceOf(Long.parseLong(m.group(1))) : null;
            if (source == null) {
                general.add(text + where);
                continue;
            }
            String located = m.replaceFirst(Matcher.quoteReplacement(located(body, m)));
            byFile.computeIfAbsent(source, s -> new ArrayList<>()).add(located + where);
        }
        err.println("The import was refused (" + status + "):");
        for (ImportSources.Source source : body.sources()) {
            List<String> problems = byFile.get(source);
            err.println(source.file + ": " + (problems == null ? "no bad lines found" : problems.size() + " problems"));
            if (problems != null) {
                problems.forEach(p -> err.println("  " + p));
            }
        }
        general.forEach(err::println);
    }

    private static String located(ImportSources body, Matcher m) {
        String first = body.locate(Long.parseLong(m.group(1)));
        if (m.group(2) == null) {
            return first;
        }
        String last = body.locate(Long.parseLong(m.group(2)));
        return first + " to " + last.substring(last.lastIndexOf(" line ") + " line ".length());
    }

    private static OperationOutcome outcome(String json) {
        try {
            return FhirContexts.r4().newJsonParser().parseResource(OperationOutcome.class, json);
        } catch (RuntimeException notFhir) {
            return null;
        }
    }
}
