package org.charnwood.app.referrals;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public directory and self-referral as a browser without JavaScript uses them: plain GETs and form POSTs
 * with the CSRF token from the page, no sign-in.
 */
class DirectoryIntegrationTests extends CharnwoodIntegrationTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    PathwayLoader loader;

    private HttpClient browser;

    @BeforeEach
    void pathways() {
        loader.loadShipped();
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listsEveryServiceWithoutSignIn() {
        HttpResponse<String> page = get("/services");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("District Nursing", "Urgent Community Response (2-hour)", "NHS Talking Therapies",
                "Memory Assessment Service", "Child and Adolescent Mental Health Services (CAMHS)");
        assertThat(page.body()).doesNotContain("<script");
    }

    @Test
    void findsServicesByNeedAndByPostcode() {
        String memory = get("/services?q=memory").body();
        assertThat(memory).contains("Memory Assessment Service").doesNotContain("District Nursing</a>");

        String birmingham = get("/services?postcode=B15+2TT").body();
        assertThat(birmingham).doesNotContain("District Nursing</a>").contains("NHS Talking Therapies</a>");
        String leicester = get("/services?postcode=LE1+3AB").body();
        assertThat(leicester).contains("District Nursing</a>");

        String wrong = get("/services?postcode=nowhere").body();
        assertThat(wrong).contains("There is a problem").contains("Enter a postcode");
    }

    @Test
    void aServicePageSaysWhoItIsForWhereWhenAndHowToBeReferred() {
        String page = get("/services/talking-therapies").body();
        assertThat(page).contains("Who it is for", "Monday to Friday, 9am to 5pm", "0116 496 0", "Refer yourself");
        String districtNursing = get("/services/district-nursing").body();
        assertThat(districtNursing).contains("Every day, 24 hours").doesNotContain("id=\"refer-yourself\"")
                .contains("Ask your GP");
        assertThat(get("/services/district-nursing/self-referral").statusCode()).isEqualTo(404);
        assertThat(get("/services/no-such-service").statusCode()).isEqualTo(404);
    }

    @Test
    void aSelfReferralWithoutTheFormsTokenIsRefused() {
        HttpResponse<String> response = post("/self-referral", Map.of("service", "talking-therapies"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(http.get("/fhir/ServiceRequest?_summary=count").bundle().getTotal()).isZero();
    }

    @Test
    void aPersonRefersThemselvesWithoutJavaScriptAndGetsAReference() {
        String form = get("/services/talking-therapies/self-referral").body();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", csrf(form));
        fields.put("service", "talking-therapies");
        fields.put("givenName", "Sam");
        fields.put("familyName", "Okafor");
        fields.put("dob-day", "3");
        fields.put("dob-month", "4");
        fields.put("dob-year", "1991");
        fields.put("nhsNumber", "123");
        fields.put("postcode", "LE2 7AB");
        fields.put("phone", "07700 900982");

        HttpResponse<String> refused = post("/self-referral", fields);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("There is a problem", "Enter a valid NHS number", "#item-help-with",
                "#item-feelings");

        fields.put("_csrf", csrf(refused.body()));
        fields.put("nhsNumber", "");
        fields.put("item-help-with", "worry");
        fields.put("item-feelings", "Worrying all the time, not sleeping");
        fields.put("item-contact-preference", "phone");
        HttpResponse<String> sent = post("/self-referral", fields);
        assertThat(sent.statusCode()).isEqualTo(302);
        String confirmation = get(sent.headers().firstValue("Location").orElseThrow()
                .replaceFirst("^https?://[^/]+", "")).body();
        Matcher reference = Pattern.compile("id=\"reference\">(CHW-[0-9A-Z]{4}-[0-9A-Z]{4})<").matcher(confirmation);
        assertThat(reference.find()).as(confirmation).isTrue();

        ServiceRequest stored = http.get("/fhir/ServiceRequest?identifier=https://charnwood.nhs.uk/fhir/Id/referral%7C"
                + reference.group(1)).bundle().getEntry().stream().map(e -> (ServiceRequest) e.getResource())
                .findFirst().orElseThrow();
        assertThat(stored.getRequester().getReference()).isEqualTo(stored.getSubject().getReference());
        assertThat(stored.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        assertThat(stored.getExtensionByUrl(ReferralCodes.REFERRAL_SOURCE).getValue())
                .satisfies(v -> assertThat(((org.hl7.fhir.r4.model.Coding) v).getCode()).isEqualTo("self"));

        // The same person again: matched to the first referral's provisional record and taken in, on a provisional
        // record of its own, for triage to join to the first (a refusal would tell anyone who typed these details
        // that the person has an open referral).
        String again = get("/services/talking-therapies/self-referral").body();
        fields.put("_csrf", csrf(again));
        HttpResponse<String> duplicate = post("/self-referral", fields);
        assertThat(duplicate.statusCode()).isEqualTo(302);
        assertThat(http.get("/fhir/ServiceRequest?_summary=count").bundle().getTotal()).isEqualTo(2);
        ServiceRequest second = http.get("/fhir/ServiceRequest").bundle().getEntry().stream()
                .map(e -> (ServiceRequest) e.getResource()).filter(sr -> sr.hasNote()).findFirst().orElseThrow();
        assertThat(second.getSubject().getReference()).isNotEqualTo(stored.getSubject().getReference());
        assertThat(second.getNote()).extracting(n -> n.getText())
                .anySatisfy(t -> assertThat(t).contains("duplicate", reference.group(1)))
                .anySatisfy(t -> assertThat(t).contains("earlier self-referral"));
    }

    @Test
    void aSelfReferrerLearnsNothingFromTheRecordTheyAreMatchedTo() {
        ReferralFixture fixture = new ReferralFixture(http);
        fixture.practices();
        // On record: a home outside the area, a practice outside it, a sealed psychosis diagnosis and an open
        // referral to community therapy; the person types only a Leicester postcode.
        knownAsha(fixture, "B15 2TT", "gp-m85001");
        var psychosis = new org.hl7.fhir.r4.model.Condition();
        psychosis.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY", null);
        psychosis.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/known"));
        psychosis.setCode(new org.hl7.fhir.r4.model.CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                ReferralFixture.SNOMED, "69322001", "Psychotic disorder")));
        assertThat(http.postJson("/fhir/Condition", psychosis).status()).isEqualTo(201);
        ServiceRequest open = ReferralFixture.referral("known", "community-therapy", null);
        open.addIdentifier().setSystem(ReferralCodes.REFERRAL_IDENTIFIER).setValue("CHW-AAAA-BBBB");
        assertThat(http.postJson("/fhir/ServiceRequest", open).status()).isEqualTo(201);

        Map<String, String> person = asha();
        person.put("phone", "07700 900982");

        Map<String, String> therapies = new LinkedHashMap<>(person);
        therapies.put("_csrf", csrf(get("/services/talking-therapies/self-referral").body()));
        therapies.put("service", "talking-therapies");
        therapies.put("item-help-with", "worry");
        therapies.put("item-feelings", "Worrying all the time, not sleeping");
        therapies.put("item-contact-preference", "phone");
        HttpResponse<String> toTherapies = post("/self-referral", therapies);

        HttpResponse<String> toTherapy = post("/self-referral", communityTherapy(person));

        for (HttpResponse<String> reply : List.of(toTherapies, toTherapy)) {
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(302);
            assertThat(reply.body()).doesNotContain("mental", "B15", "M85001", "CHW-AAAA-BBBB", "open referral");
        }
        // What the record turned up goes to triage on the referrals instead; they stay off the record itself
        // until triage has confirmed who sent them.
        assertThat(http.get("/fhir/ServiceRequest?subject=Patient/known").bundle().getEntry()).hasSize(1);
        List<ServiceRequest> taken = unverifiedReferrals();
        assertThat(taken).hasSize(2).allSatisfy(sr -> assertThat(sr.getNote()).isNotEmpty());
        assertThat(taken).flatExtracting(ServiceRequest::getNote).extracting(n -> n.getText())
                .anySatisfy(t -> assertThat(t).contains("does not meet every criterion"))
                .anySatisfy(t -> assertThat(t).contains("CHW-AAAA-BBBB"))
                .anySatisfy(t -> assertThat(t).contains("match an existing record", "9434765919"))
                .allSatisfy(t -> assertThat(t).doesNotContain("mental", "psycho"));
    }

    @Test
    void aLabelledOpenReferralIsNotNamedInTheNoteTriageReads() {
        ReferralFixture fixture = new ReferralFixture(http);
        fixture.practices();
        knownAsha(fixture, "LE2 7AB", "gp-c82901");
        ServiceRequest open = ReferralFixture.referral("known", "community-therapy", null);
        open.addIdentifier().setSystem(ReferralCodes.REFERRAL_IDENTIFIER).setValue("CHW-CCCC-DDDD");
        open.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V", null);
        assertThat(http.postJson("/fhir/ServiceRequest", open).status()).isEqualTo(201);

        Map<String, String> person = asha();
        person.put("phone", "07700 900982");
        assertThat(post("/self-referral", communityTherapy(person)).statusCode()).isEqualTo(302);

        List<ServiceRequest> taken = unverifiedReferrals();
        assertThat(taken).hasSize(1);
        assertThat(taken.getFirst().getNote()).extracting(n -> n.getText())
                .contains(ReferralIntake.HIDDEN_DUPLICATE_NOTE)
                .allSatisfy(t -> assertThat(t).doesNotContain("CHW-CCCC-DDDD"));
    }

    @Test
    void aSelfReferralMatchedByNhsNumberAndDateOfBirthWaitsOnAProvisionalRecordForTriage() {
        ReferralFixture fixture = new ReferralFixture(http);
        fixture.practices();
        knownAsha(fixture, "LE2 7AB", "gp-c82901");

        String form = get("/services/community-therapy/self-referral").body();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", csrf(form));
        fields.put("service", "community-therapy");
        fields.putAll(asha());
        fields.put("email", "asha@example.com");
        fields.put("item-difficulty", "mobility");
        fields.put("item-reason", "Knee pain on stairs");
        assertThat(post("/self-referral", fields).statusCode()).isEqualTo(302);

        // Whoever sent it may not be Asha: the referral is kept off her record, on a provisional one, and the
        // match is left for the service's triagers to confirm.
        ServiceRequest stored = (ServiceRequest) http.get("/fhir/ServiceRequest").bundle().getEntryFirstRep().getResource();
        assertThat(stored.getSubject().getReference()).isNotEqualTo("Patient/known");
        assertThat(stored.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        assertThat(((org.hl7.fhir.r4.model.Reference) stored.getExtensionByUrl(
                ReferralCodes.POSSIBLE_IDENTITY_MATCH).getValue()).getReference()).isEqualTo("Patient/known");
        var provisional = http.get("/fhir/" + stored.getSubject().getReference())
                .resource(org.hl7.fhir.r4.model.Patient.class);
        assertThat(provisional.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        assertThat(http.get("/fhir/Patient?_summary=count").bundle().getTotal()).isEqualTo(2);
        assertThat(http.get("/fhir/QuestionnaireResponse?subject=Patient/known").bundle().getEntry()).isEmpty();
    }

    /** Asha Patel's record as the trust holds it, with her NHS number, at a home and practice of the test's. */
    private void knownAsha(ReferralFixture fixture, String postcode, String practice) {
        fixture.patient("known", LocalDate.of(1991, 4, 3), postcode, practice);
        var patient = http.get("/fhir/Patient/known").resource(org.hl7.fhir.r4.model.Patient.class);
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9434765919");
        assertThat(http.putJson("/fhir/Patient/known", patient).status()).isEqualTo(200);
    }

    /** A self-referral to community therapy for knee pain from {@code person}, with the form's CSRF token. */
    private Map<String, String> communityTherapy(Map<String, String> person) {
        Map<String, String> therapy = new LinkedHashMap<>(person);
        therapy.put("_csrf", csrf(get("/services/community-therapy/self-referral").body()));
        therapy.put("service", "community-therapy");
        therapy.put("item-difficulty", "mobility");
        therapy.put("item-reason", "Knee pain on stairs");
        return therapy;
    }

    /** The referrals kept off a record until triage confirms who sent them. */
    private List<ServiceRequest> unverifiedReferrals() {
        return http.get("/fhir/ServiceRequest?_tag=" + ReferralCodes.IDENTITY_STATUS + "%7Cunverified").bundle()
                .getEntry().stream().map(e -> (ServiceRequest) e.getResource()).toList();
    }

    /** What Asha Patel, born 3 April 1991, NHS number 943 476 5919, types about herself on a self-referral form. */
    private static Map<String, String> asha() {
        Map<String, String> person = new LinkedHashMap<>();
        person.put("givenName", "Asha");
        person.put("familyName", "Patel");
        person.put("dob-day", "03");
        person.put("dob-month", "04");
        person.put("dob-year", "1991");
        person.put("nhsNumber", "943 476 5919");
        person.put("postcode", "LE2 7AB");
        return person;
    }

    @Test
    void theFhirApiStaysClosedToAnonymousCallers() {
        assertThat(http.anonymous().get("/fhir/HealthcareService/district-nursing").status()).isEqualTo(401);
        assertThat(http.get("/fhir/HealthcareService/district-nursing").status()).isEqualTo(200);
    }

    private static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        return m.group(1);
    }
}
