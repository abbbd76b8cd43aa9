package org.charnwood.fhir.validation;

import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A measurement, not a test: prints validations per second for typical resources, base R4 alone
 * and with UK Core profiles claimed (compiled rules and HAPI's instance validator side by side),
 * on one thread and on two. Off by default; run with
 * {@code ./mvnw -pl charnwood-fhir test -Dtest=ValidationThroughputTests -Dcharnwood.measure=true}.
 */
@EnabledIfSystemProperty(named = "charnwood.measure", matches = "true")
class ValidationThroughputTests {
    private static final List<String> TYPES = List.of("Patient", "Observation", "Encounter", "Condition");
    private static final Map<String, String> UK_CORE_EXAMPLES = Map.of(
            "Patient", "Patient-UKCore-Patient-RichardSmith-Example.json",
            "Observation", "Observation-UKCore-Observation-Lab-WhiteCellCount-Example.json",
            "Encounter", "Encounter-UKCore-Encounter-InpatientEncounter-Example.json",
            "Condition", "Condition-UKCore-Condition-HipReplacement-Example.json");

    private final ResourceParser parser = new ResourceParser();

    @Test
    void printsValidationsPerSecond() throws Exception {
        BaseR4Validator base = new BaseR4Validator();
        RepositoryValidator repository = new RepositoryValidator(ValidationSettings.defaults());
        RepositoryValidator deepRepository = new RepositoryValidator(ValidationSettings.defaults().withDeepProfileValidation(true));
        CompiledProfileValidator compiled = CompiledProfileValidator.ukCore();
        ProfileValidator hapi = ProfileValidator.ukCore();
        compiled.warmUp();
        List<String> synthea = new ArrayList<>();
        List<String> ukCore = new ArrayList<>();
        for (String type : TYPES) {
            synthea.add(BaseR4ValidatorTests.read("/validation/synthea/" + type + ".json"));
            String example = UK_CORE_EXAMPLES.get(type);
            ukCore.add(UkCoreExamples.claiming(example, UkCoreExamples.PROFILES + "UKCore-" + type));
        }
        List<Resource> syntheaResources = synthea.stream().map(json -> parser.parse(json, FhirFormat.JSON)).toList();
        List<Resource> ukCoreResources = ukCore.stream().map(json -> parser.parse(json, FhirFormat.JSON)).toList();
        Map<String, List<Resource>> demoByType = new LinkedHashMap<>();
        List<String> demoTexts = new ArrayList<>();
        ProfileDifferentialTests.demoSample().values().forEach(json -> {
            demoTexts.add(json.toString());
            Resource resource = parser.parse(json.toString(), FhirFormat.JSON);
            demoByType.computeIfAbsent(resource.fhirType(), t -> new ArrayList<>()).add(resource);
        });
        List<Resource> demo = demoByType.values().stream().flatMap(List::stream).toList();

        System.out.println("validations per second, after warm-up (best and worst of three rounds)");
        for (int i = 0; i < TYPES.size(); i++) {
            Resource resource = syntheaResources.get(i);
            report("base R4, Synthea " + TYPES.get(i), 1, 1.0, r -> base.validate(resource));
        }
        report("base R4, Synthea mix", 1, 2.0, each(syntheaResources, base::validate));
        report("base R4, Synthea mix", 2, 2.0, each(syntheaResources, base::validate));
        report("parse + base R4, Synthea mix", 1, 2.0, eachText(synthea, json -> base.validate(parser.parse(json, FhirFormat.JSON))));
        report("parse + base R4, Synthea mix", 2, 2.0, eachText(synthea, json -> base.validate(parser.parse(json, FhirFormat.JSON))));
        report("repository validator, Synthea mix (claims US Core: warning only)", 1, 2.0,
                each(syntheaResources, repository::validate));

        System.out.println("UK Core profile check alone: compiled rules, then HAPI's instance validator");
        for (int i = 0; i < TYPES.size(); i++) {
            Resource resource = ukCoreResources.get(i);
            report("compiled UK Core profile, example " + TYPES.get(i), 1, 1.0, r -> compiled.validate(resource, List.of()));
            report("HAPI UK Core profile, example " + TYPES.get(i), 1, 2.0, r -> hapi.validate(resource, List.of()));
        }
        for (Map.Entry<String, List<Resource>> type : demoByType.entrySet()) {
            report("compiled profiles, demo " + type.getKey() + " (" + type.getValue().size() + ")", 1, 1.0,
                    each(type.getValue(), r -> compiled.validate(r, List.of())));
        }
        report("HAPI profiles, demo mix", 1, 3.0, each(demo, r -> hapi.validate(r, List.of())));

        System.out.println("What a write pays: base R4 + UK Core profile");
        for (int i = 0; i < TYPES.size(); i++) {
            Resource resource = ukCoreResources.get(i);
            report("base R4 + compiled UK Core, example " + TYPES.get(i), 1, 1.0, r -> repository.validate(resource));
        }
        report("base R4 + compiled UK Core, demo mix", 1, 2.0, each(demo, repository::validate));
        report("base R4 + compiled UK Core, demo mix", 2, 2.0, each(demo, repository::validate));
        report("base R4 + HAPI UK Core (deep), demo mix", 2, 3.0, each(demo, deepRepository::validate));
        report("parse + base R4 + compiled UK Core, demo mix", 1, 2.0,
                eachText(demoTexts, json -> repository.validate(parser.parse(json, FhirFormat.JSON))));
        report("parse + base R4 + compiled UK Core, demo mix", 2, 2.0,
                eachText(demoTexts, json -> repository.validate(parser.parse(json, FhirFormat.JSON))));
    }

    private static Consumer<Integer> each(List<Resource> resources, Consumer<Resource> validation) {
        return i -> validation.accept(resources.get(i % resources.size()));
    }

    private static Consumer<Integer> eachText(List<String> texts, Consumer<String> work) {
        return i -> work.accept(texts.get(i % texts.size()));
    }

    /**
     * Warms up for {@code seconds}, then runs three rounds of {@code seconds} on {@code threads}
     * threads and prints the best and the slowest round: the build machine is shared, so the best
     * round is the fairest estimate and the spread shows how noisy the run was.
     */
    private static void report(String what, int threads, double seconds, Consumer<Integer> work) throws Exception {
        run(threads, seconds, work);
        double best = 0;
        double worst = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long total = 0;
            for (long c : run(threads, seconds, work)) {
                total += c;
            }
            best = Math.max(best, total / seconds);
            worst = Math.min(worst, total / seconds);
        }
        System.out.printf("  %-66s %d thread%s: %,9.0f /s best (%,9.0f worst); %,10.1f us each per thread%n", what,
                threads, threads == 1 ? " " : "s", best, worst, 1e6 * threads / best);
    }

    private static long[] run(int threads, double seconds, Consumer<Integer> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        work.accept((int) n);
                        n++;
                    }
                    return n;
                }));
            }
            long[] counts = new long[threads];
            for (int t = 0; t < threads; t++) {
                counts[t] = futures.get(t).get();
            }
            return counts;
        } finally {
            pool.shutdown();
        }
    }

}
