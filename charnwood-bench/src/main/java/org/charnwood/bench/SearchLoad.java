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
import java.util.concurrent.locks.LockSupport;

/**
 * Drives the search mix for a fixed time. Closed-loop: {@code concurrency} clients each send a search, wait for
 * the answer and send the next; each client has its own seeded random, so runs repeat the same sequence.
 * Open-loop (a {@code rate}): one scheduler sends a search every 1/rate seconds on a thread of its own, whether
 * or not earlier ones have been answered, and times each from when it was due.
 */
final class SearchLoad {

    private final FhirHttpClient client;
    private final SearchMix mix;
    private final int concurrency;
    private final long seed;
    private final int rate;

    SearchLoad(FhirHttpClient client, SearchMix mix, int concurrency, long seed) {
        this(client, mix, concurrency, seed, 0);
    }

    SearchLoad(FhirHttpClient client, SearchMix mix, int concurrency, long seed, int rate) {
        this.client = client;
        this.mix = mix;
        this.concurrency = concurrency;
        this.seed = seed;
        this.rate = rate;
    }

    SearchRun run(Duration duration) throws Exception {
        Map<SearchQuery, QueryTally> tallies = new EnumMap<>(SearchQuery.class);
        for (SearchQuery kind : SearchQuery.values()) {
            tallies.put(kind, new QueryTally());
        }
        if (rate > 0) {
            return openLoop(duration, tallies);
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

    private SearchRun openLoop(Duration duration, Map<SearchQuery, QueryTally> tallies) {
        long interval = 1_000_000_000L / rate;
        long searches = duration.toNanos() / interval;
        Random random = new Random(seed * 1_000);
        long start = System.nanoTime();
        // Virtual threads: a search that stalls holds no scarce thread, so the ones due after it still go on time.
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < searches; i++) {
                long due = start + i * interval;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                SearchQuery kind = mix.pick(random);
                String url = mix.url(kind, random);
                senders.execute(() -> tallies.get(kind).record(url, client.get(url), System.nanoTime() - due));
            }
        }
        return new SearchRun(tallies, System.nanoTime() - start, concurrency, rate);
    }
}
