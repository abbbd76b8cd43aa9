package org.charnwood.bench;

import org.charnwood.bench.FhirHttpClient.Result;
import org.charnwood.bench.PatientCorpus.EncodedBundle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts encoded transaction bundles with {@code concurrency} senders, each taking the next unsent bundle, and
 * times each one. Any non-2xx answer is an error; no answer at all stops every sender, since a server that has
 * stopped answering will not answer the rest.
 */
final class BundleSender {

    /** What sending the bundles did. */
    record Outcome(long storedResources, long errors, String firstError, boolean abandoned, Percentiles latency,
                   long nanos) {

        double seconds() {
            return nanos / 1e9;
        }
    }

    private final FhirHttpClient client;
    private final int concurrency;

    BundleSender(FhirHttpClient client, int concurrency) {
        this.client = client;
        this.concurrency = concurrency;
    }

    Outcome send(List<EncodedBundle> bundles) throws Exception {
        LatencyStats latency = new LatencyStats();
        AtomicInteger next = new AtomicInteger();
        AtomicLong stored = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                done.add(senders.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < bundles.size()) {
                        EncodedBundle bundle = bundles.get(i);
                        long sent = System.nanoTime();
                        Result r = client.postBundle(bundle.json());
                        latency.record(System.nanoTime() - sent);
                        if (r.ok()) {
                            stored.addAndGet(bundle.resources());
                            continue;
                        }
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, "bundle " + i + ": " + r.describe());
                        if (r.unanswered()) {
                            abandoned.set(true);
                            next.set(bundles.size());
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return new Outcome(stored.get(), errors.get(), firstError.get(), abandoned.get(), latency.percentiles(),
                System.nanoTime() - start);
    }
}
