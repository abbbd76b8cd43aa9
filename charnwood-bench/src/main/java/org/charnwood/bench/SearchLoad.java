package org.charnwood.bench;

import org.charnwood.bench.FhirHttpClient.Result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives the search mix closed-loop: {@code concurrency} clients each send a search, wait for the answer and
 * send the next, for a fixed time. Each client has its own seeded random, so runs repeat the same sequence.
 */
final class SearchLoad {

    private final FhirHttpClient client;
    private final SearchMix mix;
    private final int concurrency;
    private final long seed;

    SearchLoad(FhirHttpClient client, SearchMix mix, int concurrency, long seed) {
        this.client = client;
        this.mix = mix;
        this.concurrency = concurrency;
        this.seed = seed;
    }

    SearchRun run(Duration duration) throws Exception {
        Map<SearchQuery, QueryTally> tallies = new EnumMap<>(SearchQuery.class);
        for (SearchQuery kind : SearchQuery.values()) {
            tallies.put(kind, new QueryTally());
        }
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                Random random = new Random(seed * 1_000 + c);
                done.add(clients.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        SearchQuery kind = mix.pick(random);
                        String url = mix.url(kind, random);
                        long sent = System.nanoTime();
                        Result r = client.get(url);
                        tallies.get(kind).record(url, r, System.nanoTime() - sent);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return new SearchRun(tallies, System.nanoTime() - start, concurrency);
    }
}
