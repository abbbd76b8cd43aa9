package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Basic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditional writes that may create, sent at the same moment with the same criteria, create once. */
class ConcurrentConditionalWritesIntegrationTests extends CharnwoodIntegrationTest {

    private static final int CLIENTS = 8;
    private static final String BASIC = """
            {"resourceType":"Basic","identifier":[{"system":"urn:test","value":"once"}],"code":{"text":"note"}}""";

    @Test
    void parallelConditionalCreatesMakeOneResourceAndReturnItToTheOthers() throws Exception {
        List<Response> responses = together(() -> http.post("/fhir/Basic", BASIC, "application/fhir+json",
                "If-None-Exist", "identifier=urn:test|once"));

        assertThat(responses).extracting(Response::status).containsOnly(200, 201);
        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(responses).extracting(r -> r.resource(Basic.class).getIdElement().getIdPart()).containsOnly(
                responses.get(0).resource(Basic.class).getIdElement().getIdPart());
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void parallelConditionalCreatesWithTheSameCriteriaWrittenDifferentlyMakeOneResource() throws Exception {
        String[] criteria = {
                "identifier=urn:test|once,urn:test|spare&_lastUpdated=gt2000-01-01",
                "_lastUpdated=gt2000-01-01&identifier=urn:test|spare,urn:test|once",
                "_lastUpdated=gt2000-01-01&identifier=urn%3Atest%7Cspare,urn%3Atest%7Conce",
                "identifier=urn%3atest%7conce,urn:test|spare&_lastUpdated=gt2000-01-01&_lastUpdated=gt2000-01-01",
        };
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        List<Response> responses = together(() -> http.post("/fhir/Basic", BASIC, "application/fhir+json",
                "If-None-Exist", criteria[next.getAndIncrement() % criteria.length]));

        assertThat(responses).extracting(Response::status).containsOnly(200, 201);
        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void parallelTransactionsWithTheSameCriteriaWrittenDifferentlyMakeOneResource() throws Exception {
        String[] criteria = {"identifier=urn:test|once,urn:test|spare&_lastUpdated=gt2000-01-01",
                "_lastUpdated=gt2000-01-01&identifier=urn%3Atest%7Cspare,urn:test%7Conce"};
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        List<Response> responses = together(() -> http.post("/fhir", """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Basic","ifNoneExist":"%s"}}
                ]}""".formatted(BASIC, criteria[next.getAndIncrement() % criteria.length]), "application/fhir+json"));

        assertThat(responses).extracting(Response::status).containsOnly(200);
        assertThat(responses).extracting(r -> r.bundle().getEntryFirstRep().getResponse().getStatus().substring(0, 3))
                .containsOnlyOnce("201");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void parallelConditionalUpdatesMatchingNothingCreateOnceAndUpdateThatOne() throws Exception {
        List<Response> responses = together(() -> http.put("/fhir/Basic?identifier=urn:test%7Conce", BASIC,
                "application/fhir+json"));

        assertThat(responses).extracting(Response::status).containsOnly(200, 201);
        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void parallelTransactionsWithTheSameConditionalCreateMakeOneResource() throws Exception {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Basic","ifNoneExist":"identifier=urn:test|once"}}
                ]}""".formatted(BASIC);

        List<Response> responses = together(() -> http.post("/fhir", transaction, "application/fhir+json"));

        assertThat(responses).extracting(Response::status).containsOnly(200);
        assertThat(responses).extracting(r -> r.bundle().getEntryFirstRep().getResponse().getStatus().substring(0, 3))
                .containsOnlyOnce("201");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    /** Sends the request from several clients at once and returns every response. */
    private static List<Response> together(Supplier<Response> request) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                sent.add(clients.submit(() -> {
                    start.await();
                    return request.get();
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> response : sent) {
                responses.add(response.get());
            }
            return responses;
        } finally {
            clients.shutdownNow();
        }
    }
}
